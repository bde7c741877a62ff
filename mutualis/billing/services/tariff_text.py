"""A stored tariff version in plain French (the engine's :mod:`mutualis.engine.describe`), on
its page, side by side with another version, and as a printable PDF for the délibération."""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from mutualis.billing.models import Tariff
from mutualis.billing.services.identity import operator_identity
from mutualis.billing.services.pdf import pdf_text
from mutualis.billing.services.tariffs import engine_tariff
from mutualis.engine.describe import SectionPair, TariffText, compare, describe_tariff


def tariff_text(tariff: Tariff) -> TariffText:
    text = describe_tariff(engine_tariff(tariff))
    title = f"{tariff.service.name} — {_('tarif')} {tariff.year}, version {tariff.version}"
    return TariffText(title, text.sections)


def tariff_compare(left: Tariff, right: Tariff) -> list[SectionPair]:
    return compare(tariff_text(left), tariff_text(right))


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(pdf_text(text)), style)


def tariff_pdf(tariff: Tariff) -> bytes:
    """The tariff told in French, A4, to annex to the délibération that adopts it."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    cell = styles["BodyText"].clone("cell", fontSize=9, leading=11)
    text = tariff_text(tariff)
    identity = operator_identity()
    status = tariff.get_status_display()
    if tariff.decision_id:
        status = f"{status} — {tariff.decision}"
    story: list = [
        _p(identity.name, styles["Normal"]),
        _p(text.title, styles["Title"]),
        _p(_("Statut : %(status)s") % {"status": status}, body),
        Spacer(1, 4 * mm),
    ]
    for section in text.sections:
        block: list = [_p(section.title, styles["Heading2"])]
        block += [_p(paragraph, body) for paragraph in section.paragraphs]
        if section.table is not None:
            data = [[_p(h, cell) for h in section.table.headers]]
            data += [[_p(c, cell) for c in row] for row in section.table.rows]
            table = Table(data, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            block += [Spacer(1, 2 * mm), table]
        story.append(KeepTogether(block))
    story += [
        Spacer(1, 6 * mm),
        _p(
            _(
                "Texte établi à partir du tarif tel que le calcul le lit (version %(v)s), le "
                "%(day)s. Le fichier du tarif fait foi."
            )
            % {"v": tariff.version, "day": timezone.localdate().strftime("%d/%m/%Y")},
            styles["Italic"],
        ),
    ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=pdf_text(text.title),
        author=pdf_text(identity.name),
    )
    document.build(story)
    return buffer.getvalue()
