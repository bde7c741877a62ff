"""Tariff versions: created and edited as drafts, validated by the engine, adopted by a vote.

An adopted version is never overwritten: a change is a new version (a draft), and adopting it
marks the previous adopted version as superseded. History is every version of the service-year.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from mutualis.billing.models import Tariff, TariffStatus
from mutualis.catalog.models import Service
from mutualis.engine import Tariff as EngineTariff
from mutualis.engine import TariffError, parse_tariff
from mutualis.engine.tariff import UsageMode
from mutualis.governance.services import operator_decision
from mutualis.members.models import Decision


def service_usage(service: Service) -> UsageMode:
    """The usage mode of the catalogue's service: the engine's default for the tariff's
    ``[usage] mode``, so for the year reading and for ``prorata_temporis`` (a flow is not
    pro-rated by days unless the tariff says so)."""
    return UsageMode(service.usage_kind)


def tariff_check(*, service: Service, year: int, text: str, source: str) -> EngineTariff:
    """The engine's reading of the text; a ValidationError on "text" naming the faulty key."""
    try:
        parsed = parse_tariff(text, source, service_usage=service_usage(service))
    except TariffError as error:
        raise ValidationError({"text": str(error)}) from error
    problems = []
    if parsed.service != service.code:
        problems.append(
            _("%(source)s : clé « service » : « %(found)s » au lieu de « %(code)s ».")
            % {"source": source, "found": parsed.service, "code": service.code}
        )
    if parsed.year != year:
        problems.append(
            _("%(source)s : clé « year » : %(found)s au lieu de %(year)s.")
            % {"source": source, "found": parsed.year, "year": year}
        )
    if problems:
        raise ValidationError({"text": problems})
    return parsed


def engine_tariff(tariff: Tariff, *, year: int | None = None) -> EngineTariff:
    """The engine's tariff of a stored version (already validated), for another year if asked."""
    parsed = parse_tariff(tariff.text, tariff.source, service_usage=service_usage(tariff.service))
    if year is not None and year != parsed.year:
        parsed = dataclasses.replace(parsed, year=year)
    return parsed


@transaction.atomic
def tariff_create(
    *, service: Service, year: int, text: str, note: str = "", created_by=None
) -> Tariff:
    latest = Tariff.objects.select_for_update().filter(service=service, year=year)
    version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
    tariff = Tariff(
        service=service, year=year, version=version, text=text, note=note, created_by=created_by
    )
    tariff_check(service=service, year=year, text=text, source=tariff.source)
    tariff.full_clean()
    tariff.save()
    return tariff


@transaction.atomic
def tariff_update(*, tariff: Tariff, text: str, note: str = "") -> Tariff:
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if not tariff.is_editable:
        raise ValidationError(
            _("Une version adoptée ou remplacée ne se modifie pas : créez une nouvelle version.")
        )
    tariff_check(service=tariff.service, year=tariff.year, text=text, source=tariff.source)
    tariff.text, tariff.note = text, note
    tariff.save(update_fields=["text", "note", "updated_at"])
    return tariff


def tariff_new_version(*, tariff: Tariff, created_by=None) -> Tariff:
    """A new draft version starting from the text of `tariff`."""
    return tariff_create(
        service=tariff.service,
        year=tariff.year,
        text=tariff.text,
        note=_("Nouvelle version de la version %(v)s") % {"v": tariff.version},
        created_by=created_by,
    )


@transaction.atomic
def tariff_adopt(*, tariff: Tariff, decision: Decision) -> Tariff:
    tariff = Tariff.objects.select_for_update().get(pk=tariff.pk)
    if tariff.status != TariffStatus.DRAFT:
        raise ValidationError(_("Seul un projet de tarif peut être adopté."))
    if decision.member_id is not None:
        raise ValidationError(
            {"decision": _("Un tarif est adopté par une délibération de l'opérateur.")}
        )
    tariff_check(service=tariff.service, year=tariff.year, text=tariff.text, source=tariff.source)
    for previous in Tariff.objects.filter(
        service=tariff.service, year=tariff.year, status=TariffStatus.ADOPTED
    ):  # one row at most, saved (not updated in SQL) so that the audit trail records it
        previous.status = TariffStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
    tariff.status = TariffStatus.ADOPTED
    tariff.decision = decision
    tariff.adopted_at = timezone.now()
    tariff.save(update_fields=["status", "decision", "adopted_at", "updated_at"])
    return tariff


@transaction.atomic
def tariff_adopt_by_vote(*, tariff: Tariff, body: str, number: str, date) -> Tariff:
    """Records the operator's délibération and adopts the version with it."""
    decision = operator_decision(
        body=body,
        number=number,
        date=date,
        subject=_("Adoption du tarif %(tariff)s") % {"tariff": tariff},
    )
    return tariff_adopt(tariff=tariff, decision=decision)


def tariff_import_text(*, text: str, source: str, created_by=None) -> Tariff:
    """A draft version from a TOML file (its `service` and `year` keys say where it goes)."""
    try:
        parsed = parse_tariff(text, source)
    except TariffError as error:
        raise ValidationError({"text": str(error)}) from error
    try:
        service = Service.objects.get(code=parsed.service)
    except Service.DoesNotExist as error:
        raise ValidationError(
            {
                "text": _("%(source)s : service inconnu « %(code)s ».")
                % {"source": source, "code": parsed.service}
            }
        ) from error
    return tariff_create(service=service, year=parsed.year, text=text, created_by=created_by)
