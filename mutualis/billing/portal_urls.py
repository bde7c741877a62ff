from django.urls import path

from mutualis.billing.views import portal

app_name = "billing_portal"
urlpatterns = [
    path("<int:member_pk>/factures/", portal.portal_invoices, name="invoices"),
    path("<int:member_pk>/factures/<int:pk>/", portal.portal_invoice_detail, name="invoice_detail"),
    path(
        "<int:member_pk>/factures/<int:pk>/avis.pdf", portal.portal_invoice_pdf, name="invoice_pdf"
    ),
    path("<int:member_pk>/consommations/", portal.portal_usage, name="usage"),
]
