"""The operator's annual activity report: what pooling brought all the members billed in a
year, summed from their own pages (the same figures, the same methods), as a PDF."""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from mutualis.billing.money import format_euros, format_quantity
from mutualis.billing.services.pdf import pdf_text
from mutualis.core.numbers import format_number
from mutualis.insights.report import _styles, _table
from mutualis.insights.selectors import MemberPage


@dataclass
class Activity:
    """Totals of the members' pages of a year, added one page at a time."""

    year: int
    members: int = 0
    by_kind: Counter = field(default_factory=Counter)
    paid_cents: int = 0
    by_service: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    saving_cents: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    with_saving: Counter = field(default_factory=Counter)
    negative: Counter = field(default_factory=Counter)
    technician_days: Decimal = Decimal(0)
    sensors: int = 0
    satisfaction: Any = None
    """The year's satisfaction survey, as the pages read it (the same for every member)."""

    def add(self, page: MemberPage) -> None:
        self.members += 1
        self.by_kind[page.member.get_kind_display()] += 1
        self.paid_cents += page.paid_total
        for name, cents in page.paid:
            self.by_service[name] += cents
        for part in page.savings.parts:
            if part.saving_cents is None:
                continue
            self.saving_cents[part.title] += part.saving_cents
            self.with_saving[part.title] += 1
            if part.saving_cents < 0:
                self.negative[part.title] += 1
        self.technician_days += page.technician_days
        self.sensors += page.sensors or 0
        self.satisfaction = self.satisfaction or page.satisfaction


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)), style)


def _support_block(year: int, styles) -> list:
    """L'assistance : every ticket of the year (mutualis.support), when there is any."""
    from mutualis.support.elus import method, operator_sentences

    lines = operator_sentences(year)
    if not lines:
        return []
    return [
        _p(_("L'assistance aux membres"), styles["h"]),
        _p(" ".join(lines), styles["body"]),
        _p(method(), styles["small"]),
    ]


def _satisfaction(activity: Activity, styles) -> list:
    """The members' satisfaction (surveys app): the operator's average, the reference."""
    from mutualis.surveys.summary import method, operator_sentence

    if activity.satisfaction is None:
        text = _("Pas d'enquête de satisfaction envoyée en %(year)s.") % {"year": activity.year}
    else:
        text = operator_sentence(activity.satisfaction)
    return [
        _p(_("La satisfaction des membres"), styles["h"]),
        _p(text, styles["body"]),
        _p(method(), styles["small"]),
    ]


def activity_report_pdf(activity: Activity, operator_name: str) -> bytes:
    styles = _styles()
    story: list = [
        _p(operator_name, styles["small"]),
        _p(_("Rapport d'activité %(year)s") % {"year": activity.year}, styles["Title"]),
        _p(_("Les membres"), styles["h"]),
        _p(
            _("%(n)s membres ont reçu des titres de recettes en %(year)s.")
            % {"n": format_number(activity.members), "year": activity.year},
            styles["body"],
        ),
        _table(
            [[_("Nature"), _("Membres")]]
            + [[kind, str(n)] for kind, n in sorted(activity.by_kind.items())],
            [120 * mm, 40 * mm],
            styles,
        ),
        _p(_("Les services et les finances"), styles["h"]),
        _table(
            [[_("Service"), _("Titres émis")]]
            + [[name, format_euros(c)] for name, c in sorted(activity.by_service.items())]
            + [[_("Total"), format_euros(activity.paid_cents)]],
            [120 * mm, 40 * mm],
            styles,
        ),
        _p(_("Les économies des membres"), styles["h"]),
    ]
    rows = [[_("Partie"), _("Économie totale"), _("Membres comptés"), _("Dont négatives")]]
    for title, cents in activity.saving_cents.items():
        rows.append(
            [
                title,
                format_euros(cents, sign=True),
                str(activity.with_saving[title]),
                str(activity.negative[title]),
            ]
        )
    rows.append([_("Total"), format_euros(sum(activity.saving_cents.values()), sign=True), "", ""])
    story += [
        _table(rows, [60 * mm, 40 * mm, 32 * mm, 30 * mm], styles),
        _p(
            _(
                "Chaque économie est celle de la page du membre : ce qu'il aurait payé seul moins "
                "ce qu'il a payé, négative quand la mutualisation a coûté plus ; une ligne sans "
                "prix de référence n'est pas comptée (voir la méthode sur chaque page)."
            ),
            styles["small"],
        ),
        _p(_("L'informaticien mutualisé et les capteurs"), styles["h"]),
        _p(
            _("%(days)s jours d'informaticien mutualisé passés chez les membres ; %(n)s capteurs.")
            % {
                "days": format_quantity(activity.technician_days),
                "n": format_number(activity.sensors),
            },
            styles["body"],
        ),
        *_support_block(activity.year, styles),
        *_satisfaction(activity, styles),
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=pdf_text(_("Rapport d'activité %(year)s") % {"year": activity.year}),
    ).build(story)
    return buffer.getvalue()
