from django.urls import path

from mutualis.alerts import portal, sector_views

app_name = "alerts_portal"
urlpatterns = [
    path("<int:member_pk>/alertes/", portal.portal_alerts, name="list"),
    path("<int:member_pk>/alertes/<int:pk>/", portal.portal_alert_detail, name="detail"),
    path(
        "<int:member_pk>/alertes/<int:pk>/prise-en-compte/",
        portal.portal_alert_acknowledge,
        name="acknowledge",
    ),
    path("<int:member_pk>/consentements/", portal.portal_consents, name="consents"),
    path("<int:member_pk>/secteurs/", sector_views.portal_sectors, name="sectors"),
    path("<int:member_pk>/secteurs/<int:pk>/", sector_views.portal_sector_edit, name="sector_edit"),
    path(
        "<int:member_pk>/consentements/<int:pk>/retrait/",
        portal.portal_consent_withdraw,
        name="withdraw",
    ),
]
