from django.contrib import admin

from mutualis.support.models import SupportEntity, Ticket


@admin.register(SupportEntity)
class SupportEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "member", "matched_automatically"]
    search_fields = ["name", "member__name"]
    raw_id_fields = ["member"]


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ["external_id", "source", "member", "title", "status", "opened_at"]
    list_filter = ["source", "status"]
    search_fields = ["external_id", "title", "member__name"]
    raw_id_fields = ["member", "entity"]

    # Tickets come from GLPI or a file: the admin shows them, never edits them.
    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Ticket._meta.fields]
