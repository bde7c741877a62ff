"""« Eau et énergie » on the élus' page of a commune (insights): what the alerts found and
saved in a year, in figures an elected official can read.

Water saved by a leak found and repaired — the method, as the page prints it: a leak nobody
watches runs until someone notices it, taken as ``LEAK_UNNOTICED_DAYS`` (the next reading of
the meter by the water service; 90 days by default); a detected leak ran from its alert to its
resolution. What detection saved is the leak's rate × the time it did not run:
``rate × max(0, unnoticed − (resolved − opened))``. The rate is what the rule measured: litres
per hour above the meter's own night or continuous baseline, or the day's excess volume (a
jump, a network loss) spread over 24 h. Only resolved leaks count. The price per m³
(``WATER_PRICE_PER_M3``, 4.30 € by default: water and sanitation, the French average) turns
the volume into euros.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mutualis.alerts.models import Alert, AlertStatus, Cause
from mutualis.iot.models import Sensor
from mutualis.members.models import Member

LEAKS = (Cause.CONTINUOUS_FLOW, Cause.NIGHT_FLOW, Cause.DAILY_JUMP, Cause.NETWORK_BALANCE)
PER_DAY = (Cause.DAILY_JUMP, Cause.NETWORK_BALANCE)  # measured in litres a day
HEATING = (Cause.HEATING_UNOCCUPIED, Cause.HEATING_OUT_OF_LINE)


def unnoticed_days() -> int:
    return int(getattr(settings, "LEAK_UNNOTICED_DAYS", 90))


def water_price() -> Decimal:
    return Decimal(str(getattr(settings, "WATER_PRICE_PER_M3", "4.30")))


def litres_saved(alert: Alert, unnoticed: dt.timedelta) -> float:
    """What the repair of a detected leak saved (see the module's method)."""
    if alert.resolved_at is None:
        return 0.0
    rate = alert.measured / 24 if alert.cause in PER_DAY else alert.measured  # L/h
    avoided = unnoticed - (alert.resolved_at - alert.opened_at)
    return max(0.0, rate) * max(0.0, avoided.total_seconds() / 3600)


@dataclass
class WaterEnergy:
    year: int
    leaks_found: int = 0
    leaks_resolved: int = 0
    saved_m3: float = 0.0
    saved_cents: int = 0
    price_per_m3: Decimal = Decimal(0)
    unnoticed_days: int = 90
    buildings_out_of_line: list[str] = field(default_factory=list)
    sensors_active: int = 0
    sensors_reporting: int = 0

    @property
    def any(self) -> bool:
        return bool(self.sensors_active or self.leaks_found or self.buildings_out_of_line)


def water_energy(member: Member, year: int, *, now: dt.datetime | None = None) -> WaterEnergy:
    now = now or timezone.now()
    result = WaterEnergy(year, price_per_m3=water_price(), unnoticed_days=unnoticed_days())
    alerts = Alert.objects.filter(member=member, opened_at__year=year)
    leaks = list(alerts.filter(cause__in=LEAKS))
    result.leaks_found = len(leaks)
    resolved = [a for a in leaks if a.status == AlertStatus.RESOLVED]
    result.leaks_resolved = len(resolved)
    unnoticed = dt.timedelta(days=result.unnoticed_days)
    litres = sum(litres_saved(a, unnoticed) for a in resolved)
    result.saved_m3 = round(litres / 1000, 1)
    cents = Decimal(str(litres / 1000)) * result.price_per_m3 * 100
    result.saved_cents = int(cents.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    result.buildings_out_of_line = sorted(
        set(alerts.filter(cause__in=HEATING).values_list("sensor__name", flat=True))
    )
    sensors = Sensor.objects.filter(member=member, active=True)
    result.sensors_active = sensors.count()
    result.sensors_reporting = sensors.filter(
        Q(last_seen_at__gte=now - dt.timedelta(days=1))
    ).count()
    return result


def sentences(figures: WaterEnergy) -> list[str]:
    """The « Eau et énergie » block in plain French sentences (the printable report)."""
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from mutualis.billing.money import format_euros, format_quantity

    if not figures.any:
        return []
    leaks = ngettext(
        "Fuites d'eau : %(n)s repérée par les compteurs en %(year)s",
        "Fuites d'eau : %(n)s repérées par les compteurs en %(year)s",
        figures.leaks_found,
    ) % {"n": figures.leaks_found, "year": figures.year}
    leaks += ngettext(
        ", dont %(fixed)s réparée", ", dont %(fixed)s réparées", figures.leaks_resolved
    ) % {"fixed": figures.leaks_resolved}
    if figures.saved_m3:
        leaks += _(" ; environ %(m3)s m³ d'eau économisés, soit %(euros)s.") % {
            "m3": format_quantity(Decimal(str(figures.saved_m3))),
            "euros": format_euros(figures.saved_cents),
        }
    else:
        leaks += "."
    out = figures.buildings_out_of_line
    heating = (
        _("Chauffage : aucun bâtiment chauffé à vide ni hors de la courbe météo.")
        if not out
        else ngettext(
            "Chauffage : %(n)s bâtiment à regarder (%(names)s).",
            "Chauffage : %(n)s bâtiments à regarder (%(names)s).",
            len(out),
        )
        % {"n": len(out), "names": ", ".join(out)}
    )
    if figures.sensors_reporting:
        sensors = ngettext(
            "Capteurs : %(n)s en service, dont %(ok)s a donné des nouvelles ces dernières "
            "24 heures.",
            "Capteurs : %(n)s en service, dont %(ok)s ont donné des nouvelles ces dernières "
            "24 heures.",
            figures.sensors_reporting,
        ) % {"n": figures.sensors_active, "ok": figures.sensors_reporting}
    else:
        sensors = _(
            "Capteurs : %(n)s en service, aucun n'a donné de nouvelles ces dernières 24 heures."
        ) % {"n": figures.sensors_active}
    return [leaks, heating, sensors]


def method(figures: WaterEnergy) -> str:
    from django.utils.translation import gettext as _

    return _(
        "Eau économisée : une fuite non surveillée coule environ %(days)s jours avant qu'on la "
        "remarque ; une fuite détectée ne coule que de l'alerte à sa réparation. Débit mesuré × "
        "temps gagné, fuites réparées seulement ; eau à %(price)s € le m³."
    ) % {"days": figures.unnoticed_days, "price": str(figures.price_per_m3).replace(".", ",")}
