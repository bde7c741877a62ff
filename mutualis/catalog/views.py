"""Operator pages on the catalogue and the request inbox."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.catalog import services
from mutualis.catalog.forms import (
    ReferencePriceForm,
    RequestDecisionForm,
    ServiceForm,
    SubscriptionEndForm,
    SubscriptionForm,
)
from mutualis.catalog.models import RequestStatus, Service, ServiceRequest, Subscription
from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.roles import Capability, has_capability
from mutualis.members.models import Member


@operator_required()
def service_list(request):
    today = timezone.localdate()
    services_qs = Service.objects.annotate(
        subscribers=Count(
            "subscriptions",
            filter=Q(subscriptions__start_date__lte=today)
            & (Q(subscriptions__end_date__isnull=True) | Q(subscriptions__end_date__gte=today)),
        )
    ).order_by("category", "name")
    return render(
        request,
        "catalog/service_list.html",
        {
            "services": services_qs,
            "can_edit": has_capability(request.user, Capability.MANAGE_CATALOG),
        },
    )


@operator_required(Capability.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def service_create(request):
    return _service_form(request, Service())


@operator_required(Capability.MANAGE_CATALOG, model=Service)
@require_http_methods(["GET", "POST"])
def service_edit(request, pk):
    return _service_form(request, get_object_or_404(Service, pk=pk))


@operator_required(model=Service, write=Capability.MANAGE_CATALOG)
@require_http_methods(["GET", "POST"])
def reference_prices(request, pk):
    """The « prix seul » of a service by size class, the reference of pooled savings."""
    service = get_object_or_404(Service, pk=pk)
    form = ReferencePriceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reference_price_set(service=service, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Prix de référence enregistré."))
            return redirect("catalog:reference_prices", pk=service.pk)
    return render(
        request,
        "catalog/reference_prices.html",
        {
            "service": service,
            "form": form,
            "prices": service.reference_prices.all(),
            "can_edit": has_capability(request.user, Capability.MANAGE_CATALOG),
        },
    )


def _service_form(request, service):
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Le service a été enregistré."))
        return redirect("catalog:service_list")
    return render(request, "catalog/service_form.html", {"form": form, "service": service})


@operator_required()
def request_inbox(request):
    requests_qs = ServiceRequest.objects.select_related("member", "service", "requested_by")
    return render(
        request,
        "catalog/request_inbox.html",
        {
            "pending": requests_qs.pending().order_by("created_at"),
            "decided": requests_qs.exclude(status=RequestStatus.PENDING).order_by("-decided_at")[
                :50
            ],
            "can_decide": has_capability(request.user, Capability.DECIDE_REQUESTS),
        },
    )


@operator_required(model=ServiceRequest, write=Capability.DECIDE_REQUESTS)
@require_http_methods(["GET", "POST"])
def request_detail(request, pk):
    service_request = get_object_or_404(
        ServiceRequest.objects.select_related("member", "service", "requested_by", "decided_by"),
        pk=pk,
    )
    can_decide = has_capability(request.user, Capability.DECIDE_REQUESTS)
    form = RequestDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.service_request_approve(
                    service_request=service_request,
                    decided_by=request.user,
                    start_date=data["start_date"],
                )
                messages.success(request, _("Demande acceptée : la souscription est créée."))
            else:
                services.service_request_refuse(
                    service_request=service_request,
                    decided_by=request.user,
                    reason=data["reason"],
                )
                messages.success(request, _("Demande refusée."))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            return redirect("catalog:request_inbox")
    return render(
        request,
        "catalog/request_detail.html",
        {"service_request": service_request, "form": form, "can_decide": can_decide},
    )


@operator_required(Capability.MANAGE_MEMBERS, model=Member)
@require_http_methods(["GET", "POST"])
def subscription_create(request, pk):
    member = get_object_or_404(Member, pk=pk)
    form = SubscriptionForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(member=member, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La souscription est enregistrée."))
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "catalog/subscription_form.html", {"form": form, "member": member})


@operator_required(Capability.MANAGE_MEMBERS, model=Subscription)
@require_http_methods(["GET", "POST"])
def subscription_end(request, pk):
    subscription = get_object_or_404(
        Subscription.objects.select_related("member", "service"), pk=pk
    )
    form = SubscriptionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_end(
                subscription=subscription, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("La souscription prendra fin à cette date."))
            return redirect("members:member_detail", pk=subscription.member_id)
    return render(
        request, "catalog/subscription_end.html", {"form": form, "subscription": subscription}
    )
