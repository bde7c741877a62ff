"""Support tickets (demandes d'assistance) from another helpdesk tool than GLPI: one row per
ticket, named by its number in that tool. A number already imported updates its ticket.

Times are read as written, in the operator's time zone; delays are the elapsed time
between the dates (24 hours a day), see docs/support.md.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.numbers import parse_integer
from mutualis.core.roles import Capability
from mutualis.core.tabular import ImportReport, TableRow
from mutualis.imports.importers.base import (
    Column,
    FieldError,
    Importer,
    MemberIndex,
    as_text,
    choice_lookup,
    member_column,
    parse_choice,
    parse_date,
    parse_text,
)
from mutualis.support.models import TicketSource, TicketStatus
from mutualis.support.services import TicketData, tickets_save

STATUS_LOOKUP = choice_lookup(
    TicketStatus,
    {
        "en cours": TicketStatus.ASSIGNED,
        "attribue": TicketStatus.ASSIGNED,
        "planifie": TicketStatus.PLANNED,
        "resolu": TicketStatus.SOLVED,
        "clos": TicketStatus.CLOSED,
        "ferme": TicketStatus.CLOSED,
        "1": TicketStatus.NEW,
        "2": TicketStatus.ASSIGNED,
        "3": TicketStatus.PLANNED,
        "4": TicketStatus.WAITING,
        "5": TicketStatus.SOLVED,
        "6": TicketStatus.CLOSED,
    },
)
TIME = re.compile(r"^(?P<day>\S+)(?:[ T](?P<h>\d{1,2})[:h](?P<m>\d{2})(?::(?P<s>\d{2}))?)?$")


def parse_moment(value: Any, *, required: bool = False) -> dt.datetime | None:
    """« 31/01/2026 14:05 », « 2026-01-31 14:05:00 », a spreadsheet's date and time, or a
    day alone (at midnight), in the operator's time zone."""
    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = as_text(value)
        if not text:
            if required:
                raise FieldError(_("Valeur obligatoire."))
            return None
        match = TIME.match(text)
        if not match:
            raise FieldError(
                _("« %(value)s » n'est pas une date et heure (attendu : 31/01/2026 14:05).")
                % {"value": text[:40]}
            )
        day = parse_date(match.group("day"), required=True)
        hour, minute = int(match.group("h") or 0), int(match.group("m") or 0)
        second = int(match.group("s") or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise FieldError(_("« %(value)s » : heure impossible.") % {"value": text[:40]})
        moment = dt.datetime(day.year, day.month, day.day, hour, minute, second)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@dataclass(frozen=True)
class TicketRow:
    line: int
    data: TicketData


def _moment_column(name: str, help_text: str, example: str = "") -> Column:
    return Column(name, False, gettext_lazy(help_text), example)


class TicketsImporter(Importer):
    kind = "tickets"
    capability = Capability.MANAGE_SUPPORT
    columns = (
        Column(
            "numero",
            True,
            gettext_lazy("Numéro de la demande dans l'outil d'assistance (unique)."),
            "2026-00042",
        ),
        member_column("33039"),
        Column("titre", True, gettext_lazy("Objet de la demande."), "Mot de passe oublié"),
        Column("categorie", False, gettext_lazy("Catégorie (facultatif)."), "Messagerie"),
        Column(
            "statut",
            True,
            gettext_lazy("nouveau, en cours, planifié, en attente, résolu ou clos."),
            "clos",
        ),
        Column("priorite", False, gettext_lazy("Priorité de 1 (très basse) à 6 (majeure)."), "3"),
        Column(
            "ouverture",
            True,
            gettext_lazy("Date et heure d'ouverture : 31/01/2026 14:05."),
            "03/02/2026 09:12",
        ),
        _moment_column(
            "prise_en_compte", "Première prise en compte par le support.", "03/02/2026 09:40"
        ),
        _moment_column("resolution", "Date et heure de résolution.", "03/02/2026 15:00"),
        _moment_column("cloture", "Date et heure de clôture.", "05/02/2026 15:00"),
        _moment_column(
            "echeance_prise_en_compte", "Délai promis de prise en compte (SLA), comme une date."
        ),
        _moment_column(
            "echeance_resolution", "Délai promis de résolution (SLA), comme une date.", ""
        ),
    )

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()

    def clean(self, row: TableRow) -> TicketRow | None:
        before = len(self.errors)
        number = self.field(row, "numero", parse_text, required=True, max_length=64)
        member = self.member_of(row, self.index)
        title = self.field(row, "titre", parse_text, required=True, max_length=255)
        category = self.field(row, "categorie", parse_text, max_length=255)
        status = self.field(row, "statut", parse_choice, TicketStatus, STATUS_LOOKUP, required=True)
        priority = self.field(
            row, "priorite", parse_integer, min_value=1, max_value=6, required=False
        )
        opened = self.field(row, "ouverture", parse_moment, required=True)
        moments = {
            name: self.field(row, name, parse_moment)
            for name in (
                "prise_en_compte",
                "resolution",
                "cloture",
                "echeance_prise_en_compte",
                "echeance_resolution",
            )
        }
        if opened:
            for name in ("prise_en_compte", "resolution", "cloture"):
                if moments[name] and moments[name] < opened:
                    self.error(
                        row.line,
                        name,
                        _("Cette date précède l'ouverture de la demande (%(opened)s).")
                        % {"opened": timezone.localtime(opened).strftime("%d/%m/%Y %H:%M")},
                    )
        if len(self.errors) > before:
            return None
        return TicketRow(
            row.line,
            TicketData(
                source=TicketSource.IMPORT,
                external_id=number,
                member_id=member.pk,
                title=title,
                category=category or "",
                status=status,
                priority=priority,
                opened_at=opened,
                first_response_at=moments["prise_en_compte"],
                solved_at=moments["resolution"],
                closed_at=moments["cloture"],
                time_to_own=moments["echeance_prise_en_compte"],
                time_to_resolve=moments["echeance_resolution"],
            ),
        )

    def key(self, cleaned: TicketRow):
        return cleaned.data.external_id, "numero"

    def apply_all(self, cleaned_rows: list, report: ImportReport) -> None:
        """All the rows at once, in one transaction (they were all validated)."""
        created, updated, unchanged = tickets_save(r.data for r in cleaned_rows)
        report.created, report.updated, report.unchanged = created, updated, unchanged
