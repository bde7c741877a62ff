"""Souscriptions: a member using a catalogue service from a date, over a perimeter."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutualis.catalog import services as catalog_services
from mutualis.catalog.models import (
    OwnRebillKey,
    RebillKey,
    Service,
    Subscription,
    SubscriptionScope,
)
from mutualis.core.tabular import TableRow
from mutualis.imports.importers.base import (
    CREATED,
    END_COLUMN,
    START_COLUMN,
    UNCHANGED,
    UPDATED,
    Column,
    FieldError,
    Importer,
    MemberIndex,
    as_text,
    choice_lookup,
    format_day,
    member_column,
    parse_choice,
    parse_date,
    parse_siren,
    parse_text,
)
from mutualis.members.models import Member, MemberKind

SCOPE_LOOKUP = choice_lookup(
    SubscriptionScope,
    {
        "seul": SubscriptionScope.SELF,
        "membre seul": SubscriptionScope.SELF,
        "lui meme": SubscriptionScope.SELF,
        "communes": SubscriptionScope.WITH_COMMUNES,
        "avec communes": SubscriptionScope.WITH_COMMUNES,
        "avec les communes": SubscriptionScope.WITH_COMMUNES,
        "epci et communes": SubscriptionScope.WITH_COMMUNES,
        "etablissements": SubscriptionScope.WITH_ESTABLISHMENTS,
        "avec etablissements": SubscriptionScope.WITH_ESTABLISHMENTS,
        "avec les etablissements": SubscriptionScope.WITH_ESTABLISHMENTS,
        "epci communes et etablissements": SubscriptionScope.WITH_ESTABLISHMENTS,
    },
)
REBILL_LOOKUP = choice_lookup(
    RebillKey,
    {
        "population": RebillKey.POPULATION,
        "consommations": RebillKey.USAGE,
        "consommation": RebillKey.USAGE,
        "parts egales": RebillKey.EQUAL,
        "egal": RebillKey.EQUAL,
    },
)
OWN_REBILL_LOOKUP = choice_lookup(
    OwnRebillKey,
    {
        "population": OwnRebillKey.POPULATION,
        "parts egales": OwnRebillKey.EQUAL,
        "egal": OwnRebillKey.EQUAL,
    },
)
LIST_SEPARATOR = "|"


@dataclass
class SubscriptionRow:
    line: int
    member: Member
    service: Service
    start_date: dt.date
    end_date: dt.date | None
    scope: str
    establishments: list[Member] | None  # None: no "etablissements" column, leave them
    rebill_key: str | None  # None: no "refacturation" column, leave it
    rebill_own_key: str | None  # None: no "refacturation_propre" column, leave it


class SubscriptionsImporter(Importer):
    kind = "subscriptions"
    columns = (
        member_column("243300316"),
        Column("service", True, gettext_lazy("Code du service au catalogue."), "sauvegarde"),
        START_COLUMN,
        END_COLUMN,
        Column(
            "perimetre",
            True,
            gettext_lazy(
                "self (le membre seul), with_communes (l'EPCI et ses communes) ou "
                "with_establishments (l'EPCI, ses communes et des établissements choisis), "
                "ou le libellé français."
            ),
            "self",
        ),
        Column(
            "etablissements",
            False,
            gettext_lazy(
                "SIREN des établissements couverts, séparés par « | » "
                "(seulement avec with_establishments)."
            ),
            "",
        ),
        Column(
            "refacturation",
            False,
            gettext_lazy(
                "Clé de refacturation aux communes de ce que l'EPCI paie pour elles : "
                "population, usage (consommations) ou equal (parts égales) ; vide : aucune."
            ),
            "",
        ),
        Column(
            "refacturation_propre",
            False,
            gettext_lazy(
                "Clé de refacturation de la participation propre de l'EPCI à ses communes : "
                "population ou equal (parts égales) ; vide : aucune."
            ),
            "",
        ),
    )
    model_fields = {
        "start_date": "debut",
        "end_date": "fin",
        "scope": "perimetre",
        "member": "membre",
        "service": "service",
        "covered_establishments": "etablissements",
        "rebill_key": "refacturation",
        "rebill_own_key": "refacturation_propre",
    }

    def prepare(self, rows: list[TableRow]) -> None:
        self.index = MemberIndex()
        self.services = {s.code.lower(): s for s in Service.objects.all()}
        self.existing: dict[tuple[int, int, dt.date], Subscription] = {}
        self.covered: dict[int, set[int]] = defaultdict(set)
        for subscription in Subscription.objects.prefetch_related("covered_establishments"):
            key = (subscription.member_id, subscription.service_id, subscription.start_date)
            self.existing[key] = subscription
            self.covered[subscription.pk] = {
                e.pk for e in subscription.covered_establishments.all()
            }

    def _establishments(self, value) -> list[Member]:
        found, problems = [], []
        for part in as_text(value).split(LIST_SEPARATOR):
            if not part.strip():
                continue
            code = part.strip()
            if not code.startswith("#"):
                try:
                    code = parse_siren(part)
                except FieldError as exc:
                    problems.append(exc.message)
                    continue
            member = self.index.find(code)
            if member is None or member.kind != MemberKind.ESTABLISHMENT:
                problems.append(
                    _("aucun établissement ne porte le code « %(code)s ».") % {"code": code}
                )
            else:
                found.append(member)
        if problems:
            raise FieldError(" ".join(problems))
        return found

    def _key_of(self, row: SubscriptionRow):
        return (row.member.pk, row.service.pk, row.start_date)

    def clean(self, row: TableRow) -> SubscriptionRow | None:
        before = len(self.errors)
        member = self.member_of(row, self.index)
        service_code = self.field(row, "service", parse_text, required=True)
        start = self.field(row, "debut", parse_date, required=True)
        end = self.field(row, "fin", parse_date)
        scope = self.field(
            row, "perimetre", parse_choice, SubscriptionScope, SCOPE_LOOKUP, required=True
        )
        establishments = self.field(row, "etablissements", self._establishments)
        rebill_key = self._rebill(row, "refacturation", RebillKey, REBILL_LOOKUP)
        rebill_own_key = self._rebill(row, "refacturation_propre", OwnRebillKey, OWN_REBILL_LOOKUP)
        service = self.services.get(service_code.lower()) if service_code else None
        if service_code and service is None:
            self.error(
                row.line,
                "service",
                _("Aucun service du catalogue ne porte le code « %(code)s ».")
                % {"code": service_code},
            )
        self.check_period(row, start, end)
        if member is not None and scope:
            self._check_scope(row.line, member, scope, establishments or [])
        if scope == SubscriptionScope.SELF:
            for column, key in (
                ("refacturation", rebill_key),
                ("refacturation_propre", rebill_own_key),
            ):
                if key:
                    self.error(
                        row.line,
                        column,
                        _("Seul un EPCI qui souscrit pour ses communes les refacture."),
                    )
        is_new = (
            member is not None
            and service is not None
            and start is not None
            and (member.pk, service.pk, start) not in self.existing
        )
        if is_new and not service.is_open_to(member):
            self.error(
                row.line,
                "service",
                _(
                    "Le service « %(service)s » n'est pas ouvert à « %(member)s » "
                    "(service fermé ou type de membre non éligible)."
                )
                % {"service": service.name, "member": member.name},
            )
        if len(self.errors) > before:
            return None
        return SubscriptionRow(
            line=row.line,
            member=member,
            service=service,
            start_date=start,
            end_date=end,
            scope=scope,
            establishments=establishments if self.has_column("etablissements") else None,
            rebill_key=rebill_key,
            rebill_own_key=rebill_own_key,
        )

    def _rebill(self, row: TableRow, column: str, choices, lookup) -> str | None:
        if not self.has_column(column):
            return None
        return self.field(row, column, parse_choice, choices, lookup, required=False) or ""

    def _check_scope(self, line: int, member: Member, scope: str, establishments) -> None:
        if scope != SubscriptionScope.SELF and member.kind != MemberKind.EPCI:
            self.error(
                line,
                "perimetre",
                _("Seul un EPCI peut souscrire pour ses communes et établissements."),
            )
        if establishments and scope != SubscriptionScope.WITH_ESTABLISHMENTS:
            self.error(
                line,
                "etablissements",
                _("Des établissements ne se choisissent qu'avec le périmètre with_establishments."),
            )
        outside = [e.name for e in establishments if e.epci_id != member.epci_id]
        if outside:
            self.error(
                line,
                "etablissements",
                _("Hors du territoire de l'EPCI : %(names)s.") % {"names": ", ".join(outside)},
            )

    def key(self, cleaned: SubscriptionRow):
        return self._key_of(cleaned), "membre, service, debut"

    def check(self, cleaned_rows) -> None:
        """A new souscription must not start while the member already uses the service."""
        periods = defaultdict(dict)  # (member, service) -> start -> (end, line or None)
        for (member_id, service_id, start), subscription in self.existing.items():
            periods[(member_id, service_id)][start] = (subscription.end_date, None)
        rows = list(cleaned_rows)
        for row in rows:
            periods[(row.member.pk, row.service.pk)][row.start_date] = (row.end_date, row.line)
        for row in rows:
            if self._key_of(row) in self.existing:
                continue
            for start, (end, line) in sorted(periods[(row.member.pk, row.service.pk)].items()):
                if start == row.start_date:
                    continue
                if start <= row.start_date and (end is None or end >= row.start_date):
                    where = (
                        _("ligne %(line)s du fichier") % {"line": line}
                        if line
                        else _("déjà enregistrée")
                    )
                    self.error(
                        row.line,
                        "debut",
                        _(
                            "Ce membre souscrit déjà à ce service à cette date "
                            "(souscription du %(start)s, %(where)s)."
                        )
                        % {"start": format_day(start), "where": where},
                    )
                    break

    def apply_order(self, cleaned: SubscriptionRow) -> int:
        return 0 if self._key_of(cleaned) in self.existing else 1

    def apply(self, cleaned: SubscriptionRow) -> str:
        subscription = self.existing.get(self._key_of(cleaned))
        if subscription is None:
            catalog_services.subscription_create(
                member=cleaned.member,
                service=cleaned.service,
                start_date=cleaned.start_date,
                end_date=cleaned.end_date,
                scope=cleaned.scope,
                covered_establishments=cleaned.establishments or (),
                rebill_key=cleaned.rebill_key or "",
                rebill_own_key=cleaned.rebill_own_key or "",
            )
            return CREATED
        changed = []
        if subscription.end_date != cleaned.end_date:
            subscription.end_date = cleaned.end_date
            changed.append("end_date")
        if subscription.scope != cleaned.scope:
            subscription.scope = cleaned.scope
            changed.append("scope")
        for field in ("rebill_key", "rebill_own_key"):
            wanted = getattr(cleaned, field)
            if wanted is not None and getattr(subscription, field) != wanted:
                setattr(subscription, field, wanted)
                changed.append(field)
        if changed:
            subscription.full_clean()
            subscription.save(update_fields=[*changed, "updated_at"])
        covered_changed = False
        if cleaned.establishments is not None:
            wanted = {e.pk for e in cleaned.establishments}
            if wanted != self.covered[subscription.pk]:
                subscription.covered_establishments.set(cleaned.establishments)
                covered_changed = True
        return UPDATED if changed or covered_changed else UNCHANGED
