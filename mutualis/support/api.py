"""JSON API of the support: the tickets and each member's figures of a year. Read only;
agents see their members' only (the operator's staff, every member)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets

from mutualis.core.api import MEMBER_PARAMETER, MemberFilterMixin
from mutualis.members.models import Member
from mutualis.support import selectors
from mutualis.support.models import Ticket

YEAR_PARAMETER = OpenApiParameter(
    "year", int, description="Année d'ouverture des demandes (par défaut la dernière)."
)


class TicketSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ticket
        fields = [
            "id",
            "member",
            "source",
            "external_id",
            "title",
            "category",
            "status",
            "priority",
            "opened_at",
            "first_response_at",
            "solved_at",
            "closed_at",
            "response_seconds",
            "resolution_seconds",
            "time_to_own",
            "time_to_resolve",
        ]


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER, YEAR_PARAMETER]))
class TicketViewSet(MemberFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Support requests, from GLPI or imported; `?year=` keeps those opened that year."""

    serializer_class = TicketSerializer

    def get_queryset(self):
        tickets = Ticket.objects.visible_to(self.request.user).filter(member__isnull=False)
        if self.action == "list" and "year" in self.request.query_params:
            start, end = selectors.year_bounds(_year(self.request))
            tickets = tickets.filter(opened_at__gte=start, opened_at__lt=end)
        return tickets.order_by("-opened_at", "-pk")


def _year(request) -> int:
    raw = request.query_params.get("year")
    if raw is None:
        return selectors.default_year()
    if not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise exceptions.ValidationError({"year": _("Une année de 2000 à 2100 est attendue.")})
    return int(raw)


class SpreadSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    median_seconds = serializers.FloatField(source="median")
    p90_seconds = serializers.FloatField(source="p90")


class SlaSerializer(serializers.Serializer):
    met = serializers.IntegerField()
    counted = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class WaitSerializer(serializers.Serializer):
    external_id = serializers.CharField(source="ref")
    title = serializers.CharField()
    opened_at = serializers.DateTimeField()
    seconds = serializers.IntegerField()
    done = serializers.BooleanField()


class FiguresSerializer(serializers.Serializer):
    tickets = serializers.IntegerField()
    open = serializers.IntegerField()
    response = SpreadSerializer(allow_null=True)
    resolution = SpreadSerializer(allow_null=True)
    response_sla = SlaSerializer()
    resolution_sla = SlaSerializer()
    longest = WaitSerializer(many=True)


class MemberSupportSerializer(serializers.ModelSerializer):
    """A member (`id`, `name`) and its figures of the year asked (durations in seconds, see
    docs/support.md)."""

    year = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Member
        fields = ["id", "name", "year", "figures"]

    def get_year(self, member) -> int:
        return self.context["year"]

    @extend_schema_field(FiguresSerializer)
    def get_figures(self, member) -> dict:
        support = selectors.member_support(member, self.context["year"])
        return FiguresSerializer(support.figures).data


@extend_schema_view(
    list=extend_schema(parameters=[YEAR_PARAMETER]),
    retrieve=extend_schema(parameters=[YEAR_PARAMETER]),
)
class MemberSupportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Each member's support figures of a year: the members with tickets that year (a
    member asked by its number answers even without)."""

    serializer_class = MemberSupportSerializer

    def get_queryset(self):
        members = Member.objects.visible_to(self.request.user)
        if self.action == "list":
            opened = selectors.tickets_of_year(_year(self.request)).values("member_id")
            members = members.filter(pk__in=opened)
        return members.order_by("search_name", "pk")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "year": _year(self.request)}
