from django.contrib import admin

from mutualis.core.admin import ModelAdmin
from mutualis.staffing.models import Absence, StaffingAgreement, Technician, WorkLogEntry


@admin.register(Technician)
class TechnicianAdmin(ModelAdmin):
    list_display = ("user", "home_base", "active")
    list_filter = ("active",)
    raw_id_fields = ("user",)


@admin.register(StaffingAgreement)
class StaffingAgreementAdmin(ModelAdmin):
    list_display = ("reference", "member", "days", "per", "start_date", "end_date")
    search_fields = ("reference", "member__name")
    raw_id_fields = ("member", "decision")


@admin.register(Absence)
class AbsenceAdmin(ModelAdmin):
    list_display = ("technician", "kind", "start_date", "end_date")
    list_filter = ("kind",)


@admin.register(WorkLogEntry)
class WorkLogEntryAdmin(ModelAdmin):
    list_display = ("date", "technician", "member", "half", "category", "acknowledged_at")
    list_filter = ("category", "technician")
    raw_id_fields = ("member", "agreement", "logged_by", "acknowledged_by")
