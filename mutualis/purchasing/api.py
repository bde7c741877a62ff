"""JSON API of grouped purchasing. Agents see the campaigns they are invited to (not
drafts), their own members' needs and orders, and offers once awarded; operator staff see
everything and write with MANAGE_PURCHASING. Agents write what « Mon espace » lets them: their
members' needs and orders."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from mutualis.core import roles
from mutualis.core.api import drf_validation_error, is_operator
from mutualis.core.roles import Capability, operators_with
from mutualis.members.models import Member
from mutualis.purchasing.models import Campaign, Lot, Need, NeedSource, Offer, Order
from mutualis.purchasing.services.campaigns import campaign_create, lot_create
from mutualis.purchasing.services.needs import NeedEntry, needs_set
from mutualis.purchasing.services.orders import order_create


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "description",
            "status",
            "needs_deadline",
            "offers_deadline",
            "award_date",
            "contract_start",
            "contract_end",
            "agreement_reference",
            "agreement_date",
            "price_weight",
            "fee_service",
            "renewed_from",
        ]
        read_only_fields = ["status", "renewed_from"]


class LotSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = [
            "id",
            "campaign",
            "number",
            "name",
            "unit",
            "description",
            "max_quantity",
            "reference_unit_price",
            "awarded_offer",
            "awarded_unit_price",
            "award_decision",
        ]
        read_only_fields = ["number", "awarded_offer", "awarded_unit_price", "award_decision"]


def _not_found() -> exceptions.NotFound:
    return exceptions.NotFound(_("Introuvable, ou hors de vos collectivités."))


class NeedSerializer(serializers.ModelSerializer):
    class Meta:
        model = Need
        fields = ["id", "lot", "member", "quantity", "current_unit_price", "source", "updated_at"]
        read_only_fields = ["source", "updated_at"]

    # Field validation runs before the (lot, member) uniqueness validator: a member or a lot
    # out of the user's reach is « not found », never a uniqueness error that would reveal
    # that the other member has a need.
    def validate_member(self, member):
        user = self.context["request"].user
        if not Member.objects.visible_to(user).filter(pk=member.pk).exists():
            raise _not_found()
        return member

    def validate_lot(self, lot):
        user = self.context["request"].user
        if not Lot.objects.visible_to(user).filter(pk=lot.pk).exists():
            raise _not_found()
        return lot


class NeedUpdateSerializer(serializers.ModelSerializer):
    """PATCH of an existing need: only its quantity and current unit price change."""

    class Meta:
        model = Need
        fields = ["quantity", "current_unit_price"]

    def validate_quantity(self, quantity):
        if quantity is None or quantity <= 0:
            raise serializers.ValidationError(_("La quantité doit être positive."))
        return quantity


class OfferSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    supplier_siren = serializers.CharField(source="supplier.siren", read_only=True)
    tiers = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = ["id", "lot", "supplier_name", "supplier_siren", "unit_price", "tiers"]

    def get_tiers(self, offer) -> list[dict]:
        return [
            {"min_quantity": str(t.min_quantity), "unit_price": str(t.unit_price)}
            for t in offer.tiers.all()
        ]


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = [
            "id",
            "lot",
            "member",
            "ordered_on",
            "quantity",
            "unit_price",
            "amount_cents",
            "reference",
        ]
        read_only_fields = ["unit_price", "amount_cents"]


class CampaignViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer
    write_rules = {"create": operators_with(Capability.MANAGE_PURCHASING)}

    def get_queryset(self):
        return Campaign.objects.visible_to(self.request.user).order_by("-needs_deadline", "pk")

    def perform_create(self, serializer):
        try:
            serializer.instance = campaign_create(
                created_by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error


class LotViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = LotSerializer
    write_rules = {"create": operators_with(Capability.MANAGE_PURCHASING)}

    def get_queryset(self):
        return Lot.objects.visible_to(self.request.user).order_by("campaign_id", "number")

    def perform_create(self, serializer):
        try:
            serializer.instance = lot_create(**serializer.validated_data)
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error


class NeedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Agents send their own member's need for a lot, and correct its quantity or current
    price with PATCH, until the deadline; operator staff who manage purchasing may send late
    needs for any invited member."""

    serializer_class = NeedSerializer
    write_rules = {"create": roles.PURCHASING_ANSWER, "partial_update": roles.PURCHASING_ANSWER}
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Need.objects.visible_to(self.request.user)
            .select_related("lot__campaign", "member")
            .order_by("lot_id", "member_id", "pk")
        )

    def get_serializer_class(self):
        if self.action == "partial_update":
            return NeedUpdateSerializer
        return NeedSerializer

    def _save(self, *, lot, member, quantity, current_unit_price):
        try:
            needs_set(
                campaign=lot.campaign,
                member=member,
                entries=[
                    NeedEntry(lot=lot, quantity=quantity, current_unit_price=current_unit_price)
                ],
                entered_by=self.request.user,
                source=NeedSource.API if is_operator(self.request.user) else NeedSource.PORTAL,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error
        return Need.objects.get(lot=lot, member=member)

    def perform_create(self, serializer):
        data = serializer.validated_data
        member = get_object_or_404(
            Member.objects.visible_to(self.request.user), pk=data["member"].pk
        )
        lot = get_object_or_404(Lot.objects.visible_to(self.request.user), pk=data["lot"].pk)
        serializer.instance = self._save(
            lot=lot,
            member=member,
            quantity=data["quantity"],
            current_unit_price=data.get("current_unit_price"),
        )

    def update(self, request, *args, **kwargs):
        need = self.get_object()
        serializer = NeedUpdateSerializer(need, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        need = self._save(
            lot=need.lot,
            member=need.member,
            quantity=data.get("quantity", need.quantity),
            current_unit_price=data.get("current_unit_price", need.current_unit_price),
        )
        return Response(NeedSerializer(need, context=self.get_serializer_context()).data)


class OfferViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OfferSerializer

    def get_queryset(self):
        return (
            Offer.objects.visible_to(self.request.user)
            .select_related("supplier")
            .prefetch_related("tiers")
            .order_by("lot_id", "pk")
        )


class OrderViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrderSerializer
    write_rules = {"create": roles.PURCHASING_ANSWER}

    def get_queryset(self):
        return Order.objects.visible_to(self.request.user).order_by("-ordered_on", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        member = get_object_or_404(
            Member.objects.visible_to(self.request.user), pk=data["member"].pk
        )
        lot = get_object_or_404(
            Lot.objects.visible_to(self.request.user).select_related("campaign"),
            pk=data["lot"].pk,
        )
        try:
            serializer.instance = order_create(
                lot=lot,
                member=member,
                ordered_on=data["ordered_on"],
                quantity=data["quantity"],
                reference=data.get("reference", ""),
                entered_by=self.request.user,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from error
