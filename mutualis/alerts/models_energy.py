"""What the network balance and the heating rules read besides the readings: the sectors of
a water network, the weather (stations and their daily observations), school holidays and the
heating profile of a building's energy meter."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.iot.models import Sensor
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member


class MeterSector(TimeStampedModel):
    """A district (or building) water meter and the meters behind it: what the district meter
    counts beyond their sum is lost on the way (the network balance)."""

    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="meter_sectors"
    )
    name = models.CharField(_("nom du secteur"), max_length=200)
    district = models.OneToOneField(
        Sensor,
        verbose_name=_("compteur de tête (sectorisation)"),
        on_delete=models.CASCADE,
        related_name="sector_as_district",
    )
    behind = models.ManyToManyField(
        Sensor, verbose_name=_("compteurs en aval"), related_name="sectors_as_behind"
    )
    active = models.BooleanField(_("suivi"), default=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("secteur de réseau d'eau")
        verbose_name_plural = _("secteurs de réseau d'eau")
        ordering = ["member", "name"]
        constraints = [
            models.UniqueConstraint(fields=["member", "name"], name="alerts_sector_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class WeatherStation(TimeStampedModel):
    """A weather station: Météo-France's (by its NUM_POSTE), or one of the members' sensors."""

    code = models.CharField(
        _("numéro du poste"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z_-]+$")],
        help_text=_("Le NUM_POSTE de Météo-France (8 chiffres), par exemple 33281001."),
    )
    name = models.CharField(_("nom"), max_length=200)
    sensor = models.ForeignKey(
        Sensor,
        verbose_name=_("capteur du territoire"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Une station météo de la plateforme : ses moyennes journalières complètent."),
    )

    class Meta:
        verbose_name = _("station météo")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class DailyWeather(models.Model):
    """One day at one station (°C): minimum, maximum, mean — as the open-data files give them."""

    station = models.ForeignKey(
        WeatherStation, on_delete=models.CASCADE, related_name="days", verbose_name=_("station")
    )
    day = models.DateField(_("jour"))
    minimum = models.FloatField(_("température minimale (TN)"), null=True, blank=True)
    maximum = models.FloatField(_("température maximale (TX)"), null=True, blank=True)
    mean = models.FloatField(_("température moyenne (TM)"), null=True, blank=True)

    class Meta:
        verbose_name = _("météo du jour")
        verbose_name_plural = _("météo des jours")
        ordering = ["station", "day"]
        constraints = [
            models.UniqueConstraint(fields=["station", "day"], name="alerts_weather_once")
        ]

    def __str__(self) -> str:
        return f"{self.station.code} {self.day:%Y-%m-%d}"

    @property
    def daily_mean(self) -> float | None:
        """TM when given, else the mean of TN and TX (Météo-France's TNTXM)."""
        if self.mean is not None:
            return self.mean
        if self.minimum is not None and self.maximum is not None:
            return (self.minimum + self.maximum) / 2
        return None


class HolidayZone(models.TextChoices):
    A = "A", _("Zone A")
    B = "B", _("Zone B")
    C = "C", _("Zone C")
    CORSE = "corse", _("Corse")


class SchoolHoliday(TimeStampedModel):
    """School holidays of a zone, first and last day off (as the national calendar prints
    them, the weekend days included)."""

    zone = models.CharField(_("zone"), max_length=10, choices=HolidayZone.choices)
    name = models.CharField(_("vacances"), max_length=100)
    starts_on = models.DateField(_("premier jour"))
    ends_on = models.DateField(_("dernier jour"))

    class Meta:
        verbose_name = _("vacances scolaires")
        verbose_name_plural = _("vacances scolaires")
        ordering = ["zone", "starts_on"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_zone_display()})"


class HeatingProfile(TimeStampedModel):
    """When a building is occupied and which weather it heats against: its energy meter's
    daily consumption is regressed on the degree-days of the station (the heating rules)."""

    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="+"
    )
    sensor = models.OneToOneField(
        Sensor,
        verbose_name=_("compteur d'énergie du bâtiment"),
        on_delete=models.CASCADE,
        related_name="heating_profile",
    )
    station = models.ForeignKey(
        WeatherStation, verbose_name=_("station météo"), on_delete=models.PROTECT
    )
    weekdays = models.CharField(
        _("jours d'occupation"),
        max_length=7,
        default="01234",
        validators=[RegexValidator(r"^[0-6]{0,7}$")],
        help_text=_("Chiffres des jours occupés, 0 = lundi … 6 = dimanche (« 01234 »)."),
    )
    holiday_zone = models.CharField(
        _("fermé pendant les vacances scolaires de la zone"),
        max_length=10,
        choices=HolidayZone.choices,
        blank=True,
    )
    closed_on_public_holidays = models.BooleanField(_("fermé les jours fériés"), default=True)
    active = models.BooleanField(_("suivi"), default=True)

    objects = MemberOwnedQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil de chauffage d'un bâtiment")
        verbose_name_plural = _("profils de chauffage des bâtiments")
        ordering = ["member", "sensor"]

    def __str__(self) -> str:
        return str(self.sensor)

    @property
    def occupied_days(self) -> str:
        """« lundi, mardi, jeudi » — the days of ``weekdays`` in words."""
        names = [
            _("lundi"),
            _("mardi"),
            _("mercredi"),
            _("jeudi"),
            _("vendredi"),
            _("samedi"),
            _("dimanche"),
        ]
        return ", ".join(str(names[int(d)]) for d in self.weekdays) or str(_("aucun"))
