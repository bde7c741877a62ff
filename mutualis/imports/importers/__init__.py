"""One importer per kind of data; the registry maps an ImportKind to its importer."""

from mutualis.imports.importers.base import Column, Importer
from mutualis.imports.importers.establishments import EstablishmentsImporter
from mutualis.imports.importers.heating import HeatingProfilesImporter
from mutualis.imports.importers.holidays import SchoolHolidaysImporter
from mutualis.imports.importers.members import MembersImporter
from mutualis.imports.importers.memberships import MembershipsImporter
from mutualis.imports.importers.needs import NeedsImporter
from mutualis.imports.importers.sectors import MeterSectorsImporter
from mutualis.imports.importers.sensors import SensorsImporter
from mutualis.imports.importers.subscriptions import SubscriptionsImporter
from mutualis.imports.importers.tickets import TicketsImporter
from mutualis.imports.importers.usage import UsageImporter
from mutualis.imports.importers.weather import WeatherImporter

IMPORTERS: dict[str, type[Importer]] = {
    importer.kind: importer
    for importer in (
        MembersImporter,
        EstablishmentsImporter,
        MembershipsImporter,
        SubscriptionsImporter,
        UsageImporter,
        NeedsImporter,
        SensorsImporter,
        TicketsImporter,
        WeatherImporter,
        SchoolHolidaysImporter,
        HeatingProfilesImporter,
        MeterSectorsImporter,
    )
}


def get_importer(kind: str) -> type[Importer]:
    return IMPORTERS[kind]


__all__ = ["IMPORTERS", "Column", "Importer", "get_importer"]
