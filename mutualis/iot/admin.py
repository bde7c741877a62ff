from django.contrib import admin

from mutualis.core.admin import ModelAdmin
from mutualis.iot.models import DeviceModel, Gateway, QuarantinedMessage, Sensor


@admin.register(Gateway)
class GatewayAdmin(ModelAdmin):
    list_display = ("eui", "name", "owner", "last_seen_at", "last_rssi", "last_snr")
    search_fields = ("eui", "name")
    raw_id_fields = ("owner", "commune")
    readonly_fields = ("last_seen_at", "last_rssi", "last_snr")  # written by the ingestion


@admin.register(DeviceModel)
class DeviceModelAdmin(ModelAdmin):
    list_display = ("make", "model", "generation", "decoder")


@admin.register(Sensor)
class SensorAdmin(ModelAdmin):
    list_display = ("name", "building", "member", "kind", "active", "last_seen_at")
    search_fields = ("name", "building")
    list_filter = ("kind", "active", "open_data")
    raw_id_fields = ("member", "commune")
    readonly_fields = ("last_seen_at",)


@admin.register(QuarantinedMessage)
class QuarantinedMessageAdmin(ModelAdmin):
    list_display = ("received_at", "reason", "source", "network", "dev_eui", "detail")
    list_filter = ("reason", "source", "network")
    search_fields = ("dev_eui", "topic")
