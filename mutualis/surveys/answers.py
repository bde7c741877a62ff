"""What a valid answer is, question by question: the one check of the portal form, the
services and the demo."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def _missing(question: Question) -> str:
    if question.type == MULTIPLE:
        return _("Choisissez au moins %(n)s réponses.") % {"n": question.min_picks}
    if question.type == TEXT:
        return _("Écrivez votre réponse.")
    return _("Choisissez une réponse.")


def question_error(question: Question, value) -> str:
    """The French sentence saying what is wrong with `value`, or "" when it is valid."""
    empty = value in (None, "", [])
    if empty:
        return _missing(question) if question.required else ""
    if question.type == SCALE:
        return "" if isinstance(value, int) and value in SCALE_LABELS else _missing(question)
    if question.type in (LEVEL, CHOICE):
        allowed = question.option_labels
        key = str(value)
        if question.type == LEVEL and not isinstance(value, int):
            return _missing(question)
        return "" if key in allowed else _missing(question)
    if question.type == MULTIPLE:
        if not isinstance(value, list) or any(v not in question.option_labels for v in value):
            return _missing(question)
        picked = len(set(value))
        if picked < question.min_picks or picked > question.max_picks:
            return ngettext(
                "Choisissez entre %(min)s et %(max)s réponses (%(n)s choisie).",
                "Choisissez entre %(min)s et %(max)s réponses (%(n)s choisies).",
                picked,
            ) % {"min": question.min_picks, "max": question.max_picks, "n": picked}
        return ""
    if question.type == TEXT:
        if not isinstance(value, str):
            return _missing(question)
        if len(value) > TEXT_MAX_LENGTH:
            return _("%(n)s caractères au plus.") % {"n": TEXT_MAX_LENGTH}
        return ""
    return _missing(question)


def answer_errors(definition: Definition, answers: dict) -> dict[str, str]:
    """{question code: what is wrong}; an answer to an unknown question is an error too."""
    errors = {
        q.code: message
        for q in definition.questions
        if (message := question_error(q, answers.get(q.code)))
    }
    for code in answers:
        if definition.question(code) is None:
            errors[code] = _("Question inconnue.")
    return errors


def cleaned(definition: Definition, answers: dict) -> dict:
    """The answers as stored: empty ones left out, picks without duplicates, text trimmed."""
    result = {}
    for question in definition.questions:
        value = answers.get(question.code)
        if question.type == TEXT and isinstance(value, str):
            value = value.strip()
        if question.type == MULTIPLE and isinstance(value, list):
            order = [code for code, _label in question.options]
            value = sorted(set(value), key=order.index)
        if value in (None, "", []):
            continue
        result[question.code] = value
    return result
