"""Public establishments (CCAS, syndicats, EHPAD, écoles...) attached to a commune or an EPCI."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.tabular import TableRow, fold
from mutualis.imports.importers.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    MemberIndex,
    choice_lookup,
    parse_choice,
    parse_code,
    parse_email,
    parse_siren,
    parse_text,
)
from mutualis.members import services as member_services
from mutualis.members.models import EstablishmentKind, Member, MemberKind

KIND_LOOKUP = choice_lookup(
    EstablishmentKind,
    {
        "ccas": EstablishmentKind.CCAS,
        "cias": EstablishmentKind.CCAS,
        "syndicat": EstablishmentKind.SYNDICATE,
        "syndicat intercommunal": EstablishmentKind.SYNDICATE,
        "syndicat mixte": EstablishmentKind.SYNDICATE,
        "ehpad": EstablishmentKind.EHPAD,
        "office de tourisme": EstablishmentKind.TOURISM_OFFICE,
        "ecole": EstablishmentKind.SCHOOL,
        "etablissement scolaire": EstablishmentKind.SCHOOL,
        "mediatheque": EstablishmentKind.LIBRARY,
        "bibliotheque": EstablishmentKind.LIBRARY,
        "autre": EstablishmentKind.OTHER,
    },
)
PARENT_KINDS = (MemberKind.COMMUNE, MemberKind.EPCI)


def parent_code(parent: Member | None) -> str:
    """A commune is named by its INSEE code, an EPCI by its SIREN."""
    if parent is None:
        return ""
    if parent.kind == MemberKind.COMMUNE and parent.insee_code:
        return parent.insee_code
    return parent.siren or parent.insee_code


@dataclass
class EstablishmentRow:
    line: int
    name: str
    establishment_kind: str
    siren: str
    parent: Member
    email: str | None  # None: the file has no "courriel" column, leave it as it is


class EstablishmentsImporter(Importer):
    kind = "establishments"
    columns = (
        Column("nom", True, gettext_lazy("Nom de l'établissement."), "CCAS de Saint-Martin"),
        Column(
            "type",
            True,
            gettext_lazy(
                "ccas, syndicate, ehpad, tourism_office, school, library ou other "
                "(ou le libellé français : CCAS, Syndicat, EHPAD, Office de tourisme, École, "
                "Médiathèque, Autre)."
            ),
            "ccas",
        ),
        Column(
            "siren",
            False,
            gettext_lazy("SIREN de l'établissement, 9 chiffres (facultatif mais recommandé)."),
            "263300123",
        ),
        Column(
            "rattachement",
            True,
            gettext_lazy(
                "Code INSEE de la commune membre ou SIREN de l'EPCI membre de rattachement."
            ),
            "33063",
        ),
        Column("courriel", False, gettext_lazy("Adresse électronique (facultatif)."), ""),
    )
    model_fields = {
        "name": "nom",
        "establishment_kind": "type",
        "siren": "siren",
        "parent": "rattachement",
        "email": "courriel",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()
        self.by_name_parent: dict[tuple[str, int], Member] = {}
        for member in self.index.by_pk.values():
            if member.kind == MemberKind.ESTABLISHMENT and member.parent_id:
                self.by_name_parent.setdefault((fold(member.name), member.parent_id), member)

    def clean(self, row: TableRow) -> EstablishmentRow | None:
        before = len(self.errors)
        name = self.field(row, "nom", parse_text, required=True, max_length=200)
        kind = self.field(row, "type", parse_choice, EstablishmentKind, KIND_LOOKUP, required=True)
        siren = self.field(row, "siren", parse_siren)
        code = self.field(row, "rattachement", parse_code)
        email = self.field(row, "courriel", parse_email)
        parent = None
        if code:
            parent = self.index.find(code)
            if parent is None:
                self.error(
                    row.line,
                    "rattachement",
                    _("Aucun membre ne porte le code « %(code)s ».") % {"code": code},
                )
            elif parent.kind not in PARENT_KINDS:
                self.error(
                    row.line,
                    "rattachement",
                    _(
                        "« %(name)s » n'est ni une commune ni un EPCI : un établissement "
                        "se rattache à l'une ou à l'autre."
                    )
                    % {"name": parent.name},
                )
        if siren:
            holder = self.index.by_siren.get(siren)
            if holder is not None and holder.kind != MemberKind.ESTABLISHMENT:
                self.error(
                    row.line,
                    "siren",
                    _("Ce SIREN est celui de « %(name)s » (%(kind)s), pas d'un établissement.")
                    % {"name": holder.name, "kind": holder.get_kind_display()},
                )
        if len(self.errors) > before:
            return None
        return EstablishmentRow(
            line=row.line,
            name=name,
            establishment_kind=kind,
            siren=siren,
            parent=parent,
            email=email if self.has_column("courriel") else None,
        )

    def key(self, cleaned: EstablishmentRow):
        if cleaned.siren:
            return ("siren", cleaned.siren), "siren"
        return ("name", fold(cleaned.name), cleaned.parent.pk), "nom, rattachement"

    def _existing(self, cleaned: EstablishmentRow) -> Member | None:
        by_name = self.by_name_parent.get((fold(cleaned.name), cleaned.parent.pk))
        if cleaned.siren:
            found = self.index.by_siren.get(cleaned.siren)
            if found is None and by_name is not None and not by_name.siren:
                found = by_name  # known without a SIREN until now
            return found
        return by_name

    def apply(self, cleaned: EstablishmentRow) -> str:
        member = self._existing(cleaned)
        if member is None:
            member = member_services.establishment_create(
                name=cleaned.name,
                parent=cleaned.parent,
                establishment_kind=cleaned.establishment_kind,
                siren=cleaned.siren,
                email=cleaned.email or "",
            )
            self.index.add(member)
            return CREATED
        wanted = {
            "name": cleaned.name,
            "establishment_kind": cleaned.establishment_kind,
            "parent_id": cleaned.parent.pk,
            "epci_id": cleaned.parent.epci_id,
            "departement_id": cleaned.parent.departement_id,
        }
        if cleaned.siren:
            wanted["siren"] = cleaned.siren
        if cleaned.email is not None:
            wanted["email"] = cleaned.email
        changed = [name for name, value in wanted.items() if getattr(member, name) != value]
        if not changed:
            return UNCHANGED
        for name in changed:
            setattr(member, name, wanted[name])
        member.full_clean()
        member.save(update_fields=[*changed, "updated_at"])
        return UPDATED
