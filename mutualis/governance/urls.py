from django.urls import path

from mutualis.governance import views

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.body_create, name="body_create"),
    path("<int:pk>/", views.body_detail, name="body_detail"),
    path("<int:pk>/membres/", views.seat_add, name="seat_add"),
    path("<int:pk>/seances/nouvelle/", views.meeting_create, name="meeting_create"),
    path("seances/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("seances/<int:pk>/documents/", views.meeting_document_add, name="meeting_document_add"),
    path("seances/<int:pk>/convoquer/", views.meeting_convene, name="meeting_convene"),
    path("seances/<int:pk>/presences/", views.meeting_attendance, name="meeting_attendance"),
    path("registre/", views.register, name="register"),
    path("registre/nouvelle/", views.deliberation_create, name="deliberation_create"),
    path("registre/export-scdl.csv", views.register_export, name="register_export"),
    path("registre/<int:pk>/", views.deliberation_detail, name="deliberation_detail"),
    path("registre/<int:pk>/completer/", views.deliberation_update, name="deliberation_update"),
    path("registre/<int:pk>/document/", views.deliberation_document, name="deliberation_document"),
]
