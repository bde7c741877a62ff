"""The satisfaction block of the élus' page and of the annual reports, in sentences."""

from django.utils.translation import gettext as _

from mutualis.core.numbers import format_number
from mutualis.surveys.selectors import MemberSatisfaction
from mutualis.surveys.templatetags.surveys import percent


def method() -> str:
    return _(
        "Satisfaction : part des notes à 4 ou 5 sur 5 aux cinq questions notées de l'enquête "
        "annuelle (adéquation de l'offre, facilité, disponibilité, réactivité de l'assistance, "
        "ensemble) ; la moyenne de l'opérateur compte chaque membre pour un ; référence "
        "nationale des opérateurs publics : 92 % de satisfaits."
    )


def member_sentences(block: MemberSatisfaction | None, year: int) -> list[str]:
    """What the member's page and report say of its satisfaction."""
    if block is None:
        return [_("Pas d'enquête de satisfaction envoyée en %(year)s.") % {"year": year}]
    sentences = []
    if block.member_rate is not None:
        sentences.append(
            _("Votre satisfaction : %(rate)s de vos notes à 4 ou 5 sur 5.")
            % {"rate": percent(block.member_rate)}
        )
    elif block.invited:
        sentences.append(
            _("Votre collectivité n'a pas répondu à l'enquête « %(title)s ».")
            % {"title": block.campaign_title}
        )
    else:
        sentences.append(
            _("Votre collectivité n'était pas invitée à l'enquête « %(title)s ».")
            % {"title": block.campaign_title}
        )
    sentences.append(operator_sentence(block))
    return sentences


def operator_sentence(block: MemberSatisfaction) -> str:
    return _(
        "Moyenne des membres de l'opérateur : %(operator)s (%(n)s réponses) ; référence "
        "nationale : %(reference)s."
    ) % {
        "operator": percent(block.operator_rate),
        "n": format_number(block.respondents),
        "reference": percent(block.national_reference),
    }
