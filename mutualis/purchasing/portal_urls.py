from django.urls import path

from mutualis.purchasing.views import portal

app_name = "purchasing_portal"
urlpatterns = [
    path("<int:member_pk>/achats/", portal.portal_campaigns, name="campaigns"),
    path("<int:member_pk>/achats/<int:pk>/", portal.portal_campaign, name="campaign"),
    path("<int:member_pk>/achats/<int:pk>/retrait/", portal.portal_withdraw, name="withdraw"),
    path("<int:member_pk>/achats/<int:pk>/commandes/", portal.portal_order, name="order"),
]
