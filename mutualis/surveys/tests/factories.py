"""Survey campaigns for the tests, built through the services."""

import datetime as dt

from django.utils import timezone

from mutualis.purchasing.models import InvitationMode
from mutualis.surveys import services
from mutualis.surveys.definitions import Kind

GOOD = {"offer_fit": 5, "ease": 4, "availability": 4, "support": 3, "overall": 4}


def open_campaign(members, *, kind=Kind.SATISFACTION, year=None, closes_in_days=30):
    """A sent campaign of `kind` for `year` (this year by default), `members` invited."""
    today = timezone.localdate()
    campaign = services.campaign_create(
        kind=kind, year=year or today.year, closes_on=today + dt.timedelta(days=closes_in_days)
    )
    services.campaign_invite(campaign=campaign, mode=InvitationMode.CHOSEN, members=members)
    services.campaign_send(campaign=campaign, site_address="http://mutualis.test")
    campaign.refresh_from_db()
    return campaign
