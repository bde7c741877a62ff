from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.audit.selectors import model_choices
from mutualis.core.forms import DateField, IntegerField


class AuditSearchForm(forms.Form):
    model = forms.ChoiceField(label=_("Type d'objet"), required=False, choices=())
    user = forms.CharField(label=_("Identifiant de l'utilisateur"), max_length=150, required=False)
    since = DateField(label=_("Du"), required=False)
    until = DateField(label=_("Au"), required=False)
    object_id = IntegerField(label=_("Numéro de l'objet"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("Tous")), *model_choices()]
