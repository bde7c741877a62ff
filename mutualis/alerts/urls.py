from django.urls import path

from mutualis.alerts import views

app_name = "alerts"
urlpatterns = [
    path("", views.alert_list, name="list"),
    path("detection/", views.detection_launch, name="detection"),
    path("<int:pk>/", views.alert_detail, name="detail"),
    path("<int:pk>/prise-en-compte/", views.alert_acknowledge, name="acknowledge"),
    path("<int:pk>/resolution/", views.alert_resolve, name="resolve"),
]
