"""JSON API of the shared staff: agreements, planned days and the work log. Agents see their
members' rows only; technicians log their own days, planners anyone's; agents acknowledge or
contest their members' days."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mutualis.core import roles
from mutualis.core.api import drf_validation_error
from mutualis.core.roles import operators_with
from mutualis.staffing import perms, services
from mutualis.staffing.models import PlannedDay, StaffingAgreement, Technician, WorkLogEntry


class StaffingAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffingAgreement
        fields = [
            "id",
            "member",
            "service",
            "reference",
            "decision",
            "days",
            "per",
            "start_date",
            "end_date",
            "billing_basis",
            "technicians",
        ]


class PlannedDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedDay
        fields = ["id", "technician", "member", "agreement", "placement", "date", "half", "note"]


class WorkLogEntrySerializer(serializers.ModelSerializer):
    technician = serializers.PrimaryKeyRelatedField(queryset=Technician.objects.all())
    confirm_unusual_day = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Must be true to log a public holiday or a day the technician does not work.",
    )

    class Meta:
        model = WorkLogEntry
        fields = [
            "id",
            "technician",
            "member",
            "agreement",
            "date",
            "half",
            "category",
            "tasks",
            "support_reference",
            "acknowledged_by",
            "acknowledged_at",
            "contested_by",
            "contested_at",
            "contested_reason",
            "contest_resolution",
            "contest_resolved_by",
            "contest_resolved_at",
            "contest_resolution_note",
            "half_before_change",
            "confirm_unusual_day",
        ]
        read_only_fields = [
            "agreement",
            "acknowledged_by",
            "acknowledged_at",
            "contested_by",
            "contested_at",
            "contested_reason",
            "contest_resolution",
            "contest_resolved_by",
            "contest_resolved_at",
            "contest_resolution_note",
            "half_before_change",
        ]


class ContestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class StaffingAgreementViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StaffingAgreementSerializer

    def get_queryset(self):
        return (
            StaffingAgreement.objects.visible_to(self.request.user)
            .prefetch_related("technicians")
            .order_by("start_date", "pk")
        )


class PlannedDayViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlannedDaySerializer

    def get_queryset(self):
        days = PlannedDay.objects.visible_to(self.request.user).order_by("date", "half", "pk")
        for param, lookup in (("from", "date__gte"), ("to", "date__lte")):
            if value := self.request.query_params.get(param):
                try:
                    days = days.filter(**{lookup: value})
                except DjangoValidationError as error:
                    raise drf_validation_error(error) from error
        return days


class WorkLogEntryViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = WorkLogEntrySerializer
    write_rules = {
        "create": operators_with(perms.LOG),  # a technician: own days only (the service checks)
        "acknowledge": roles.WORK_LOG_REVIEW,
        "contest": roles.WORK_LOG_REVIEW,
    }

    def get_queryset(self):
        return WorkLogEntry.objects.visible_to(self.request.user).order_by("-date", "half", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        try:
            serializer.instance = services.work_log_create(logged_by=self.request.user, **data)
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error

    @extend_schema(request=None, responses=WorkLogEntrySerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        entry = self.get_object()
        try:
            entry = services.work_log_acknowledge(entry=entry, user=request.user)
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error
        return Response(self.get_serializer(entry).data)

    @extend_schema(request=ContestSerializer, responses=WorkLogEntrySerializer)
    @action(detail=True, methods=["post"])
    def contest(self, request, pk=None):
        entry = self.get_object()
        payload = ContestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            entry = services.work_log_contest(
                entry=entry, user=request.user, reason=payload.validated_data["reason"]
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error
        return Response(self.get_serializer(entry).data)
