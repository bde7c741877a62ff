"""JSON API of the surveys, read only. Agents see the sent campaigns their members are
invited to and their own members' answers; operator staff see every campaign and answer."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from mutualis.core.api import MEMBER_PARAMETER, MemberFilterMixin
from mutualis.surveys.models import SurveyCampaign, SurveyResponse


class SurveyCampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = SurveyCampaign
        fields = ["id", "kind", "version", "year", "title", "status", "closes_on", "sent_at"]


class SurveyResponseSerializer(serializers.ModelSerializer):
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "campaign",
            "member",
            "answers",
            "satisfaction",
            "answered_by",
            "submitted_at",
            "updated_at",
            "edits",
        ]

    def get_answered_by(self, response) -> str:
        user = response.answered_by
        return (user.get_full_name() or user.username) if user else ""


class SurveyCampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SurveyCampaignSerializer

    def get_queryset(self):
        return SurveyCampaign.objects.visible_to(self.request.user).order_by("-year", "kind", "pk")


CAMPAIGN_PARAMETER = OpenApiParameter(
    "campaign", int, description="Numéro de la campagne d'enquête pour ne lister que ses réponses."
)


@extend_schema_view(list=extend_schema(parameters=[MEMBER_PARAMETER, CAMPAIGN_PARAMETER]))
class SurveyResponseViewSet(MemberFilterMixin, viewsets.ReadOnlyModelViewSet):
    """`answers`: {question code: answer} — a number for a note (1 to 5) or a level (0 to
    4), a list of codes for a multiple choice, a text for a comment."""

    serializer_class = SurveyResponseSerializer

    def get_queryset(self):
        queryset = SurveyResponse.objects.visible_to(self.request.user).select_related(
            "answered_by"
        )
        campaign = self.request.query_params.get("campaign", "")
        if campaign.isdigit():
            queryset = queryset.filter(campaign_id=int(campaign))
        return queryset.order_by("campaign_id", "member_id", "pk")
