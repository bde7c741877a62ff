"""« Mon espace » : the member's own support figures of a year."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from mutualis.core.access import member_required
from mutualis.support import selectors
from mutualis.support.views import year_of


@member_required()
@require_GET
def portal_support(request, member):
    year = year_of(request)
    return render(
        request,
        "support/portal/index.html",
        {
            "member": member,
            "year": year,
            "support": selectors.member_support(member, year),
            "years": selectors.years_with_tickets(),
        },
    )
