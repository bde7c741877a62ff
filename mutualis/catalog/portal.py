"""The member portal, « Mon espace »: memberships, services, catalogue and requests."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mutualis.catalog import pricing, services
from mutualis.catalog.forms import QuantityEstimateForm, ServiceRequestForm
from mutualis.catalog.models import RequestStatus, Service, ServiceRequest, ServiceStatus
from mutualis.core import roles
from mutualis.core.access import authenticated, member_required
from mutualis.core.forms import add_validation_error
from mutualis.members.models import Agreement, Decision, Member, MemberKind
from mutualis.members.views import agreement_file_name, decision_file_name, document_response

KIND_ORDER = ["region", "departement", "epci", "commune", "establishment", "other"]


@authenticated
def portal(request):
    """The agent's collectivités, grouped by kind: an EPCI agent finds its EPCI first."""
    members = list(Member.objects.visible_to(request.user).order_by("search_name", "pk")[:500])
    if len(members) == 1:
        return redirect("portal_member", member_pk=members[0].pk)
    groups = [
        (label, [m for m in members if m.kind == kind])
        for kind, label in sorted(MemberKind.choices, key=lambda c: KIND_ORDER.index(c[0]))
    ]
    return render(
        request,
        "catalog/portal/index.html",
        {"members": members, "groups": [(label, items) for label, items in groups if items]},
    )


def _total(cents: list[int | None]) -> int | None:
    """The sum of a column; None when no titre was issued that year."""
    issued = [c for c in cents if c is not None]
    return sum(issued) if issued else None


@member_required()
def portal_member(request, member):
    today = timezone.localdate()
    paid = pricing.paid(member, today.year)
    return render(
        request,
        "catalog/portal/member.html",
        {
            "member": member,
            "memberships": member.memberships.select_related("decision", "agreement"),
            "subscriptions": member.subscriptions.select_related("service").order_by(
                "service__name"
            ),
            "service_requests": member.service_requests.select_related("service").order_by(
                "-created_at"
            )[:20],
            "today": today,
            "year": today.year,
            "paid": paid,
            "paid_totals": (
                _total([row.this_year_cents for row in paid]),
                _total([row.last_year_cents for row in paid]),
            ),
            "may_request": roles.SERVICE_REQUEST.allows(request.user),
        },
    )


@member_required()
def portal_catalog(request, member):
    today = timezone.localdate()
    subscribed = dict(
        member.subscriptions.current_or_future(today).values_list("service_id", "start_date")
    )
    pending = set(member.service_requests.pending().values_list("service_id", flat=True))
    offered = [
        service
        for service in Service.objects.filter(status=ServiceStatus.OFFERED).order_by(
            "category", "name"
        )
        if service.is_open_to(member)
    ]
    quantities = {}
    for service in offered:
        service.subscribed_from = subscribed.get(service.pk)
        asked = f"s{service.pk}-quantity" in request.GET
        service.estimate_form = QuantityEstimateForm(
            request.GET if asked else None, service=service
        )
        if asked and service.estimate_form.is_valid():
            quantities[service.pk] = service.estimate_form.cleaned_data["quantity"]
    estimates = pricing.estimates(member, offered, quantities)
    for service in offered:
        service.estimate = estimates.get(service.pk)
    return render(
        request,
        "catalog/portal/catalog.html",
        {
            "member": member,
            "services": offered,
            "pending": pending,
            "today": today,
            "may_request": roles.SERVICE_REQUEST.allows(request.user),
        },
    )


@member_required(model=Service, write=roles.SERVICE_REQUEST)
@require_http_methods(["GET", "POST"])
def portal_request_create(request, member, pk):
    service = get_object_or_404(Service, pk=pk, status=ServiceStatus.OFFERED)
    form = ServiceRequestForm(
        request.POST or None, member=member, initial={"desired_start_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            service_request = services.service_request_create(
                member=member, service=service, requested_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Votre demande a été transmise à l'opérateur."))
            return redirect("portal_request_detail", member_pk=member.pk, pk=service_request.pk)
    return render(
        request,
        "catalog/portal/request_form.html",
        {"member": member, "service": service, "form": form},
    )


@member_required(model=ServiceRequest)
def portal_request_detail(request, member, pk):
    service_request = get_object_or_404(
        member.service_requests.select_related("service", "requested_by"), pk=pk
    )
    return render(
        request,
        "catalog/portal/request_detail.html",
        {
            "member": member,
            "service_request": service_request,
            "may_cancel": roles.SERVICE_REQUEST.allows(request.user),
        },
    )


@member_required(model=ServiceRequest, write=roles.SERVICE_REQUEST)
@require_POST
def portal_request_cancel(request, member, pk):
    service_request = get_object_or_404(
        member.service_requests.filter(status=RequestStatus.PENDING), pk=pk
    )
    try:
        services.service_request_cancel(service_request=service_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Votre demande a été annulée."))
    return redirect("portal_request_detail", member_pk=member.pk, pk=pk)


@member_required(model=Decision)
def portal_decision_document(request, member, pk):
    decision = get_object_or_404(member.decisions.select_related("member"), pk=pk)
    return document_response(decision.document, decision_file_name(decision))


@member_required(model=Agreement)
def portal_agreement_document(request, member, pk):
    agreement = get_object_or_404(member.agreements.select_related("member"), pk=pk)
    return document_response(agreement.document, agreement_file_name(agreement))
