from django.contrib import admin

from mutualis.core.admin import ModelAdmin
from mutualis.imports.models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(ModelAdmin):
    list_display = [
        "pk",
        "kind",
        "file_name",
        "status",
        "progress_total",
        "created_by",
        "created_at",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["file_name"]
    date_hierarchy = "created_at"
    exclude = ["content"]
    readonly_fields = [
        "kind",
        "file_name",
        "status",
        "progress",
        "progress_total",
        "progress_done",
        "report",
        "created_by",
        "task_id",
        "started_at",
        "finished_at",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("created_by")

    def has_add_permission(self, request):
        return False
