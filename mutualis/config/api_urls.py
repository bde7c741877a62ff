from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from mutualis.billing.api import AllocationRunViewSet, InvoiceViewSet, TariffViewSet
from mutualis.catalog.api import ServiceRequestViewSet, ServiceViewSet, SubscriptionViewSet
from mutualis.core.api_token import ObtainToken
from mutualis.iot.api import GatewayViewSet, ReadingViewSet, SensorViewSet
from mutualis.iot.api_rollups import DailyRollupViewSet, HourlyRollupViewSet
from mutualis.members.api import MembershipViewSet, MemberViewSet
from mutualis.metering.api import UsageRecordViewSet
from mutualis.purchasing.api import (
    CampaignViewSet,
    LotViewSet,
    NeedViewSet,
    OfferViewSet,
    OrderViewSet,
)
from mutualis.staffing.api import PlannedDayViewSet, StaffingAgreementViewSet, WorkLogEntryViewSet
from mutualis.support.api import MemberSupportViewSet, TicketViewSet
from mutualis.surveys.api import SurveyCampaignViewSet, SurveyResponseViewSet

router = DefaultRouter()
router.register("members", MemberViewSet, basename="member")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("services", ServiceViewSet, basename="service")
router.register("subscriptions", SubscriptionViewSet, basename="subscription")
router.register("requests", ServiceRequestViewSet, basename="servicerequest")
router.register("purchasing/campaigns", CampaignViewSet, basename="purchasing-campaign")
router.register("purchasing/lots", LotViewSet, basename="purchasing-lot")
router.register("purchasing/needs", NeedViewSet, basename="purchasing-need")
router.register("purchasing/offers", OfferViewSet, basename="purchasing-offer")
router.register("purchasing/orders", OrderViewSet, basename="purchasing-order")
router.register("usage", UsageRecordViewSet, basename="usagerecord")
router.register("tariffs", TariffViewSet, basename="tariff")
router.register("runs", AllocationRunViewSet, basename="allocationrun")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("staffing/agreements", StaffingAgreementViewSet, basename="staffingagreement")
router.register("staffing/planned-days", PlannedDayViewSet, basename="plannedday")
router.register("staffing/work-log", WorkLogEntryViewSet, basename="worklogentry")
router.register("iot/gateways", GatewayViewSet, basename="iot-gateway")
router.register("iot/sensors", SensorViewSet, basename="iot-sensor")
router.register("iot/readings", ReadingViewSet, basename="iot-reading")
router.register("iot/hourly", HourlyRollupViewSet, basename="iot-hourly")
router.register("iot/daily", DailyRollupViewSet, basename="iot-daily")
router.register("support/tickets", TicketViewSet, basename="support-ticket")
router.register("support/figures", MemberSupportViewSet, basename="support-figures")
router.register("surveys/campaigns", SurveyCampaignViewSet, basename="survey-campaign")
router.register("surveys/responses", SurveyResponseViewSet, basename="survey-response")

urlpatterns = [
    path("v1/", include(router.urls)),
    path(
        "v1/token/",
        ObtainToken.as_view(),
        name="api_token",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
]
