from django.urls import path

from mutualis.iot import hypervision_views, views

app_name = "iot"
urlpatterns = [
    path("", views.sensor_list, name="sensor_list"),
    path("nouveau/", views.sensor_create, name="sensor_create"),
    path("<int:pk>/", views.sensor_detail, name="sensor_detail"),
    path("<int:pk>/modifier/", views.sensor_update, name="sensor_update"),
    path("<int:pk>/intervention/", views.sensor_maintenance, name="sensor_maintenance"),
    path("passerelles/", views.gateway_list, name="gateway_list"),
    path("hypervision/", hypervision_views.hypervision, name="hypervision"),
]
