"""« Ce que la mutualisation vous a apporté en <année> »: a member's page for its élus as a
one-page A4 PDF (reportlab), alone or for every member at once in a ZIP (a background job)."""

import io
import zipfile
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mutualis.billing.money import format_euros, format_quantity
from mutualis.billing.services.pdf import pdf_text
from mutualis.insights.selectors import MemberPage

MAX_ROWS = 12
"""Services listed on the page; the others are summed on one line (one page, always)."""


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)), style)


def _table(rows: list[list], widths: list[float], styles) -> Table:
    cell = styles["cell"]
    data = [[_p(str(c), cell) for c in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.lightgrey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    return table


def _styles():
    styles = getSampleStyleSheet()
    styles.add(styles["BodyText"].clone("cell", fontSize=8, leading=9.5))
    styles.add(styles["BodyText"].clone("small", fontSize=8, leading=10))
    styles.add(styles["BodyText"].clone("body", fontSize=9, leading=11.5))
    styles.add(styles["Heading3"].clone("h", fontSize=10.5, leading=13, spaceBefore=5))
    return styles


def _paid_rows(page: MemberPage) -> list[list]:
    rows: list[list] = [[_("Service"), _("Payé")]]
    shown = page.paid[:MAX_ROWS]
    rows += [[name, format_euros(cents)] for name, cents in shown]
    rest = page.paid[MAX_ROWS:]
    if rest:
        rows.append(
            [
                _("%(n)s autres services") % {"n": len(rest)},
                format_euros(sum(c for _n, c in rest)),
            ]
        )
    if page.purchases_paid:
        rows.append(
            [
                _("Achats groupés — payés aux titulaires des marchés"),
                format_euros(page.purchases_paid),
            ]
        )
    rows.append([_("Total"), format_euros(page.spent_total)])
    return rows


def member_report_pdf(page: MemberPage, operator_name: str | None = None) -> bytes:
    styles = _styles()
    member = page.member
    savings = page.savings
    total = savings.total_cents
    story: list = [
        _p(operator_name or settings.OPERATOR_NAME, styles["small"]),
        _p(
            _("%(name)s : ce que la mutualisation vous a apporté en %(year)s")
            % {"name": member.name, "year": page.year},
            styles["Heading2"],
        ),
    ]
    if total is None:
        saved = _("pas d'économie calculable (pas de prix de référence)")
    elif total < 0:
        saved = _("%(amount)s : la mutualisation a coûté plus que faire seuls") % {
            "amount": format_euros(total)
        }
    else:
        saved = format_euros(total)
        if savings.rate is not None:
            saved += " " + _("(%(rate)s %% du coût seul)") % {
                "rate": str(savings.rate).replace(".", ",")
            }
    figures = [
        [_("Vous avez payé"), _("Vous avez économisé"), _("Jours d'informaticien"), _("Capteurs")],
        [
            format_euros(page.spent_total),
            saved,
            format_quantity(page.technician_days),
            "—" if page.sensors is None else str(page.sensors),
        ],
    ]
    story += [_table(figures, [38 * mm, 70 * mm, 34 * mm, 32 * mm], styles), Spacer(1, 2 * mm)]
    story += [_p(_("Ce que vous payez"), styles["h"])]
    story += [_table(_paid_rows(page), [140 * mm, 34 * mm], styles)]
    story += [_p(_("Ce que vous avez économisé, et comment c'est calculé"), styles["h"])]
    rows: list[list] = [[_("Partie"), _("Économie"), _("Méthode")]]
    for part in savings.parts:
        value = "—" if part.saving_cents is None else format_euros(part.saving_cents, sign=True)
        method = part.method
        if part.saving_cents is not None and part.saving_cents < 0 and part.negative_notes:
            method += " " + _("Pourquoi c'est négatif : %(why)s.") % {
                "why": " ; ".join(part.negative_notes)
            }
        rows.append([part.title, value, method])
    story += [_table(rows, [32 * mm, 26 * mm, 116 * mm], styles)]
    sources = sorted(
        {line.source for part in savings.parts for line in part.counted if line.source}
    )
    if sources:
        story.append(_p(_("Sources des prix seuls : ") + " ; ".join(sources), styles["small"]))
    story += [_p(_("Comparé aux membres de même taille"), styles["h"])]
    story.append(_p(_("Groupe : %(g)s.") % {"g": page.group_label}, styles["body"]))
    for comparison in page.comparisons:
        value = format_euros(round(comparison.value))
        if comparison.group is None:
            text = _("%(label)s : %(value)s (groupe de moins de 5 membres : pas de comparaison).")
            story.append(_p(text % {"label": comparison.label, "value": value}, styles["body"]))
            continue
        group = comparison.group
        text = _(
            "%(label)s : %(value)s ; médiane du groupe %(median)s (un quart en dessous de "
            "%(q1)s, un quart au-dessus de %(q3)s)."
        )
        story.append(
            _p(
                text
                % {
                    "label": comparison.label,
                    "value": value,
                    "median": format_euros(round(group.median)),
                    "q1": format_euros(round(group.q1)),
                    "q3": format_euros(round(group.q3)),
                },
                styles["body"],
            )
        )
    story += _support_block(page, styles)
    story += _water_energy_block(page, styles)
    story += satisfaction_story(page, styles)
    story.append(Spacer(1, 3 * mm))
    story.append(
        _p(
            _(
                "Une économie est ce que vous auriez payé seuls moins ce que vous avez payé ; "
                "elle est montrée négative quand la mutualisation a coûté plus. Aucun autre "
                "membre n'est nommé."
            ),
            styles["small"],
        )
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=pdf_text(f"{member.name} — {page.year}"),
    ).build(story)
    return buffer.getvalue()


def _water_energy_block(page: MemberPage, styles) -> list:
    """« Eau et énergie » (alerts app): leaks found, water saved, buildings, sensors."""
    from mutualis.alerts.elus import method, sentences, water_energy

    figures = water_energy(page.member, page.year)
    lines = sentences(figures)
    if not lines:
        return []
    return [
        _p(_("Eau et énergie"), styles["h"]),
        *(_p(line, styles["body"]) for line in lines),
        _p(method(figures), styles["small"]),
    ]


def _support_block(page: MemberPage, styles) -> list:
    """« Votre assistance » : the member's support figures of the year, when it has tickets."""
    from mutualis.support.elus import method, sentences

    lines = sentences(page.support.figures) if page.support else []
    if not lines:
        return []
    return [
        _p(_("Votre assistance"), styles["h"]),
        _p(" ".join(lines), styles["body"]),
        _p(method(), styles["small"]),
    ]


def satisfaction_story(page: MemberPage, styles) -> list:
    """The satisfaction block (surveys app): the member's score, the operator's average,
    the national reference."""
    from mutualis.surveys.summary import member_sentences

    text = " ".join(member_sentences(page.satisfaction, page.year))
    return [_p(_("Votre satisfaction"), styles["h"]), _p(text, styles["body"])]


def report_file_name(page: MemberPage) -> str:
    return f"mutualisation-{page.year}-{slugify(page.member.name)[:60]}-{page.member.pk}.pdf"


def zip_reports(reports: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in reports:
            archive.writestr(name, data)
    return buffer.getvalue()
