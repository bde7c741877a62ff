"""JSON API of the rollups: a member's hourly and daily figures, with the same rights as the
readings (a member's agents see their members' sensors only)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets

from mutualis.core.numbers import InputError, parse_date
from mutualis.iot.api import filter_by_sensor_and_period
from mutualis.iot.models import UNITS, DailyRollup, HourlyRollup, Quantity

FIELDS = ["id", "sensor", "measure", "quantity", "unit", "count", "min", "max", "mean", "sum"]
FIELDS += ["last", "last_time"]


class _RollupSerializer(serializers.ModelSerializer):
    quantity = serializers.CharField(source="measure.quantity", read_only=True)
    unit = serializers.SerializerMethodField()
    mean = serializers.FloatField(read_only=True)

    def get_unit(self, obj) -> str:
        return UNITS[obj.measure.quantity]


class HourlyRollupSerializer(_RollupSerializer):
    class Meta:
        model = HourlyRollup
        fields = [*FIELDS[:1], "hour", *FIELDS[1:]]


class DailyRollupSerializer(_RollupSerializer):
    class Meta:
        model = DailyRollup
        fields = [*FIELDS[:1], "day", *FIELDS[1:]]


def _parameters(bound: str, example: str):
    return [
        OpenApiParameter("sensor", int, description="Numéro du capteur."),
        OpenApiParameter("quantity", str, enum=Quantity.values, description="Grandeur mesurée."),
        OpenApiParameter("since", str, description=f"Depuis ce {bound} inclus ({example})."),
        OpenApiParameter("until", str, description=f"Jusqu'à ce {bound} exclu ({example})."),
    ]


class _RollupViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    model: type
    bound: str

    def get_queryset(self):
        return (
            self.model.objects.visible_to(self.request.user)
            .select_related("measure")
            .order_by("sensor_id", "measure_id", self.bound)
        )

    def filter_queryset(self, queryset):
        field = "hour__date" if self.bound == "hour" else "day"
        return filter_by_sensor_and_period(queryset, self.request.query_params, field, _day)


def _day(name: str, raw: str):
    try:
        return parse_date(raw)
    except InputError as error:
        raise exceptions.ValidationError({name: error.message}) from error


@extend_schema_view(list=extend_schema(parameters=_parameters("jour", "2026-11-30")))
class HourlyRollupViewSet(_RollupViewSet):
    """Hourly figures of the measures (hours in UTC), by sensor, measure and hour."""

    serializer_class = HourlyRollupSerializer
    model = HourlyRollup
    bound = "hour"


@extend_schema_view(list=extend_schema(parameters=_parameters("jour", "2026-11-30")))
class DailyRollupViewSet(_RollupViewSet):
    """Daily figures of the measures (days in the operator's time zone)."""

    serializer_class = DailyRollupSerializer
    model = DailyRollup
    bound = "day"
