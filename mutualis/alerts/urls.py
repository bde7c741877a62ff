from django.urls import path

from mutualis.alerts import energy_views, sector_views, views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("detection/", views.detection_launch, name="detection"),
    path("secteurs/", sector_views.sector_list, name="sectors"),
    path("secteurs/nouveau/", sector_views.sector_create, name="sector_create"),
    path("secteurs/<int:pk>/", sector_views.sector_edit, name="sector_edit"),
    path("vacances/", energy_views.holiday_list, name="holidays"),
    path("vacances/nouvelles/", energy_views.holiday_create, name="holiday_create"),
    path("vacances/<int:pk>/", energy_views.holiday_edit, name="holiday_edit"),
    path("vacances/<int:pk>/suppression/", energy_views.holiday_delete, name="holiday_delete"),
    path("chauffage/", energy_views.profile_list, name="heating_profiles"),
    path("chauffage/nouveau/", energy_views.profile_create, name="heating_profile_create"),
    path("chauffage/<int:pk>/", energy_views.profile_edit, name="heating_profile_edit"),
    path(
        "chauffage/<int:pk>/suppression/",
        energy_views.profile_delete,
        name="heating_profile_delete",
    ),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/prise-en-compte/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/resolution/", views.alert_resolve, name="resolve"),
]
