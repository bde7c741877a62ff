"""Billing through the API, read only: tariffs, runs (with their balance) and titres.

Member agents read the adopted tariffs, the validated runs and their own titres only.
"""

from rest_framework import serializers, viewsets

from mutualis.billing.models import AllocationRun, Invoice, InvoiceLine, RunService, Tariff


class TariffSerializer(serializers.ModelSerializer):
    service_code = serializers.CharField(source="service.code", read_only=True)

    class Meta:
        model = Tariff
        fields = [
            "id",
            "service",
            "service_code",
            "year",
            "version",
            "status",
            "text",
            "decision",
            "adopted_at",
        ]


class RunServiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunService
        fields = [
            "service",
            "tariff",
            "rule",
            "net_cost_cents",
            "subsidies_cents",
            "charged_cents",
            "unallocated_cents",
            "line_count",
        ]


class AllocationRunSerializer(serializers.ModelSerializer):
    services = RunServiceSerializer(many=True, read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "year",
            "status",
            "fingerprint",
            "fingerprint_version",
            "total_cents",
            "line_count",
            "finished_at",
            "validated_at",
            "services",
        ]


class InvoiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = InvoiceLine
        fields = ["service", "member", "label", "quantity", "amount_cents", "explanation"]


class InvoiceSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "reference",
            "kind",
            "original",
            "member",
            "payer_name",
            "payer_siren",
            "year",
            "series",
            "number",
            "issued_on",
            "due_on",
            "total_cents",
            "reason",
            "run",
            "lines",
        ]


class TariffViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TariffSerializer

    def get_queryset(self):
        return (
            Tariff.objects.readable_by(self.request.user)
            .select_related("service")
            .order_by("-year", "service__code", "-version")
        )


class AllocationRunViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AllocationRunSerializer

    def get_queryset(self):
        return (
            AllocationRun.objects.readable_by(self.request.user)
            .defer("members_snapshot", "subscriptions_snapshot", "usage_snapshot")
            .prefetch_related("services")
            .order_by("-year", "-pk")
        )


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = InvoiceSerializer

    def get_queryset(self):
        return (
            Invoice.objects.visible_to(self.request.user)
            .prefetch_related("lines")
            .order_by("-year", "series", "-number")
        )
