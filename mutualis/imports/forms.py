from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from mutualis.core.tabular import SUPPORTED_EXTENSIONS, file_extension
from mutualis.imports.models import ImportKind

MAX_UPLOAD_SIZE = 10 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Données à importer"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("CSV (séparateur « ; » ou « , », encodage UTF-8) ou XLSX ; 10 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        extension = file_extension(uploaded.name)
        if extension not in SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(
                _("Format non accepté (« %(ext)s ») : envoyez un fichier .csv ou .xlsx.")
                % {"ext": extension or uploaded.name}
            )
        if uploaded.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s : 10 Mo au plus. Découpez-le en plusieurs fichiers.")
                % {"size": filesizeformat(uploaded.size)}
            )
        return uploaded
