"""The territorial data platform: gateways, sensors of the members, their readings.

A Sensor is the logical sensor (a water meter of a school, the temperature of a room): its
series of readings lives as long as it does. The radio device that reports for it (a Device,
by its DevEUI) may be replaced: the new device continues the same sensor and series.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from mutualis.core.models import TimeStampedModel
from mutualis.members.access import MemberOwnedQuerySet
from mutualis.members.models import Member
from mutualis.territory.models import Commune


class Quantity(models.TextChoices):
    """What a measure measures; its unit is fixed (UNITS)."""

    WATER_VOLUME = "water_volume", _("Volume d'eau")
    TEMPERATURE = "temperature", _("Température")
    HUMIDITY = "humidity", _("Humidité relative")
    CO2 = "co2", _("Dioxyde de carbone")
    ILLUMINANCE = "illuminance", _("Éclairement")
    PRESSURE = "pressure", _("Pression atmosphérique")
    ENERGY = "energy", _("Énergie électrique")
    POWER = "power", _("Puissance électrique")
    LEVEL = "level", _("Hauteur d'eau")
    NOISE = "noise", _("Niveau sonore")
    PRESENCE = "presence", _("Présence")
    COUNT = "count", _("Comptage")
    BATTERY = "battery", _("Tension de la pile")


UNITS: dict[str, str] = {
    Quantity.WATER_VOLUME: "m³",
    Quantity.TEMPERATURE: "°C",
    Quantity.HUMIDITY: "%",
    Quantity.CO2: "ppm",
    Quantity.ILLUMINANCE: "lx",
    Quantity.PRESSURE: "hPa",
    Quantity.ENERGY: "kWh",
    Quantity.POWER: "W",
    Quantity.LEVEL: "m",
    Quantity.NOISE: "dB(A)",
    Quantity.PRESENCE: "",
    Quantity.COUNT: "",
    Quantity.BATTERY: "V",
}


class SensorKind(models.TextChoices):
    WATER_METER = "water_meter", _("Compteur d'eau")
    ENERGY_METER = "energy_meter", _("Compteur d'énergie")
    COMFORT = "comfort", _("Confort d'un bâtiment (température, humidité)")
    AIR_QUALITY = "air_quality", _("Qualité de l'air")
    OCCUPANCY = "occupancy", _("Présence, fréquentation")
    WEATHER = "weather", _("Station météo")
    WATER_LEVEL = "water_level", _("Niveau d'eau")
    OTHER = "other", _("Autre")


class Decoder(models.TextChoices):
    NETWORK = "network", _("Décodé par le serveur de réseau")
    LPP = "lpp", _("Cayenne LPP")


eui_validator = RegexValidator(
    r"^[0-9a-f]{16}$", _("Un identifiant EUI s'écrit en 16 chiffres hexadécimaux (0-9, a-f).")
)
LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]


class GatewayQuerySet(MemberOwnedQuerySet):
    member_field = "owner"


class Gateway(TimeStampedModel):
    """A LoRaWAN gateway: the operator's (no owner) or a member's."""

    eui = models.CharField(_("identifiant (EUI)"), max_length=64, unique=True)
    name = models.CharField(_("nom"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    owner = models.ForeignKey(
        Member,
        verbose_name=_("propriétaire"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gateways",
        help_text=_("Vide : une passerelle de l'opérateur."),
    )
    last_seen_at = models.DateTimeField(_("vue pour la dernière fois"), null=True, blank=True)
    last_rssi = models.IntegerField(_("dernier RSSI (dBm)"), null=True, blank=True)
    last_snr = models.FloatField(_("dernier rapport signal/bruit (dB)"), null=True, blank=True)

    objects = GatewayQuerySet.as_manager()

    class Meta:
        verbose_name = _("passerelle")
        ordering = ["name", "eui"]

    def __str__(self) -> str:
        return self.name or self.eui


class DeviceModel(TimeStampedModel):
    """A make and model of sensor: how its values are decoded and which measure each feeds."""

    make = models.CharField(_("fabricant"), max_length=100)
    model = models.CharField(_("modèle"), max_length=100)
    generation = models.CharField(_("génération"), max_length=50, blank=True)
    decoder = models.CharField(
        _("décodage"), max_length=20, choices=Decoder.choices, default=Decoder.NETWORK
    )
    field_map = models.JSONField(
        _("correspondance des valeurs"),
        default=dict,
        blank=True,
        help_text=_(
            "Nom d'une valeur décodée → grandeur mesurée, par exemple "
            '{"temperature_1": "temperature", "index": "water_volume"}.'
        ),
    )

    class Meta:
        verbose_name = _("modèle de capteur")
        verbose_name_plural = _("modèles de capteurs")
        ordering = ["make", "model", "generation"]
        constraints = [
            models.UniqueConstraint(
                fields=["make", "model", "generation"], name="iot_device_model_unique"
            )
        ]

    def __str__(self) -> str:
        return " ".join(part for part in (self.make, self.model, self.generation) if part)


BUILDING_MAX_LENGTH = 200


class SensorQuerySet(MemberOwnedQuerySet):
    pass


class Sensor(TimeStampedModel):
    """A logical sensor of a member: where it is, what it measures, how often it reports."""

    member = models.ForeignKey(
        Member, verbose_name=_("membre"), on_delete=models.PROTECT, related_name="sensors"
    )
    name = models.CharField(
        _("libellé"),
        max_length=200,
        help_text=_("Par exemple « École Jules-Ferry, chaufferie »."),
    )
    building = models.CharField(
        _("Bâtiment ou équipement"),
        max_length=BUILDING_MAX_LENGTH,
        blank=True,
        help_text=_(
            "Ce qui regroupe les capteurs d'un même lieu, par exemple « École Jules-Ferry »."
        ),
    )
    kind = models.CharField(_("type"), max_length=20, choices=SensorKind.choices)
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    installed_on = models.DateField(_("date d'installation"), null=True, blank=True)
    reporting_minutes = models.PositiveIntegerField(
        _("intervalle d'émission attendu (minutes)"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(60 * 24 * 31)],
    )
    open_data = models.BooleanField(_("publié en données ouvertes"), default=False)
    active = models.BooleanField(_("actif"), default=True)
    last_seen_at = models.DateTimeField(_("dernière émission"), null=True, blank=True)

    objects = SensorQuerySet.as_manager()

    class Meta:
        verbose_name = _("capteur")
        ordering = ["name", "pk"]
        # No index on last_seen_at: each ingestion batch moves it forward, and an update that
        # changes no indexed column stays in its page without touching any index (HOT; the
        # table leaves room for it on PostgreSQL, migration 0007). The hypervision's silent
        # sensors read the table through.
        indexes = [
            models.Index(fields=["member", "kind"]),
            models.Index(fields=["member", "building"], name="iot_sensor_building"),
        ]

    def __str__(self) -> str:
        return self.name


class DeviceQuerySet(MemberOwnedQuerySet):
    member_field = "sensor__member"


class Device(TimeStampedModel):
    """The radio device reporting for a sensor, from its installation to its removal."""

    sensor = models.ForeignKey(Sensor, on_delete=models.PROTECT, related_name="devices")
    dev_eui = models.CharField(_("DevEUI"), max_length=16, unique=True, validators=[eui_validator])
    make = models.CharField(_("fabricant"), max_length=100, blank=True)
    model = models.CharField(_("modèle"), max_length=100, blank=True)
    generation = models.CharField(_("génération"), max_length=50, blank=True)
    installed_on = models.DateField(_("posé le"), null=True, blank=True)
    removed_on = models.DateField(_("déposé le"), null=True, blank=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = _("appareil")
        ordering = ["sensor", "installed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sensor"],
                condition=Q(removed_on__isnull=True),
                name="iot_one_current_device",
            )
        ]

    def __str__(self) -> str:
        return self.dev_eui


class Measure(models.Model):
    """One quantity a sensor measures; its readings hang from it. Its latest value is kept
    here by the rollups (rollups.py) so that « the latest values » never scan the readings."""

    sensor = models.ForeignKey(
        Sensor, on_delete=models.CASCADE, related_name="measures", db_index=False
    )  # the unique constraint starts with it
    quantity = models.CharField(_("grandeur"), max_length=20, choices=Quantity.choices)
    last_time = models.DateTimeField(_("heure de la dernière valeur"), null=True, blank=True)
    last_value = models.FloatField(_("dernière valeur"), null=True, blank=True)

    class Meta:
        verbose_name = _("mesure")
        ordering = ["sensor", "quantity"]
        constraints = [
            models.UniqueConstraint(fields=["sensor", "quantity"], name="iot_measure_unique")
        ]
        # The hypervision's low batteries: the measures of a quantity. Not on last_value:
        # each ingestion batch updates it, and an update that changes no indexed column
        # stays in its page without touching any index (HOT, migration 0007).
        indexes = [models.Index(fields=["quantity"], name="iot_measure_quantity")]

    def __str__(self) -> str:
        return (
            f"{self.get_quantity_display()} ({self.unit})"
            if self.unit
            else str(self.get_quantity_display())
        )

    @property
    def unit(self) -> str:
        return UNITS[self.quantity]


class EventKind(models.TextChoices):
    INSTALLATION = "installation", _("Installation")
    BATTERY = "battery", _("Changement de pile")
    REPLACEMENT = "replacement", _("Remplacement de l'appareil")
    MOVE = "move", _("Déplacement")
    NOTE = "note", _("Intervention")


class SensorEvent(TimeStampedModel):
    """The maintenance history of a sensor."""

    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("intervention"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    note = models.CharField(_("commentaire"), max_length=300, blank=True)
    details = models.JSONField(_("détails"), default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )

    class Meta:
        verbose_name = _("intervention sur un capteur")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.sensor} — {self.get_kind_display()} ({self.date})"


class ReadingQuerySet(MemberOwnedQuerySet):
    member_field = "sensor__member"


class Reading(models.Model):
    """One value of one measure at one time: the narrow time-series table. A delivery of the
    same uplink again writes nothing (the unique constraint, inserts that ignore conflicts).

    On PostgreSQL the table is partitioned by month on `time` (migration 0002, storage.py):
    its primary key there is (id, time), `id` coming from its own sequence; Django still
    addresses a row by `id`, which stays unique. `received_at` is filled by the database."""

    # No index of its own on sensor: the unique constraint starts with it (one index less
    # to maintain on every insert).
    sensor = models.ForeignKey(
        Sensor, on_delete=models.CASCADE, related_name="readings", db_index=False
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    time = models.DateTimeField(_("heure"))
    value = models.FloatField(_("valeur"))
    received_at = models.DateTimeField(_("reçue le"), db_default=Now(), editable=False)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        verbose_name = _("valeur mesurée")
        verbose_name_plural = _("valeurs mesurées")
        ordering = ["sensor", "measure", "time"]
        constraints = [
            models.UniqueConstraint(fields=["sensor", "measure", "time"], name="iot_reading_once")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.time:%Y-%m-%d %H:%M}: {self.value}"


class QuarantineReason(models.TextChoices):
    MALFORMED = "malformed", _("Message illisible")
    UNKNOWN_DEVICE = "unknown_device", _("Appareil inconnu")
    INACTIVE_SENSOR = "inactive_sensor", _("Capteur désactivé")
    UNDECODED = "undecoded", _("Valeurs indécodables")


class QuarantinedMessage(models.Model):
    """A message set aside instead of stored: what came, whence, and why."""

    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    source = models.CharField(_("canal"), max_length=10)  # "mqtt" or "http"
    network = models.CharField(_("serveur de réseau"), max_length=20, blank=True)
    topic = models.CharField(_("sujet"), max_length=300, blank=True)
    dev_eui = models.CharField(_("DevEUI"), max_length=16, blank=True)
    reason = models.CharField(_("raison"), max_length=20, choices=QuarantineReason.choices)
    detail = models.CharField(_("détail"), max_length=300, blank=True)
    body = models.TextField(_("message"), blank=True)
    # The same message delivered again is set aside once: a digest of its topic and body.
    fingerprint = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        verbose_name = _("message en quarantaine")
        verbose_name_plural = _("messages en quarantaine")
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["reason"]), models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.dev_eui or self.topic}"


class RollupQuerySet(MemberOwnedQuerySet):
    member_field = "sensor__member"


class Rollup(models.Model):
    """The values of one measure over a period: how many, min, max, sum and the last one.
    Maintained by rollups.py after each ingestion batch, rebuilt from the readings by
    `mutualis iot rollups`."""

    sensor = models.ForeignKey(
        Sensor, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # the unique constraint starts with it
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(_("nombre de valeurs"))
    min = models.FloatField(_("minimum"))
    max = models.FloatField(_("maximum"))
    sum = models.FloatField(_("somme"))
    last = models.FloatField(_("dernière valeur"))
    last_time = models.DateTimeField(_("heure de la dernière valeur"))

    objects = RollupQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.measure_id}: {self.count} × {self.mean:g}"

    @property
    def mean(self) -> float:
        return self.sum / self.count


class HourlyRollup(Rollup):
    """An hour (UTC) of a measure. Partitioned by month on `hour` on PostgreSQL, like the
    readings."""

    hour = models.DateTimeField(_("heure"))

    class Meta:
        verbose_name = _("agrégat horaire")
        verbose_name_plural = _("agrégats horaires")
        ordering = ["measure", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["sensor", "measure", "hour"], name="iot_hourly_once")
        ]


class DailyRollup(Rollup):
    """A day of a measure, in the operator's time zone (TIME_ZONE): what a member's month
    and year are read from."""

    day = models.DateField(_("jour"))

    class Meta:
        verbose_name = _("agrégat quotidien")
        verbose_name_plural = _("agrégats quotidiens")
        ordering = ["measure", "day"]
        constraints = [
            models.UniqueConstraint(fields=["sensor", "measure", "day"], name="iot_daily_once")
        ]
