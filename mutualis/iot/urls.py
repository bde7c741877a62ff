from django.urls import path

from mutualis.iot import gateway_views, hypervision_views, views

app_name = "iot"
urlpatterns = [
    path("", views.sensor_list, name="sensor_list"),
    path("nouveau/", views.sensor_create, name="sensor_create"),
    path("<int:pk>/", views.sensor_detail, name="sensor_detail"),
    path("<int:pk>/modifier/", views.sensor_update, name="sensor_update"),
    path("<int:pk>/intervention/", views.sensor_maintenance, name="sensor_maintenance"),
    path("passerelles/", gateway_views.gateway_list, name="gateway_list"),
    path("passerelles/nouvelle/", gateway_views.gateway_create, name="gateway_create"),
    path("passerelles/<int:pk>/modifier/", gateway_views.gateway_update, name="gateway_update"),
    path("hypervision/", hypervision_views.hypervision, name="hypervision"),
]
