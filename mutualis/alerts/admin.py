from django.contrib import admin

from mutualis.alerts.models import MaintenanceWindow, OnCallContact


@admin.register(OnCallContact)
class OnCallContactAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "email", "escalation", "active"]
    list_filter = ["escalation", "active"]
    search_fields = ["name", "email", "member__name"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin):
    list_display = ["member", "sensor", "starts_at", "ends_at", "note"]
    raw_id_fields = ["sensor"]
