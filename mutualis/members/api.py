from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from mutualis.core.api import MEMBER_PARAMETER, MemberFilterMixin
from mutualis.members.models import Member, Membership


class MemberSerializer(serializers.ModelSerializer):
    epci_siren = serializers.CharField(source="epci.siren", default=None, read_only=True)
    departement_code = serializers.CharField(
        source="departement.code", default=None, read_only=True
    )

    class Meta:
        model = Member
        fields = [
            "id",
            "kind",
            "establishment_kind",
            "name",
            "siren",
            "insee_code",
            "population",
            "parent",
            "epci_siren",
            "departement_code",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["id", "member", "part", "start_date", "end_date", "end_reason", "decision"]


class MemberViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = MemberSerializer

    def get_queryset(self):
        return (
            Member.objects.visible_to(self.request.user)
            .select_related("epci", "departement")
            .order_by("name", "pk")
        )


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER]))
class MembershipViewSet(MemberFilterMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = MembershipSerializer

    def get_queryset(self):
        return Membership.objects.visible_to(self.request.user).order_by("-start_date", "pk")
