"""Operator pages of the support: every member's figures of a year, one member's, the GLPI
connection, the entities and their members, and a synchronisation launched in the
background."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutualis.core.access import operator_required
from mutualis.core.roles import Capability, has_capability
from mutualis.members.models import Member
from mutualis.support import selectors, services
from mutualis.support.forms import ConnectionForm, EntityMemberForm
from mutualis.support.models import SupportEntity, glpi_connection

MANAGE = Capability.MANAGE_SUPPORT
ROWS_PER_PAGE = 50


def year_of(request) -> int:
    """The year asked in `?annee=` (2000 to 2100), else the latest with tickets."""
    raw = (request.GET.get("annee") or "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return selectors.default_year()


@operator_required()
@require_GET
def index(request):
    year = year_of(request)
    query = request.GET.get("q", "").strip()[:100]
    connection = glpi_connection()
    page = Paginator(selectors.operator_table(year, query), ROWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "support/index.html",
        {
            "year": year,
            "years": selectors.years_with_tickets(),
            "query": query,
            "page": page,
            "page_query": urlencode({"annee": year, "q": query}),
            "unmapped": selectors.unmapped(year),
            "syncs": selectors.recent_syncs(),
            "connection": connection,
            "can_manage": has_capability(request.user, MANAGE),
        },
    )


@operator_required(model=Member)
@require_GET
def member_detail(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user), pk=pk)
    year = year_of(request)
    return render(
        request,
        "support/member.html",
        {
            "support": selectors.member_support(member, year),
            "member": member,
            "year": year,
            "years": selectors.years_with_tickets(),
        },
    )


@operator_required(write=MANAGE)
@require_POST
def sync_launch(request):
    try:
        services.sync_request(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Synchronisation lancée en arrière-plan : les demandes arrivent à mesure.")
        )
    return redirect("support:index")


@operator_required(MANAGE)
@require_http_methods(["GET", "POST"])
def connection_edit(request):
    connection = glpi_connection()
    form = ConnectionForm(request.POST or None, connection=connection)
    if request.method == "POST" and form.is_valid():
        try:
            services.connection_update(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Connexion à GLPI enregistrée."))
            return redirect("support:index")
    return render(
        request,
        "support/connection.html",
        {"form": form, "connection": connection},
        status=400 if form.errors else 200,
    )


@operator_required()
@require_GET
def entity_list(request):
    return render(
        request,
        "support/entities.html",
        {"entities": selectors.entities(), "can_manage": has_capability(request.user, MANAGE)},
    )


@operator_required(model=SupportEntity, write=MANAGE)
@require_http_methods(["GET", "POST"])
def entity_edit(request, pk):
    entity = get_object_or_404(SupportEntity.objects.select_related("member"), pk=pk)
    form = EntityMemberForm(request.POST or None, initial={"member": entity.member})
    if request.method == "POST" and form.is_valid():
        count = services.entity_map(entity=entity, member=form.cleaned_data["member"])
        messages.success(
            request,
            _("Entité « %(name)s » rattachée : %(count)s demandes suivent.")
            % {"name": entity.name, "count": count},
        )
        return redirect("support:entities")
    return render(
        request,
        "support/entity_form.html",
        {"entity": entity, "form": form, "can_manage": has_capability(request.user, MANAGE)},
        status=400 if form.errors else 200,
    )
