"""Exports with the columns of the imports, so that an export can be imported back.

Each builder runs a fixed number of queries, whatever the number of rows.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from mutualis.catalog.models import Subscription
from mutualis.core.numbers import without_trailing_zeros
from mutualis.imports.importers import get_importer
from mutualis.imports.importers.base import member_code
from mutualis.imports.importers.establishments import parent_code
from mutualis.imports.importers.members import TERRITORIAL_KINDS
from mutualis.imports.importers.sensors import LIST_SEPARATOR as QUANTITY_SEPARATOR
from mutualis.imports.importers.sensors import flag_text
from mutualis.imports.importers.subscriptions import LIST_SEPARATOR
from mutualis.imports.importers.usage import period_text
from mutualis.imports.models import ImportKind
from mutualis.iot.models import Device, Measure
from mutualis.members.models import Member, MemberKind, Membership
from mutualis.metering.models import UsageRecord

FORMATS = ("csv", "xlsx")


def _members() -> list[list[Any]]:
    members = Member.objects.filter(kind__in=TERRITORIAL_KINDS).order_by("kind", "name", "pk")
    return [
        [member.siren if member.kind == MemberKind.EPCI else member.insee_code, member.name]
        for member in members
    ]


def _establishments() -> list[list[Any]]:
    establishments = (
        Member.objects.filter(kind=MemberKind.ESTABLISHMENT, parent__isnull=False)
        .select_related("parent")
        .order_by("name", "pk")
    )
    return [
        [e.name, e.establishment_kind, e.siren, parent_code(e.parent), e.email]
        for e in establishments
    ]


def _memberships() -> list[list[Any]]:
    memberships = Membership.objects.select_related("member", "decision", "agreement").order_by(
        "member__name", "member_id", "start_date"
    )
    rows = []
    for m in memberships:
        decision = m.decision
        rows.append(
            [
                member_code(m.member),
                m.start_date,
                m.end_date,
                m.part,
                decision.body if decision else "",
                decision.number if decision else "",
                decision.date if decision else None,
                m.agreement.reference if m.agreement else "",
            ]
        )
    return rows


def _subscriptions() -> list[list[Any]]:
    subscriptions = (
        Subscription.objects.select_related("member", "service")
        .prefetch_related(
            Prefetch(
                "covered_establishments",
                queryset=Member.objects.only("pk", "siren", "insee_code").order_by("siren", "pk"),
            )
        )
        .order_by("member__name", "member_id", "service__code", "start_date")
    )
    return [
        [
            member_code(s.member),
            s.service.code,
            s.start_date,
            s.end_date,
            s.scope,
            LIST_SEPARATOR.join(member_code(e) for e in s.covered_establishments.all()),
            s.rebill_key,
            s.rebill_own_key,
        ]
        for s in subscriptions
    ]


def _usage() -> list[list[Any]]:
    records = UsageRecord.objects.select_related("member", "service").order_by(
        "year", "month", "member__name", "member_id", "service__code", "period"
    )
    return [
        [
            member_code(r.member),
            r.service.code,
            period_text(r.period, r.year, r.month),
            r.quantity.normalize(),  # 1234.5, not 1234.500
            r.service.unit,
            r.note,
        ]
        for r in records.iterator(chunk_size=2000)
    ]


def _sensors() -> list[list[Any]]:
    devices = (
        Device.objects.filter(removed_on__isnull=True)
        .select_related("sensor__member", "sensor__commune")
        .prefetch_related(
            Prefetch("sensor__measures", queryset=Measure.objects.order_by("quantity"))
        )
        .order_by("sensor__member__name", "sensor__name", "dev_eui")
    )

    def number(value):
        return None if value is None else without_trailing_zeros(value)

    rows = []
    for device in devices:
        sensor = device.sensor
        rows.append(
            [
                device.dev_eui,
                member_code(sensor.member),
                sensor.name,
                sensor.building,
                sensor.kind,
                QUANTITY_SEPARATOR.join(m.quantity for m in sensor.measures.all()),
                device.make,
                device.model,
                device.generation,
                sensor.commune.insee_code if sensor.commune else "",
                number(sensor.latitude),
                number(sensor.longitude),
                sensor.installed_on,
                sensor.reporting_minutes,
                flag_text(sensor.open_data),
                flag_text(sensor.active),
            ]
        )
    return rows


def _moment(value) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return local.strftime("%d/%m/%Y %H:%M:%S" if local.second else "%d/%m/%Y %H:%M")


def _tickets() -> list[list[Any]]:
    """The tickets imported from files (GLPI's come back from GLPI)."""
    from mutualis.support.models import Ticket, TicketSource

    tickets = (
        Ticket.objects.filter(source=TicketSource.IMPORT, member__isnull=False)
        .select_related("member")
        .order_by("opened_at", "external_id")
    )
    return [
        [
            t.external_id,
            member_code(t.member),
            t.title,
            t.category,
            t.status,
            t.priority,
            _moment(t.opened_at),
            _moment(t.first_response_at),
            _moment(t.solved_at),
            _moment(t.closed_at),
            _moment(t.time_to_own),
            _moment(t.time_to_resolve),
        ]
        for t in tickets.iterator(chunk_size=2000)
    ]


def _weather() -> list[list[Any]]:
    """The stored days in the columns of the Météo-France file (the ignored ones empty)."""
    from mutualis.alerts.models import DailyWeather
    from mutualis.imports.importers.weather import WeatherImporter

    names = WeatherImporter.column_names()
    rows = []
    for w in DailyWeather.objects.select_related("station").order_by("station__code", "day"):
        known = {
            "num_poste": w.station.code,
            "nom_usuel": w.station.name,
            "aaaammjj": f"{w.day:%Y%m%d}",
            "tn": w.minimum,
            "tx": w.maximum,
            "tm": w.mean,
        }
        rows.append([known.get(name) for name in names])
    return rows


def _school_holidays() -> list[list[Any]]:
    """As the national calendar writes them: the first day off and the day classes resume."""
    from mutualis.alerts.models import SchoolHoliday
    from mutualis.imports.importers.holidays import school_year, zone_label

    return [
        [
            h.name,
            "-",
            h.starts_on.isoformat(),
            (h.ends_on + dt.timedelta(days=1)).isoformat(),
            "",
            zone_label(h.zone),
            school_year(h.starts_on),
        ]
        for h in SchoolHoliday.objects.order_by("zone", "starts_on", "name")
    ]


def _current_euis() -> dict[int, str]:
    """Each sensor's DevEUI of its device in service (files name sensors by it)."""
    return dict(Device.objects.filter(removed_on__isnull=True).values_list("sensor_id", "dev_eui"))


def _heating_profiles() -> list[list[Any]]:
    from mutualis.alerts.models import HeatingProfile
    from mutualis.imports.importers.heating import weekdays_text, zone_text

    euis = _current_euis()
    profiles = HeatingProfile.objects.select_related("station").order_by("member_id", "sensor_id")
    return [
        [
            euis.get(p.sensor_id, ""),
            p.station.code,
            weekdays_text(p.weekdays),
            zone_text(p.holiday_zone),
            flag_text(p.closed_on_public_holidays),
            flag_text(p.active),
        ]
        for p in profiles
    ]


def _meter_sectors() -> list[list[Any]]:
    from mutualis.alerts.models import MeterSector
    from mutualis.imports.importers.sectors import LIST_SEPARATOR as METER_SEPARATOR

    in_service = Device.objects.filter(removed_on__isnull=True)
    sectors = (
        MeterSector.objects.select_related("member")
        .annotate(
            head=Subquery(in_service.filter(sensor=OuterRef("district_id")).values("dev_eui")[:1])
        )
        .order_by("member__name", "member_id", "name")
    )
    behind: dict[int, list[str]] = {}
    links = MeterSector.behind.through.objects.filter(sensor__devices__removed_on__isnull=True)
    for sector_id, eui in links.values_list("metersector_id", "sensor__devices__dev_eui"):
        behind.setdefault(sector_id, []).append(eui)
    return [
        [
            member_code(s.member),
            s.name,
            s.head or "",
            METER_SEPARATOR.join(sorted(behind.get(s.pk, []))),
            flag_text(s.active),
        ]
        for s in sectors
    ]


@dataclass(frozen=True)
class Export:
    kind: str
    file_stem: str
    build: Callable[[], list[list[Any]]]

    @property
    def headers(self) -> list[str]:
        return get_importer(self.kind).column_names()

    @property
    def label(self) -> str:
        return ImportKind(self.kind).label

    def file_name_stem(self) -> str:
        return f"{self.file_stem}-{timezone.localdate():%Y-%m-%d}"


EXPORTS: dict[str, Export] = {
    export.kind: export
    for export in (
        Export(ImportKind.MEMBERS, "collectivites", _members),
        Export(ImportKind.ESTABLISHMENTS, "etablissements", _establishments),
        Export(ImportKind.MEMBERSHIPS, "adhesions", _memberships),
        Export(ImportKind.SUBSCRIPTIONS, "souscriptions", _subscriptions),
        Export(ImportKind.USAGE, "consommations", _usage),
        Export(ImportKind.SENSORS, "capteurs", _sensors),
        Export(ImportKind.TICKETS, "demandes-assistance", _tickets),
        Export(ImportKind.WEATHER, "meteo-quotidienne", _weather),
        Export(ImportKind.SCHOOL_HOLIDAYS, "vacances-scolaires", _school_holidays),
        Export(ImportKind.HEATING_PROFILES, "profils-de-chauffage", _heating_profiles),
        Export(ImportKind.METER_SECTORS, "secteurs-reseaux-eau", _meter_sectors),
    )
}
