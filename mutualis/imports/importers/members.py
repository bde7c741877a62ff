"""Collectivités taken from the official territory: communes, EPCI and départements."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.tabular import TableRow
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    parse_code,
)
from mutualis.members import services as member_services
from mutualis.members.models import Member, MemberKind
from mutualis.territory.models import Commune, Departement, Epci

TERRITORIAL_KINDS = (MemberKind.COMMUNE, MemberKind.EPCI, MemberKind.DEPARTEMENT)
SNAPSHOT_FIELDS = ("kind", "name", "siren", "insee_code", "population", "epci_id", "departement_id")
CHUNK = 500


def _chunks(values: list[str]):
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _existing(model, field: str, values: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(values)):
        found.update(model.objects.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


@dataclass
class MemberRow:
    line: int
    code: str


class MembersImporter(Importer):
    kind = "members"
    columns = (
        Column(
            "code",
            True,
            gettext_lazy(
                "Code INSEE de la commune (5 caractères), SIREN de l'EPCI (9 chiffres) "
                "ou code du département (2 ou 3 caractères)."
            ),
            "33063",
        ),
        Column(
            "nom",
            False,
            gettext_lazy(
                "Pour s'y retrouver : le nom officiel est repris du référentiel du territoire."
            ),
            "Bordeaux",
        ),
    )

    def prepare(self, rows: list[TableRow]) -> None:
        codes = set()
        for row in rows:
            try:
                codes.add(parse_code(row.get("code")))
            except FieldError:
                continue  # reported by clean()
        sirens = {c for c in codes if len(c) == 9}
        self.epci_sirens = _existing(Epci, "siren", sirens)
        self.commune_sirens = _existing(Commune, "siren", sirens - self.epci_sirens)
        self.insee_codes = _existing(Commune, "insee_code", {c for c in codes if len(c) == 5})
        self.departement_codes = _existing(
            Departement, "code", {c for c in codes if len(c) in (2, 3)}
        )
        self.snapshots = {
            values.pop("pk"): values
            for values in Member.objects.filter(kind__in=TERRITORIAL_KINDS).values(
                "pk", *SNAPSHOT_FIELDS
            )
        }

    def clean(self, row: TableRow) -> MemberRow | None:
        code = self.field(row, "code", parse_code)
        if code is None:
            return None
        if re.fullmatch(r"\d{9}", code):
            known = code in self.epci_sirens or code in self.commune_sirens
        elif re.fullmatch(r"\d[\dAB]\d{3}", code):
            known = code in self.insee_codes
        elif re.fullmatch(r"\d[\dAB]\d?", code):
            known = code in self.departement_codes
        else:
            self.error(
                row.line,
                "code",
                _(
                    "« %(code)s » n'est ni un code INSEE de commune (5 caractères), ni un SIREN "
                    "d'EPCI (9 chiffres), ni un code de département."
                )
                % {"code": code},
            )
            return None
        if not known:
            self.error(
                row.line,
                "code",
                _("Aucune commune, aucun EPCI ni aucun département ne porte le code « %(code)s ».")
                % {"code": code},
            )
            return None
        return MemberRow(line=row.line, code=code)

    def key(self, cleaned: MemberRow):
        return cleaned.code, "code"

    def apply(self, cleaned: MemberRow) -> str:
        member, created = member_services.member_create_from_territory(code=cleaned.code)
        if created:
            return CREATED
        before = self.snapshots.get(member.pk)
        after = {name: getattr(member, name) for name in SNAPSHOT_FIELDS}
        return UNCHANGED if before == after else UPDATED
