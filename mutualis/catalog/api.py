from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from mutualis.catalog import services
from mutualis.catalog.models import Service, ServiceRequest, ServiceStatus, Subscription
from mutualis.core import roles
from mutualis.core.api import (
    MEMBER_PARAMETER,
    MemberFilterMixin,
    drf_validation_error,
    is_operator,
)
from mutualis.core.roles import Capability, operators_with
from mutualis.core.serializer_fields import DateField
from mutualis.members.models import Member


class ServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Service
        fields = [
            "id",
            "code",
            "name",
            "description",
            "category",
            "unit",
            "eligible_kinds",
            "status",
        ]


class SubscriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subscription
        fields = [
            "id",
            "member",
            "service",
            "scope",
            "covered_establishments",
            "rebill_key",
            "start_date",
            "end_date",
        ]


class ServiceRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "member",
            "service",
            "scope",
            "desired_start_date",
            "message",
            "status",
            "decision_reason",
            "decided_at",
            "subscription",
            "created_at",
        ]
        read_only_fields = ["status", "decision_reason", "decided_at", "subscription", "created_at"]


class DecisionSerializer(serializers.Serializer):
    start_date = DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True)


class ServiceViewSet(viewsets.ModelViewSet):
    """The catalogue: operator staff see it all; agents see the offered services open to
    their collectivités."""

    serializer_class = ServiceSerializer
    write_rules = {
        "create": operators_with(Capability.MANAGE_CATALOG),
        "partial_update": operators_with(Capability.MANAGE_CATALOG),
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        services = Service.objects.order_by("name")
        if is_operator(self.request.user):
            return services
        members = list(Member.objects.visible_to(self.request.user))
        open_ids = [
            s.pk
            for s in services.filter(status=ServiceStatus.OFFERED)
            if any(s.is_open_to(m) for m in members)
        ]
        return services.filter(pk__in=open_ids)


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER]))
class SubscriptionViewSet(MemberFilterMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = SubscriptionSerializer

    def get_queryset(self):
        return (
            Subscription.objects.visible_to(self.request.user)
            .prefetch_related("covered_establishments")
            .order_by("-start_date", "pk")
        )


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER]))
class ServiceRequestViewSet(
    MemberFilterMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Agents request services for their own members; operator managers decide."""

    serializer_class = ServiceRequestSerializer
    write_rules = {
        "create": roles.SERVICE_REQUEST,
        "approve": operators_with(Capability.DECIDE_REQUESTS),
        "refuse": operators_with(Capability.DECIDE_REQUESTS),
    }

    def get_queryset(self):
        return ServiceRequest.objects.visible_to(self.request.user).order_by("-created_at", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        member = get_object_or_404(
            Member.objects.visible_to(self.request.user), pk=data["member"].pk
        )
        try:
            serializer.instance = services.service_request_create(
                member=member,
                service=data["service"],
                requested_by=self.request.user,
                desired_start_date=data["desired_start_date"],
                scope=data.get("scope", "self"),
                message=data.get("message", ""),
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error

    def _decide(self, request, pk, approve: bool):
        service_request = get_object_or_404(self.get_queryset(), pk=pk)
        decision = DecisionSerializer(data=request.data)
        decision.is_valid(raise_exception=True)
        try:
            if approve:
                services.service_request_approve(
                    service_request=service_request,
                    decided_by=request.user,
                    start_date=decision.validated_data.get("start_date"),
                )
            else:
                services.service_request_refuse(
                    service_request=service_request,
                    decided_by=request.user,
                    reason=decision.validated_data.get("reason", ""),
                )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error
        return Response(self.get_serializer(service_request).data, status=status.HTTP_200_OK)

    @extend_schema(request=DecisionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._decide(request, pk, approve=True)

    @extend_schema(request=DecisionSerializer, responses=ServiceRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, pk, approve=False)
