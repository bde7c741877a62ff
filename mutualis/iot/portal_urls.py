from django.urls import path

from mutualis.iot import gateway_views, portal

app_name = "iot_portal"
urlpatterns = [
    path("<int:member_pk>/capteurs/", portal.sensor_list, name="sensor_list"),
    path("<int:member_pk>/capteurs/<int:pk>/", portal.sensor_detail, name="sensor_detail"),
    path("<int:member_pk>/capteurs/batiment/", portal.building, name="building"),
    path("<int:member_pk>/capteurs/export/", portal.export, name="export"),
    path("<int:member_pk>/passerelles/", gateway_views.portal_gateways, name="gateways"),
    path(
        "<int:member_pk>/passerelles/<int:pk>/",
        gateway_views.portal_gateway_edit,
        name="gateway_edit",
    ),
]
