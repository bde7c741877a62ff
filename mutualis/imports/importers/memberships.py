"""Adhésions: a member's membership from a date, its délibération and its convention."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.core.tabular import TableRow
from mutualis.imports.importers.base import (
    CREATED,
    END_COLUMN,
    START_COLUMN,
    UNCHANGED,
    UPDATED,
    Column,
    Importer,
    MemberIndex,
    as_text,
    choice_lookup,
    format_day,
    member_column,
    parse_choice,
    parse_date,
    parse_text,
)
from mutualis.members import services as member_services
from mutualis.members.models import Agreement, Member, Membership, MembershipPart

PART_LOOKUP = choice_lookup(
    MembershipPart,
    {
        "obligatoire": MembershipPart.COMPULSORY,
        "part obligatoire": MembershipPart.COMPULSORY,
        "optionnelle": MembershipPart.OPTIONAL,
        "optionnel": MembershipPart.OPTIONAL,
        "optionnels": MembershipPart.OPTIONAL,
        "complete": MembershipPart.FULL,
        "totale": MembershipPart.FULL,
        "obligatoire et optionnelle": MembershipPart.FULL,
    },
)


def overlaps(a_start, a_end, b_start, b_end) -> bool:
    return (a_end is None or a_end >= b_start) and (b_end is None or b_end >= a_start)


@dataclass
class DecisionData:
    body: str
    number: str
    date: dt.date


@dataclass
class MembershipRow:
    line: int
    member: Member
    start_date: dt.date
    end_date: dt.date | None
    part: str
    decision: DecisionData | None
    agreement_reference: str


class MembershipsImporter(Importer):
    kind = "memberships"
    columns = (
        member_column("33063"),
        START_COLUMN,
        END_COLUMN,
        Column(
            "part",
            True,
            gettext_lazy(
                "compulsory (part obligatoire), optional (services optionnels) ou full "
                "(les deux), ou le libellé français."
            ),
            "full",
        ),
        Column(
            "deliberation_instance",
            False,
            gettext_lazy(
                "Instance qui a délibéré (conseil municipal, conseil communautaire...). "
                "Obligatoire si une autre colonne de la délibération est remplie."
            ),
            "Conseil municipal",
        ),
        Column(
            "deliberation_numero", False, gettext_lazy("Numéro de la délibération."), "2024-012"
        ),
        Column(
            "deliberation_date",
            False,
            gettext_lazy(
                "Date de la délibération. Obligatoire si une autre colonne de la délibération "
                "est remplie."
            ),
            "",
        ),
        Column(
            "convention_reference",
            False,
            gettext_lazy("Référence de la convention d'adhésion (facultatif)."),
            "CONV-2024-001",
        ),
    )
    model_fields = {
        "start_date": "debut",
        "end_date": "fin",
        "part": "part",
        "member": "membre",
        "body": "deliberation_instance",
        "number": "deliberation_numero",
        "date": "deliberation_date",
        "reference": "convention_reference",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()
        self.existing: dict[tuple[int, dt.date], Membership] = {}
        for membership in Membership.objects.select_related("decision", "agreement"):
            self.existing[(membership.member_id, membership.start_date)] = membership
        self.agreements: dict[tuple[int, str], Agreement] = {}
        for agreement in Agreement.objects.order_by("pk"):
            self.agreements.setdefault((agreement.member_id, agreement.reference), agreement)

    def clean(self, row: TableRow) -> MembershipRow | None:
        before = len(self.errors)
        member = self.member_of(row, self.index)
        start = self.field(row, "debut", parse_date, required=True)
        end = self.field(row, "fin", parse_date)
        part = self.field(row, "part", parse_choice, MembershipPart, PART_LOOKUP, required=True)
        body = self.field(row, "deliberation_instance", parse_text, max_length=200)
        number = self.field(row, "deliberation_numero", parse_text, max_length=50)
        decided_on = self.field(row, "deliberation_date", parse_date)
        reference = self.field(row, "convention_reference", parse_text, max_length=100)
        self.check_period(row, start, end)
        decision = None
        if body or number or decided_on or as_text(row.get("deliberation_date")):
            if body == "":
                self.error(
                    row.line,
                    "deliberation_instance",
                    _("Indiquez l'instance qui a pris la délibération."),
                )
            if not as_text(row.get("deliberation_date")):
                self.error(row.line, "deliberation_date", _("Indiquez la date de la délibération."))
            decision = DecisionData(body=body, number=number, date=decided_on)
        if len(self.errors) > before:
            return None
        return MembershipRow(
            line=row.line,
            member=member,
            start_date=start,
            end_date=end,
            part=part,
            decision=decision,
            agreement_reference=reference,
        )

    def key(self, cleaned: MembershipRow):
        return (cleaned.member.pk, cleaned.start_date), "membre, debut"

    def check(self, cleaned_rows) -> None:
        """The periods of one member, as they will be once the file is applied, never overlap."""
        periods = defaultdict(dict)  # member pk -> start -> (end, line or None)
        for (member_id, start), membership in self.existing.items():
            periods[member_id][start] = (membership.end_date, None)
        rows = list(cleaned_rows)
        for row in rows:
            periods[row.member.pk][row.start_date] = (row.end_date, row.line)
        for row in rows:
            current = self.existing.get((row.member.pk, row.start_date))
            if current is not None and current.end_date == row.end_date:
                continue  # an existing period, unchanged
            for start, (end, line) in sorted(periods[row.member.pk].items()):
                if start == row.start_date or not overlaps(
                    start, end, row.start_date, row.end_date
                ):
                    continue
                where = (
                    _("ligne %(line)s du fichier") % {"line": line}
                    if line
                    else _("déjà enregistrée")
                )
                self.error(
                    row.line,
                    "debut",
                    _("Cette adhésion chevauche celle du %(start)s (%(where)s).")
                    % {"start": format_day(start), "where": where},
                )
                break

    def apply_order(self, cleaned: MembershipRow) -> int:
        # Existing adhésions first: ending one makes room for the next.
        return 0 if (cleaned.member.pk, cleaned.start_date) in self.existing else 1

    def _decision(self, cleaned: MembershipRow):
        data = cleaned.decision
        return member_services.decision_create(
            member=cleaned.member,
            body=data.body,
            number=data.number,
            date=data.date,
            subject=_("Adhésion"),
        )

    def _agreement(self, cleaned: MembershipRow) -> Agreement:
        key = (cleaned.member.pk, cleaned.agreement_reference)
        agreement = self.agreements.get(key)
        if agreement is None:
            agreement = member_services.agreement_create(
                member=cleaned.member, reference=cleaned.agreement_reference
            )
            self.agreements[key] = agreement
        return agreement

    def apply(self, cleaned: MembershipRow) -> str:
        membership = self.existing.get((cleaned.member.pk, cleaned.start_date))
        if membership is None:
            member_services.membership_create(
                member=cleaned.member,
                start_date=cleaned.start_date,
                end_date=cleaned.end_date,
                part=cleaned.part,
                decision=self._decision(cleaned) if cleaned.decision else None,
                agreement=self._agreement(cleaned) if cleaned.agreement_reference else None,
            )
            return CREATED
        changed = []
        if membership.end_date != cleaned.end_date:
            membership.end_date = cleaned.end_date
            changed.append("end_date")
        if membership.part != cleaned.part:
            membership.part = cleaned.part
            changed.append("part")
        decision_changed = False
        if cleaned.decision:
            decision = membership.decision
            if decision is None:
                membership.decision = self._decision(cleaned)
                changed.append("decision")
            elif (decision.body, decision.number, decision.date) != (
                cleaned.decision.body,
                cleaned.decision.number,
                cleaned.decision.date,
            ):
                decision.body = cleaned.decision.body
                decision.number = cleaned.decision.number
                decision.date = cleaned.decision.date
                decision.full_clean()
                decision.save(update_fields=["body", "number", "date", "updated_at"])
                decision_changed = True
        if cleaned.agreement_reference and (
            membership.agreement is None
            or membership.agreement.reference != cleaned.agreement_reference
        ):
            membership.agreement = self._agreement(cleaned)
            changed.append("agreement")
        if changed:
            membership.full_clean()
            membership.save(update_fields=[*changed, "updated_at"])
        return UPDATED if changed or decision_changed else UNCHANGED
