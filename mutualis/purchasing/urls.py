from django.urls import path

from mutualis.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.index, name="index"),
]
