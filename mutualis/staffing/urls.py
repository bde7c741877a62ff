from django.urls import path

from mutualis.staffing import views, worklog

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
    path("planning/", views.planning, name="planning"),
    path("techniciens/<int:pk>/", views.technician_calendar, name="technician_calendar"),
    path("membres/<int:pk>/", views.member_calendar, name="member_calendar"),
    path("conventions/nouvelle/", views.agreement_create, name="agreement_create"),
    path("conventions/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "journees/<int:pk>/supprimer/",
        views.planned_day_delete,
        name="planned_day_delete",
    ),
    path("interventions/nouvelle/", views.intervention_create, name="intervention_create"),
    path("absences/nouvelle/", views.absence_create, name="absence_create"),
    path("journal/", worklog.work_log_list, name="work_log_list"),
    path("journal/saisir/", worklog.work_log_create, name="work_log_create"),
    path("contestations/", worklog.contest_list, name="contest_list"),
    path(
        "journal/<int:pk>/contestation/",
        worklog.contest_resolve,
        name="contest_resolve",
    ),
    path("consommations/", views.usage_post, name="usage_post"),
    path("export/", views.export, name="export"),
]
