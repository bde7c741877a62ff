from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_document_size(document) -> None:
    """An uploaded document (délibération, convention) weighs at most DOCUMENT_MAX_MB."""
    limit = settings.DOCUMENT_MAX_MB
    if document.size > limit * 1024 * 1024:
        raise ValidationError(
            _("Ce document pèse plus de %(max)s Mo : envoyez une version plus légère."),
            code="file_too_large",
            params={"max": limit},
        )


def add_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class LoginForm(AuthenticationForm):
    """Django's login form, in the words of the login page; agents log in with their email."""

    username = forms.CharField(label=_("Identifiant ou adresse électronique"), max_length=254)
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Identifiant ou mot de passe incorrect."),
    }

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        # Invited agents' identifiers are their addresses, stored in lower case.
        return username.lower() if "@" in username else username
