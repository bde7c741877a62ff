from django.urls import path

from mutualis.metering import views

app_name = "metering"
urlpatterns = [
    path("", views.usage_list, name="usage_list"),
    path("saisir/", views.usage_create, name="usage_create"),
]
