from django.urls import path

from mutualis.billing import views
from mutualis.billing.views import (
    corrections,
    identity,
    invoices,
    runs,
    simulation,
    tariff_text,
    tariffs,
    transmissions,
)

FORMATS = ("csv", "xlsx")

app_name = "billing"
urlpatterns = [
    path("", views.index, name="index"),
    path("identite/", identity.identity_edit, name="identity"),
    path("tarifs/", tariffs.tariff_list, name="tariff_list"),
    path("tarifs/nouveau/", tariffs.tariff_create, name="tariff_create"),
    path("tarifs/<int:pk>/", tariffs.tariff_detail, name="tariff_detail"),
    path("tarifs/<int:pk>/modifier/", tariffs.tariff_edit, name="tariff_edit"),
    path(
        "tarifs/<int:pk>/nouvelle-version/", tariffs.tariff_new_version, name="tariff_new_version"
    ),
    path("tarifs/<int:pk>/adopter/", tariffs.tariff_adopt, name="tariff_adopt"),
    path("tarifs/<int:pk>/tarif.pdf", tariff_text.tariff_pdf, name="tariff_pdf"),
    path("tarifs/<int:pk>/comparaison/", tariff_text.tariff_compare, name="tariff_compare"),
    path("calculs/", runs.run_list, name="run_list"),
    path("calculs/lancer/", runs.run_create, name="run_create"),
    path("calculs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("calculs/<int:pk>/membres/", runs.run_members, name="run_members"),
    path("calculs/<int:pk>/valider/", runs.run_validate, name="run_validate"),
    path("calculs/<int:pk>/refaire/", runs.run_reproduce, name="run_reproduce"),
    path("calculs/<int:pk>/emettre/", runs.run_issue, name="run_issue"),
    path("calculs/<int:pk>/pes.xml", runs.run_pes, name="run_pes"),
    path("calculs/<int:pk>/comparaison/", corrections.run_compare, name="run_compare"),
    *(
        path(
            f"calculs/<int:pk>/comparaison.{fmt}",
            corrections.run_compare_export,
            {"fmt": fmt},
            name="run_compare_export",
        )
        for fmt in FORMATS
    ),
    path(
        "calculs/<int:pk>/valider-correction/",
        corrections.run_validate_correction,
        name="run_validate_correction",
    ),
    *(
        path(
            f"calculs/<int:pk>/participations.{fmt}",
            runs.run_export,
            {"fmt": fmt},
            name="run_export",
        )
        for fmt in FORMATS
    ),
    path("simulation/", simulation.simulation, name="simulation"),
    path("simulation/budget/", tariff_text.budget_simulation, name="budget_simulation"),
    *(
        path(
            f"simulation/export.{fmt}",
            simulation.simulation_export,
            {"fmt": fmt},
            name="simulation_export",
        )
        for fmt in FORMATS
    ),
    path("titres/", invoices.invoice_list, name="invoice_list"),
    *(
        path(f"titres/export.{fmt}", invoices.invoice_export, {"fmt": fmt}, name="invoice_export")
        for fmt in FORMATS
    ),
    path("titres/pes.xml", invoices.invoice_pes, name="invoice_pes"),
    path("titres/<int:pk>/", invoices.invoice_detail, name="invoice_detail"),
    path("titres/<int:pk>/avis.pdf", invoices.invoice_pdf_download, name="invoice_pdf"),
    path("titres/<int:pk>/corriger/", invoices.invoice_correct, name="invoice_correct"),
    path("creances/", invoices.receivables, name="receivables"),
    path("transmissions/", transmissions.transmission_list, name="transmission_list"),
    path(
        "transmissions/preparations/<int:pk>/",
        transmissions.preparation_detail,
        name="preparation_detail",
    ),
    path(
        "transmissions/<int:pk>/depose/",
        transmissions.transmission_deposit,
        name="transmission_deposit",
    ),
    path(
        "transmissions/<int:pk>/fichier.xml",
        transmissions.transmission_download,
        name="transmission_download",
    ),
]
