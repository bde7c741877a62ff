from django.contrib import admin

from mutualis.catalog.models import ReferencePrice, Service, ServiceRequest, Subscription
from mutualis.core.admin import ModelAdmin


@admin.register(Service)
class ServiceAdmin(ModelAdmin):
    list_display = ("name", "code", "category", "unit", "status")
    list_filter = ("category", "unit", "status")
    search_fields = ("name", "code")


@admin.register(Subscription)
class SubscriptionAdmin(ModelAdmin):
    list_display = ("member", "service", "scope", "start_date", "end_date")
    list_filter = ("service", "scope")
    search_fields = ("member__name", "member__siren")
    raw_id_fields = ("member", "covered_establishments")


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ModelAdmin):
    list_display = ("member", "service", "status", "created_at", "decided_at")
    list_filter = ("status", "service")
    raw_id_fields = ("member", "requested_by", "decided_by", "subscription")


@admin.register(ReferencePrice)
class ReferencePriceAdmin(ModelAdmin):
    list_display = ("service", "size_class", "yearly_cents")
    list_filter = ("service", "size_class")
