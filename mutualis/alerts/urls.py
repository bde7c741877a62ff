from django.urls import path

from mutualis.alerts import sector_views, views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("detection/", views.detection_launch, name="detection"),
    path("secteurs/", sector_views.sector_list, name="sectors"),
    path("secteurs/nouveau/", sector_views.sector_create, name="sector_create"),
    path("secteurs/<int:pk>/", sector_views.sector_edit, name="sector_edit"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/prise-en-compte/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/resolution/", views.alert_resolve, name="resolve"),
]
