from django.urls import path

from mutualis.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
]
