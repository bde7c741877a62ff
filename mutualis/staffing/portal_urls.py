from django.urls import path

from mutualis.staffing import portal

app_name = "staffing_portal"
urlpatterns = [
    path("<int:member_pk>/informaticien/", portal.portal_staffing, name="index"),
    path(
        "<int:member_pk>/informaticien/journal/<int:pk>/viser/",
        portal.portal_work_log_acknowledge,
        name="acknowledge",
    ),
    path(
        "<int:member_pk>/informaticien/journal/<int:pk>/contester/",
        portal.portal_work_log_contest,
        name="contest",
    ),
]
