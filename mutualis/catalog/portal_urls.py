from django.urls import path

from mutualis.catalog import portal

urlpatterns = [
    path("", portal.portal, name="portal"),
    path("<int:member_pk>/", portal.portal_member, name="portal_member"),
    path("<int:member_pk>/catalogue/", portal.portal_catalog, name="portal_catalog"),
    path(
        "<int:member_pk>/catalogue/<int:pk>/demande/",
        portal.portal_request_create,
        name="portal_request_create",
    ),
    path(
        "<int:member_pk>/demandes/<int:pk>/",
        portal.portal_request_detail,
        name="portal_request_detail",
    ),
    path(
        "<int:member_pk>/deliberations/<int:pk>/document/",
        portal.portal_decision_document,
        name="portal_decision_document",
    ),
    path(
        "<int:member_pk>/conventions/<int:pk>/document/",
        portal.portal_agreement_document,
        name="portal_agreement_document",
    ),
    path(
        "<int:member_pk>/demandes/<int:pk>/annuler/",
        portal.portal_request_cancel,
        name="portal_request_cancel",
    ),
]
