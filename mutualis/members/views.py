"""Operator pages on members: dashboard, list, member page, memberships."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutualis.core.access import operator_required
from mutualis.core.forms import add_validation_error
from mutualis.core.htmx import wants_fragment
from mutualis.core.roles import Capability, has_capability
from mutualis.members import selectors, services
from mutualis.members.forms import (
    AgentInviteForm,
    EstablishmentForm,
    MemberFilterForm,
    MembershipEndForm,
    MembershipForm,
    TerritoryMemberForm,
)
from mutualis.members.models import AgentAccess, Agreement, Decision, Member, Membership


@operator_required()
def dashboard(request):
    totals, per_epci = selectors.territory_coverage()
    return render(
        request,
        "members/dashboard.html",
        {
            "by_kind": selectors.members_by_kind(),
            "coverage_totals": totals,
            "coverage_per_epci": per_epci,
        },
    )


@operator_required()
def member_list(request):
    form = MemberFilterForm(
        request.GET or None, departement_ids=selectors.perimeter_departement_ids()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.member_list(
        user=request.user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        departement=filters.get("departement", ""),
        epci=filters.get("epci", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": has_capability(request.user, Capability.MANAGE_MEMBERS),
    }
    template = (
        "members/_member_table.html" if wants_fragment(request) else "members/member_list.html"
    )
    return render(request, template, context)


@operator_required(model=Member)
def member_detail(request, pk):
    try:
        member = selectors.member_detail(user=request.user, pk=pk)
    except Member.DoesNotExist as exc:
        raise Http404 from exc
    subscriptions = member.subscriptions.select_related("service").order_by("-start_date")
    service_requests = member.service_requests.select_related("service").order_by("-created_at")
    return render(
        request,
        "members/member_detail.html",
        {
            "member": member,
            "subscriptions": subscriptions,
            "service_requests": service_requests,
            "perimeter_size": selectors.member_perimeter(member).count(),
            "can_manage": has_capability(request.user, Capability.MANAGE_MEMBERS),
            "can_manage_users": has_capability(request.user, Capability.MANAGE_USERS),
        },
    )


@operator_required(Capability.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def member_add_from_territory(request):
    form = TerritoryMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member, created = services.member_create_from_territory(code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            if created:
                messages.success(request, _("%(name)s a été ajouté.") % {"name": member})
            else:
                messages.info(request, _("%(name)s existait déjà.") % {"name": member})
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/member_add_territory.html", {"form": form})


@operator_required(Capability.MANAGE_MEMBERS)
@require_http_methods(["GET", "POST"])
def establishment_create(request):
    form = EstablishmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.establishment_create(**form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("%(name)s a été créé.") % {"name": member})
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/establishment_form.html", {"form": form})


@operator_required(Capability.MANAGE_MEMBERS, model=Member)
@require_http_methods(["GET", "POST"])
def membership_create(request, pk):
    member = get_object_or_404(Member, pk=pk)
    form = MembershipForm(request.POST or None, request.FILES or None, member=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                decision = services.decision_create(
                    member=member,
                    body=data["decision_body"],
                    number=data["decision_number"],
                    date=data["decision_date"],
                    subject=_("Adhésion à %(operator)s") % {"operator": _("l'opérateur")},
                    document=data["decision_document"],
                )
                agreement = None
                if data["agreement_reference"]:
                    agreement = services.agreement_create(
                        member=member,
                        reference=data["agreement_reference"],
                        signed_on=data["agreement_signed_on"],
                        third_party=data.get("agreement_third_party"),
                        document=data["agreement_document"],
                    )
                services.membership_create(
                    member=member,
                    start_date=data["start_date"],
                    part=data["part"],
                    decision=decision,
                    agreement=agreement,
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'adhésion a été enregistrée."))
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/membership_form.html", {"form": form, "member": member})


@operator_required(Capability.MANAGE_MEMBERS, model=Membership)
@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("member"), pk=pk)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
                end_subscriptions=form.cleaned_data["end_subscriptions"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("L'adhésion a été terminée."))
            return redirect("members:member_detail", pk=membership.member_id)
    context = {
        "form": form,
        "membership": membership,
        "running_subscriptions": selectors.subscriptions_running(membership.member_id),
    }
    return render(request, "members/membership_end.html", context)


@operator_required(Capability.MANAGE_USERS, model=Member)
@require_http_methods(["GET", "POST"])
def agent_invite(request, pk):
    member = get_object_or_404(Member, pk=pk)
    form = AgentInviteForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            _access, created = services.agent_invite(
                member=member,
                domain=request.get_host(),
                use_https=request.is_secure(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("Le compte est créé : un lien pour choisir son mot de passe a été envoyé."),
                )
            else:
                messages.success(request, _("Le compte existant a reçu l'accès à ce membre."))
            return redirect("members:member_detail", pk=member.pk)
    return render(request, "members/agent_invite.html", {"form": form, "member": member})


@operator_required(Capability.MANAGE_USERS, model=AgentAccess)
@require_http_methods(["GET", "POST"])
def agent_revoke(request, pk):
    access = get_object_or_404(AgentAccess.objects.select_related("user", "member"), pk=pk)
    if request.method == "POST":
        services.agent_revoke_access(access=access)
        messages.success(
            request,
            _("%(user)s n'a plus accès à %(member)s.")
            % {"user": access.user, "member": access.member},
        )
        return redirect("members:member_detail", pk=access.member_id)
    return render(request, "members/agent_revoke.html", {"access": access})


def document_response(document, name: str) -> FileResponse:
    """A stored délibération or convention, downloaded as a PDF with a readable name."""
    if not document:
        raise Http404
    return FileResponse(
        document.open("rb"),
        as_attachment=True,
        filename=f"{slugify(name)}.pdf",
        content_type="application/pdf",
    )


def decision_file_name(decision: Decision) -> str:
    return f"deliberation {decision.member or ''} {decision.number} {decision.date:%Y-%m-%d}"


def agreement_file_name(agreement: Agreement) -> str:
    return f"convention {agreement.member} {agreement.reference}"


@operator_required(model=Decision)
def decision_document(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("member"), pk=pk)
    return document_response(decision.document, decision_file_name(decision))


@operator_required(model=Agreement)
def agreement_document(request, pk):
    agreement = get_object_or_404(Agreement.objects.select_related("member"), pk=pk)
    return document_response(agreement.document, agreement_file_name(agreement))
