from django.urls import path

from mutualis.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.campaign, name="campaign"),
    path("<int:pk>/invitations/", views.campaign_invite, name="invite"),
    path("<int:pk>/envoi/", views.campaign_send, name="send"),
    path("<int:pk>/relance/", views.campaign_remind, name="remind"),
    path("<int:pk>/cloture/", views.campaign_close, name="close"),
    path("<int:pk>/resultats/", views.campaign_results, name="results"),
    path("<int:pk>/resultats/export/", views.campaign_export, name="export"),
    path("<int:pk>/membres/<int:member_pk>/", views.member_answer, name="member_answer"),
]
