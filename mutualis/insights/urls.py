from django.urls import path

from mutualis.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("references/", views.references, name="references"),
    path("<int:member_pk>/", views.member_page, name="member"),
]
