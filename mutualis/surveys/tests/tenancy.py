from mutualis.surveys.models import SurveyCampaign, SurveyResponse
from mutualis.surveys.services import response_save
from mutualis.surveys.tests.factories import GOOD, open_campaign


def _campaign(a):
    return SurveyCampaign.objects.filter(invitations__member=a).first() or open_campaign([a])


def _response(a):
    campaign = _campaign(a)
    return campaign.responses.filter(member=a).first() or response_save(
        campaign=campaign, member=a, answers=dict(GOOD)
    )


builders = {SurveyCampaign: _campaign, SurveyResponse: _response}
