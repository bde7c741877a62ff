"""Import of needs (CSV/XLSX) for members who answer by mail: every row is checked first;
one error and nothing changes. Columns: membre (SIREN or INSEE code), lot (number or name),
quantite, prix_unitaire_actuel (optional)."""

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from mutualis.core.tabular import ImportReport, RowError, TabularError, fold, read_table
from mutualis.members.models import Member
from mutualis.purchasing.models import Campaign, CampaignStatus, NeedSource
from mutualis.purchasing.services.needs import NeedEntry, needs_set

COLUMNS = ("membre", "lot", "quantite", "prix_unitaire_actuel")
REQUIRED = ("membre", "lot", "quantite")


def parse_decimal(value: Any, *, required: bool) -> Decimal | None:
    if isinstance(value, bool):
        raise ValueError(_("« %(value)s » n'est pas un nombre.") % {"value": value})
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    text = text.removesuffix("€").replace(",", ".")
    if not text:
        if required:
            raise ValueError(_("Valeur obligatoire."))
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("« %(value)s » n'est pas un nombre.") % {"value": value}) from exc
    if not number.is_finite():
        raise ValueError(_("« %(value)s » n'est pas un nombre.") % {"value": value})
    return number


def _code(value: Any) -> str:
    text = str(value).strip().replace(" ", "")
    if isinstance(value, int) and len(text) == 4:
        text = text.zfill(5)  # a spreadsheet drops the leading 0 of INSEE code 01053
    return text.upper()


def needs_import(
    *, campaign: Campaign, file_name: str, content: bytes, entered_by=None
) -> ImportReport:
    report = ImportReport()
    if campaign.status != CampaignStatus.NEEDS:
        report.add_error(
            RowError(file_name, None, "", _("Le recueil des besoins n'est pas ouvert."))
        )
        return report
    try:
        table = read_table(file_name, content)
    except TabularError as error:
        report.add_error(error.error)
        return report
    report.extend(table.errors)
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        report.add_error(
            RowError(
                file_name,
                table.header_line,
                ", ".join(missing),
                _("Colonnes obligatoires manquantes (attendu : %(columns)s).")
                % {"columns": ", ".join(COLUMNS)},
            )
        )
        return report
    report.rows = len(table.rows)
    lots = list(campaign.lots.all())
    lots_by_key = {str(lot.number): lot for lot in lots} | {fold(lot.name): lot for lot in lots}
    invited = {
        key: member
        for invitation in campaign.invitations.select_related("member")
        for member in [invitation.member]
        for key in (member.siren, member.insee_code)
        if key
    }
    codes = {_code(row.get("membre")) for row in table.rows}
    existing = set(
        Member.objects.filter(Q(siren__in=codes) | Q(insee_code__in=codes)).values_list(
            "siren", "insee_code"
        )
    )
    existing_codes = {code for pair in existing for code in pair if code}
    per_member: dict[int, list[NeedEntry]] = defaultdict(list)
    members = {}
    seen: dict[tuple[int, int], int] = {}
    for row in table.rows:

        def error(column: str, message: str, line: int = row.line) -> None:
            report.add_error(RowError(file_name, line, column, message))

        code = _code(row.get("membre"))
        member = invited.get(code)
        if not code:
            error("membre", _("Valeur obligatoire."))
        elif member is None:
            if code in existing_codes:
                error(
                    "membre", _("« %(code)s » n'est pas invité à cette campagne.") % {"code": code}
                )
            else:
                error(
                    "membre",
                    _("Aucun membre n'a le SIREN ou le code INSEE « %(code)s ».") % {"code": code},
                )
        lot_value = str(row.get("lot")).strip()
        lot = lots_by_key.get(lot_value) or lots_by_key.get(fold(lot_value))
        if lot is None:
            error("lot", _("Lot inconnu : « %(lot)s ».") % {"lot": lot_value})
        try:
            quantity = parse_decimal(row.get("quantite"), required=True)
            if quantity is not None and quantity < 0:
                error("quantite", _("La quantité ne peut pas être négative."))
        except ValueError as exc:
            quantity = None
            error("quantite", str(exc))
        try:
            price = parse_decimal(row.get("prix_unitaire_actuel"), required=False)
            if price is not None and price < 0:
                error("prix_unitaire_actuel", _("Le prix ne peut pas être négatif."))
        except ValueError as exc:
            price = None
            error("prix_unitaire_actuel", str(exc))
        if member is None or lot is None:
            continue
        if (member.pk, lot.pk) in seen:
            error(
                "lot",
                _("Ce membre et ce lot figurent déjà ligne %(line)s.")
                % {"line": seen[(member.pk, lot.pk)]},
            )
            continue
        seen[(member.pk, lot.pk)] = row.line
        members[member.pk] = member
        per_member[member.pk].append(
            NeedEntry(lot=lot, quantity=quantity, current_unit_price=price)
        )
    if not report.ok:
        return report
    try:
        with transaction.atomic():
            for member_pk, entries in per_member.items():
                needs_set(
                    campaign=campaign,
                    member=members[member_pk],
                    entries=entries,
                    entered_by=entered_by,
                    source=NeedSource.IMPORT,
                )
                report.created += len(entries)
    except ValidationError as error:
        report.add_error(RowError(file_name, None, "", " ".join(error.messages)))
        report.created = 0
    return report
