"""JSON API of the data platform: gateways, sensors and their readings. Member agents see
their members' sensors and readings; operator staff with MANAGE_IOT register sensors."""

from django.shortcuts import get_object_or_404
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.response import Response

from mutualis.core.api import MEMBER_PARAMETER, MemberFilterMixin
from mutualis.core.roles import Capability, operators_with
from mutualis.iot import selectors, services
from mutualis.iot.models import UNITS, Gateway, Quantity, Reading, Sensor, eui_validator
from mutualis.members.models import Member


class GatewaySerializer(serializers.ModelSerializer):
    class Meta:
        model = Gateway
        fields = [
            "id",
            "eui",
            "name",
            "latitude",
            "longitude",
            "commune",
            "owner",
            "last_seen_at",
            "last_rssi",
            "last_snr",
        ]


class GatewayViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GatewaySerializer

    def get_queryset(self):
        return Gateway.objects.visible_to(self.request.user).order_by("eui")


class SensorSerializer(serializers.ModelSerializer):
    # The current device (a replacement changes it) and the measures, shown and written.
    dev_eui = serializers.CharField(
        max_length=16, help_text="DevEUI de l'appareil actuel (16 chiffres hexadécimaux)."
    )
    make = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    model = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    generation = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    quantities = serializers.ListField(
        child=serializers.ChoiceField(choices=Quantity.choices), allow_empty=False
    )
    DEVICE_FIELDS = ("dev_eui", "make", "model", "generation")

    class Meta:
        model = Sensor
        fields = [
            "id",
            "member",
            "name",
            "building",
            "kind",
            "dev_eui",
            "make",
            "model",
            "generation",
            "quantities",
            "commune",
            "latitude",
            "longitude",
            "installed_on",
            "reporting_minutes",
            "open_data",
            "active",
            "last_seen_at",
        ]
        read_only_fields = ["last_seen_at"]

    def validate_dev_eui(self, value: str) -> str:
        value = value.strip().lower()
        eui_validator(value)
        return value

    def to_representation(self, instance):
        fields = self.fields
        data = {}
        for name, field in fields.items():
            if name in self.DEVICE_FIELDS or name == "quantities":
                continue
            attribute = field.get_attribute(instance)
            data[name] = None if attribute is None else field.to_representation(attribute)
        device = next((d for d in instance.devices.all() if d.removed_on is None), None)
        for name in self.DEVICE_FIELDS:
            data[name] = getattr(device, name) if device else ""
        data["quantities"] = sorted(m.quantity for m in instance.measures.all())
        return data


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER]))
class SensorViewSet(
    MemberFilterMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SensorSerializer
    write_rules = {"create": operators_with(Capability.MANAGE_IOT)}

    def get_queryset(self):
        return (
            Sensor.objects.visible_to(self.request.user)
            .prefetch_related("measures", "devices")
            .order_by("pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=data["member"].pk)
        sensor = services.sensor_create(
            data=services.SensorData(
                member=member,
                name=data["name"],
                building=data.get("building"),
                kind=data["kind"],
                quantities=tuple(data["quantities"]),
                commune=data.get("commune"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                installed_on=data.get("installed_on"),
                reporting_minutes=data.get("reporting_minutes", 60),
                open_data=data.get("open_data", False),
                active=data.get("active", True),
            ),
            device=services.DeviceData(
                dev_eui=data["dev_eui"],
                make=data["make"],
                model=data["model"],
                generation=data["generation"],
            ),
            user=request.user,
        )
        return Response(SensorSerializer(sensor).data, status=status.HTTP_201_CREATED)


class ReadingSerializer(serializers.ModelSerializer):
    quantity = serializers.CharField(source="measure.quantity", read_only=True)
    unit = serializers.SerializerMethodField()

    class Meta:
        model = Reading
        fields = ["id", "sensor", "measure", "quantity", "unit", "time", "value"]

    def get_unit(self, obj) -> str:
        return UNITS[obj.measure.quantity]


READING_PARAMETERS = [
    OpenApiParameter("sensor", int, description="Numéro du capteur."),
    OpenApiParameter("quantity", str, enum=Quantity.values, description="Grandeur mesurée."),
    OpenApiParameter("since", str, description="Depuis cette heure (ISO 8601, incluse)."),
    OpenApiParameter("until", str, description="Jusqu'à cette heure (ISO 8601, exclue)."),
]


@extend_schema_view(list=extend_schema(parameters=READING_PARAMETERS))
class ReadingViewSet(viewsets.ReadOnlyModelViewSet):
    """Readings, the most recent first."""

    serializer_class = ReadingSerializer

    def get_queryset(self):
        return selectors.readings(user=self.request.user)

    def filter_queryset(self, queryset):
        return filter_by_sensor_and_period(queryset, self.request.query_params, "time", _moment)


def filter_by_sensor_and_period(queryset, params, field: str, parse):
    """The filters of the readings and of the rollups: `sensor`, `quantity`, and the period
    [`since`, `until`) on `field`, each bound read by `parse` (raises ValidationError)."""
    sensor = params.get("sensor")
    if sensor is not None:
        if not sensor.isdigit():
            raise exceptions.ValidationError({"sensor": _("Un numéro de capteur est attendu.")})
        queryset = queryset.filter(sensor_id=int(sensor))
    quantity = params.get("quantity")
    if quantity is not None:
        if quantity not in Quantity.values:
            raise exceptions.ValidationError({"quantity": _("Grandeur inconnue.")})
        queryset = queryset.filter(measure__quantity=quantity)
    for name, lookup in (("since", "gte"), ("until", "lt")):
        raw = params.get(name)
        if raw is not None:
            queryset = queryset.filter(**{f"{field}__{lookup}": parse(name, raw)})
    return queryset


def _moment(name: str, raw: str):
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise exceptions.ValidationError(
            {name: _("Une heure ISO 8601 avec son fuseau est attendue.")}
        )
    return moment
