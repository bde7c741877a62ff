from django.urls import path

from mutualis.purchasing import views

app_name = "purchasing"
urlpatterns = [
    path("", views.index, name="index"),
    path("nouvelle/", views.campaign_create, name="campaign_create"),
    path("<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/modifier/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/statut/", views.campaign_status, name="campaign_status"),
    path("<int:pk>/lots/", views.lot_add, name="lot_add"),
    path("<int:pk>/criteres/", views.criterion_add, name="criterion_add"),
    path("<int:pk>/invitations/", views.campaign_invite, name="campaign_invite"),
    path("<int:pk>/besoins/", views.campaign_needs, name="campaign_needs"),
    path("<int:pk>/besoins/export/", views.needs_export, name="needs_export"),
    path("<int:pk>/besoins/membre/<int:member_pk>/", views.needs_member, name="needs_member"),
    path("<int:pk>/resultats/", views.campaign_results, name="campaign_results"),
    path("<int:pk>/resultats/export/", views.results_export, name="results_export"),
    path("<int:pk>/commandes/", views.campaign_orders, name="campaign_orders"),
    path("<int:pk>/frais/", views.campaign_fee, name="campaign_fee"),
    path("<int:pk>/renouveler/", views.campaign_renew, name="campaign_renew"),
    path("lots/<int:pk>/", views.lot_edit, name="lot_edit"),
    path("lots/<int:pk>/offres/", views.lot_offers, name="lot_offers"),
    path("lots/<int:pk>/attribution/", views.lot_award, name="lot_award"),
    path("offres/<int:pk>/supprimer/", views.offer_delete, name="offer_delete"),
]
