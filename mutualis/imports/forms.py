from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.numbers import format_megabytes
from mutualis.core.tabular import SUPPORTED_EXTENSIONS, file_extension


class UploadForm(forms.Form):
    """A CSV or XLSX file, within the size limit: the only check made in the web request.
    Everything else is read on the job queue."""

    file = forms.FileField(
        label=gettext_lazy("Fichier"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUPPORTED_EXTENSIONS)}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (séparateur « ; » ou « , », encodage UTF-8) ou XLSX ; %(max)s Mo au plus."
        ) % {"max": settings.IMPORT_MAX_UPLOAD_MB}

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        extension = file_extension(uploaded.name)
        if extension not in SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(
                _("Format non accepté (« %(ext)s ») : envoyez un fichier .csv ou .xlsx.")
                % {"ext": extension or uploaded.name}
            )
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if uploaded.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("Ce fichier pèse %(size)s : %(max)s Mo au plus. Découpez-le.")
                % {"size": format_megabytes(uploaded.size), "max": limit}
            )
        return uploaded


class ImportForm(UploadForm):
    """The imports page: which data, then the file. `kinds` are those the user may import."""

    kind = forms.ChoiceField(label=gettext_lazy("Données à importer"))

    field_order = ["kind", "file"]

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
