from django.urls import path

from mutualis.metering import views

app_name = "metering"
urlpatterns = [
    path("", views.usage_list, name="usage_list"),
    path("saisir/", views.usage_create, name="usage_create"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/deposer/", views.import_create, name="import_create"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
]
