from django.urls import path

from mutualis.core.access import public
from mutualis.proconnect import views

app_name = "proconnect"

urlpatterns = [
    path("connexion/proconnect/", public(views.StartView.as_view()), name="start"),
    path("connexion/proconnect/retour/", public(views.CallbackView.as_view()), name="callback"),
    path("connexion/proconnect/resultat/", views.outcome, name="outcome"),
    path("compte/proconnect/", views.account, name="account"),
    path("compte/proconnect/lier/", views.link, name="link"),
    path("compte/proconnect/delier/", views.unlink, name="unlink"),
    path("operateur/acces-proconnect/", views.requests_list, name="requests"),
    path("operateur/acces-proconnect/<int:pk>/", views.request_detail, name="request"),
]
