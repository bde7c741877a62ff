from django.contrib import admin

from mutualis.proconnect.models import AccessRequest, ProConnectIdentity


@admin.register(ProConnectIdentity)
class ProConnectIdentityAdmin(admin.ModelAdmin):
    list_display = ("user", "email", "siret", "idp_id", "last_login_at")
    search_fields = ("user__username", "email", "sub", "siret")
    readonly_fields = ("sub", "created_at", "last_login_at")


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
    list_display = ("email", "member", "status", "created_at", "decided_by")
    list_filter = ("status",)
    search_fields = ("email", "sub", "siret", "member__name")
