"""Needs of a grouped-purchasing campaign (besoins), for members who answer by mail or sheet.

The job's options name the campaign. A row gives a member's yearly quantity for one lot
(named by its number or its name) and, if known, what the member pays alone today. All the
rows of a member replace its needs for the lots they name, as if entered by the operator.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.numbers import DecimalBounds, parse_decimal
from mutualis.core.roles import Capability
from mutualis.core.tabular import ImportReport, RowError, TableRow, fold
from mutualis.imports.importers.base import (
    CREATED,
    Column,
    Importer,
    MemberIndex,
    member_column,
    parse_text,
)
from mutualis.members.models import Member
from mutualis.purchasing.models import Campaign, CampaignStatus, Lot, Need, NeedSource
from mutualis.purchasing.services.needs import NeedEntry, needs_set

QUANTITY = DecimalBounds.of_field(Need._meta.get_field("quantity"))
PRICE = DecimalBounds.of_field(Need._meta.get_field("current_unit_price"))


@dataclass(frozen=True)
class NeedRow:
    line: int
    member: Member
    lot: Lot
    quantity: Decimal
    current_unit_price: Decimal | None


class NeedsImporter(Importer):
    kind = "needs"
    capability = Capability.MANAGE_PURCHASING
    columns = (
        member_column("213300635"),
        Column("lot", True, gettext_lazy("Numéro ou nom du lot."), "1"),
        Column(
            "quantite",
            True,
            gettext_lazy("Quantité annuelle estimée, positive (12 ou 12,5)."),
            "12",
        ),
        Column(
            "prix_unitaire_actuel",
            False,
            gettext_lazy("Ce que le membre paie seul aujourd'hui, par unité (25,50)."),
            "25,50",
        ),
    )

    def prepare(self, rows: list[TableRow]) -> None:
        self.campaign = Campaign.objects.filter(pk=self.options.get("campaign")).first()
        self.members = MemberIndex()
        self.invited: set[int] = set()
        self.lots: dict[str, Lot] = {}
        if self.campaign is None:
            self.error(None, "", _("La campagne de ce fichier n'existe plus."))
            return
        if self.campaign.status != CampaignStatus.NEEDS:
            self.error(None, "", _("Le recueil des besoins de cette campagne n'est pas ouvert."))
        self.invited = set(self.campaign.invitations.values_list("member_id", flat=True))
        for lot in self.campaign.lots.all():
            self.lots[str(lot.number)] = lot
            self.lots.setdefault(fold(lot.name), lot)

    def clean(self, row: TableRow) -> NeedRow | None:
        errors_before = len(self.errors)
        member = self.member_of(row, self.members)
        if member is not None and member.pk not in self.invited:
            self.error(
                row.line,
                "membre",
                _("%(member)s n'est pas invité à cette campagne.") % {"member": member.name},
            )
        name = self.field(row, "lot", parse_text, required=True, max_length=200) or ""
        lot = self.lots.get(name) or self.lots.get(fold(name))
        if name and lot is None:
            self.error(row.line, "lot", _("Lot inconnu : « %(lot)s ».") % {"lot": name})
        quantity = self.field(row, "quantite", parse_decimal, QUANTITY)
        price = self.field(row, "prix_unitaire_actuel", parse_decimal, PRICE, required=False)
        if len(self.errors) > errors_before or None in (member, lot, quantity):
            return None
        return NeedRow(row.line, member, lot, quantity, price)

    def key(self, cleaned: NeedRow):
        return (cleaned.member.pk, cleaned.lot.pk), "membre, lot"

    @transaction.atomic
    def apply_all(self, cleaned_rows: list[NeedRow], report: ImportReport) -> None:
        by_member: dict[Member, list[NeedRow]] = defaultdict(list)
        for row in cleaned_rows:
            by_member[row.member].append(row)
        try:
            for member, rows in by_member.items():
                needs_set(
                    campaign=self.campaign,
                    member=member,
                    entries=[NeedEntry(r.lot, r.quantity, r.current_unit_price) for r in rows],
                    entered_by=self.user,
                    source=NeedSource.IMPORT,
                )
                for _row in rows:
                    report.count(CREATED)
        except ValidationError as error:
            transaction.set_rollback(True)
            report.created = 0
            for message in error.messages:
                report.add_error(RowError(self.file_name, None, "", message))
