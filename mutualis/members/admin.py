from django.contrib import admin

from mutualis.core.admin import ModelAdmin, TabularInline
from mutualis.members.models import AgentAccess, Agreement, Decision, Member, Membership


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    fields = ("part", "start_date", "end_date", "end_reason", "decision", "agreement")
    raw_id_fields = ("decision", "agreement")
    can_delete = False


class AgentAccessInline(TabularInline):
    model = AgentAccess
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Member)
class MemberAdmin(ModelAdmin):
    list_display = ("name", "kind", "siren", "insee_code", "population", "epci")
    list_filter = ("kind", "establishment_kind", "departement")
    search_fields = ("name", "siren", "insee_code")
    raw_id_fields = ("parent", "commune", "territory_epci", "epci")
    inlines = [MembershipInline, AgentAccessInline]


@admin.register(Decision)
class DecisionAdmin(ModelAdmin):
    list_display = ("body", "number", "date", "member", "subject")
    search_fields = ("member__name", "number", "subject")
    raw_id_fields = ("member",)


@admin.register(Agreement)
class AgreementAdmin(ModelAdmin):
    list_display = ("reference", "member", "third_party", "signed_on")
    search_fields = ("reference", "member__name")
    raw_id_fields = ("member", "third_party")


@admin.register(AgentAccess)
class AgentAccessAdmin(ModelAdmin):
    list_display = ("user", "member", "includes_perimeter")
    search_fields = ("user__username", "user__last_name", "member__name")
    raw_id_fields = ("user", "member")
