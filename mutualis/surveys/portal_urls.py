from django.urls import path

from mutualis.surveys import portal

app_name = "surveys_portal"
urlpatterns = [
    path("<int:member_pk>/enquetes/", portal.portal_surveys, name="list"),
    path("<int:member_pk>/enquetes/<int:pk>/", portal.portal_answer, name="answer"),
]
