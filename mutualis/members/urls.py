from django.urls import path

from mutualis.members import views

app_name = "members"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("membres/", views.member_list, name="member_list"),
    path("membres/ajouter/", views.member_add_from_territory, name="member_add_territory"),
    path("membres/etablissement/", views.establishment_create, name="establishment_create"),
    path("membres/<int:pk>/", views.member_detail, name="member_detail"),
    path("membres/<int:pk>/adhesion/", views.membership_create, name="membership_create"),
    path("adhesions/<int:pk>/fin/", views.membership_end, name="membership_end"),
    path("membres/<int:pk>/agents/", views.agent_invite, name="agent_invite"),
    path("deliberations/<int:pk>/document/", views.decision_document, name="decision_document"),
    path("conventions/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("acces/<int:pk>/retrait/", views.agent_revoke, name="agent_revoke"),
]
