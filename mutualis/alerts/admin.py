from django.contrib import admin

from mutualis.alerts.models import (
    DailyWeather,
    HeatingProfile,
    MaintenanceWindow,
    OnCallContact,
    SchoolHoliday,
    WeatherStation,
)
from mutualis.core.admin import ModelAdmin


@admin.register(OnCallContact)
class OnCallContactAdmin(ModelAdmin):
    list_display = ["name", "member", "email", "escalation", "active"]
    list_filter = ["escalation", "active"]
    search_fields = ["name", "email", "member__name"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(ModelAdmin):
    list_display = ["member", "sensor", "starts_at", "ends_at", "note"]
    raw_id_fields = ["sensor"]


@admin.register(WeatherStation)
class WeatherStationAdmin(ModelAdmin):
    list_display = ["name", "code", "sensor"]
    search_fields = ["name", "code"]
    raw_id_fields = ["sensor"]


@admin.register(DailyWeather)
class DailyWeatherAdmin(ModelAdmin):
    list_display = ["station", "day", "minimum", "maximum", "mean"]
    # Temperatures come from the Météo-France files (import « météo quotidienne »): a wrong
    # day is corrected by importing the file again, not typed here.
    readonly_fields = ["minimum", "maximum", "mean"]
    list_filter = ["station"]
    date_hierarchy = "day"


@admin.register(SchoolHoliday)
class SchoolHolidayAdmin(ModelAdmin):
    list_display = ["name", "zone", "starts_on", "ends_on"]
    list_filter = ["zone"]


@admin.register(HeatingProfile)
class HeatingProfileAdmin(ModelAdmin):
    list_display = ["sensor", "member", "station", "weekdays", "holiday_zone", "active"]
    raw_id_fields = ["sensor"]
    list_filter = ["holiday_zone", "active"]
