from django import forms
from django.utils.translation import gettext_lazy as _

from mutualis.members.models import Member
from mutualis.support.models import GlpiConnection


class ConnectionForm(forms.Form):
    """The GLPI address and tokens; a token is never shown back, an empty field keeps it."""

    url = forms.URLField(
        label=_("Adresse de l'API GLPI"),
        required=False,
        assume_scheme="https",
        help_text=_("L'adresse de apirest.php, ex. https://assistance.exemple.fr/apirest.php"),
    )
    app_token = forms.CharField(
        label=_("Jeton d'application (App-Token)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    user_token = forms.CharField(
        label=_("Jeton d'utilisateur (user_token)"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    forget_tokens = forms.BooleanField(label=_("Oublier les jetons enregistrés"), required=False)

    def __init__(self, *args, connection: GlpiConnection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["url"].initial = connection.url
        for name in ("app_token", "user_token"):
            stored = getattr(connection, name)
            self.fields[name].help_text = (
                _("Un jeton est enregistré : laissez vide pour le garder.")
                if stored
                else _("Aucun jeton enregistré.")
            )


class EntityMemberForm(forms.Form):
    member = forms.ModelChoiceField(
        label=_("Membre"),
        queryset=Member.objects.order_by("search_name", "pk"),
        required=False,
        empty_label=_("— aucun (non rattachée) —"),
        widget=forms.Select(attrs={"data-searchable": ""}),
    )
