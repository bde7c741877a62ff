"""Forms of the surveys: the operator's campaign, and the answer of « Mon espace »."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mutualis.core.forms import DateField, IntegerField
from mutualis.purchasing.forms import InvitationForm  # noqa: F401 (the same designation)
from mutualis.surveys.answers import question_error
from mutualis.surveys.definitions import (
    CHOICE,
    LEVEL,
    MULTIPLE,
    SCALE,
    SCALE_LABELS,
    TEXT,
    TEXT_MAX_LENGTH,
    Definition,
    Question,
)
from mutualis.surveys.models import SurveyKind


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Enquête"), choices=SurveyKind.choices)
    year = IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    title = forms.CharField(
        label=_("Intitulé"),
        max_length=200,
        required=False,
        help_text=_("Facultatif : « Satisfaction annuelle 2026 » par défaut."),
    )
    closes_on = DateField(label=_("Date de clôture"))
    message = forms.CharField(
        label=_("Mot d'accompagnement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facultatif : ajouté au courriel d'invitation."),
    )

    def clean_closes_on(self):
        day = self.cleaned_data["closes_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("La date de clôture est passée."))
        return day


class CampaignEditForm(CampaignForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["year"]


class AnswerForm(forms.Form):
    """One field per question; the template draws each as a fieldset (legend = the
    question) of radio buttons or checkboxes with their labels, or a labelled text area."""

    def __init__(self, *args, definition: Definition, answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        answers = answers or {}
        for question in definition.questions:
            self.fields[question.code] = self._field(question, answers.get(question.code))

    @staticmethod
    def _field(question: Question, initial) -> forms.Field:
        common = {"label": question.text, "help_text": question.help, "required": False}
        if question.type == SCALE:
            choices = [(str(k), v) for k, v in SCALE_LABELS.items()]
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, initial=initial, **common
            )
        if question.type == LEVEL:
            choices = [
                (code, _("Niveau %(level)s : %(text)s") % {"level": code, "text": text})
                for code, text in question.options
            ]
            return forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, initial=initial, **common
            )
        if question.type == CHOICE:
            return forms.ChoiceField(
                choices=list(question.options), widget=forms.RadioSelect, initial=initial, **common
            )
        if question.type == MULTIPLE:
            return forms.MultipleChoiceField(
                choices=list(question.options),
                widget=forms.CheckboxSelectMultiple,
                initial=initial,
                **common,
            )
        assert question.type == TEXT
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=TEXT_MAX_LENGTH,
            initial=initial,
            **common,
        )

    def clean(self):
        data = super().clean()
        for question in self.definition.questions:
            if question.code in self.errors:
                continue
            value = self.typed(question, data.get(question.code))
            message = question_error(question, value)
            if message:
                self.add_error(question.code, message)
        return data

    @staticmethod
    def typed(question: Question, value):
        if question.type in (SCALE, LEVEL) and value not in (None, ""):
            return int(value)
        if question.type == TEXT and isinstance(value, str):
            return value.strip()
        return value

    def answers(self) -> dict:
        return {
            q.code: self.typed(q, self.cleaned_data.get(q.code)) for q in self.definition.questions
        }

    def questions(self):
        """(question, bound field) in the definition's order, for the template."""
        return [(q, self[q.code]) for q in self.definition.questions]
