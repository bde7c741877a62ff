from django.urls import path

from mutualis.iot import webhook

app_name = "iot_webhook"
urlpatterns = [path("uplinks/<str:server>/", webhook.uplink, name="uplink")]
