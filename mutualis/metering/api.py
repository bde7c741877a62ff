"""Usage through the API: operators with MANAGE_BILLING push readings; everyone lists the
readings of the members they may see."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from mutualis.core.roles import Capability, operators_with
from mutualis.members.models import Member
from mutualis.metering.models import UsageRecord, UsageSource
from mutualis.metering.services import UsageReading, usage_record_set


class UsageRecordSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(write_only=True, required=False, allow_blank=True)
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = UsageRecord
        fields = [
            "id",
            "member",
            "service",
            "period",
            "year",
            "month",
            "quantity",
            "unit",
            "note",
            "source",
            "outcome",
            "updated_at",
        ]
        read_only_fields = ["source", "updated_at"]
        validators = []  # one reading per period: a new one replaces it (see create)

    def get_outcome(self, obj) -> str:
        return self.context.get("outcome", "")


class UsageRecordViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """POST records a reading (it replaces the reading of the same period): `outcome` says
    created, replaced or unchanged."""

    serializer_class = UsageRecordSerializer
    write_rules = {"create": operators_with(Capability.MANAGE_BILLING)}

    def get_queryset(self):
        return (
            UsageRecord.objects.visible_to(self.request.user)
            .select_related("service")
            .order_by("-year", "-month", "pk")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member = get_object_or_404(Member.objects.visible_to(request.user), pk=data["member"].pk)
        reading = UsageReading(
            member=member,
            service=data["service"],
            period=data["period"],
            year=data["year"],
            month=data["month"],
            quantity=data["quantity"],
            unit=data.get("unit", ""),
        )
        try:
            record, outcome = usage_record_set(
                reading=reading,
                source=UsageSource.API,
                recorded_by=request.user,
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        output = UsageRecordSerializer(record, context={"outcome": outcome})
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(output.data, status=code)
