from django.urls import path

from mutualis.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("references/", views.references, name="references"),
    path("rapports/", views.report_batches, name="report_batches"),
    path("rapports/<int:pk>/", views.report_batch, name="report_batch"),
    path("rapports/<int:pk>/rapports.zip", views.report_batch_zip, name="report_batch_zip"),
    path("<int:member_pk>/", views.member_page, name="member"),
    path("<int:member_pk>/rapport.pdf", views.member_report, name="member_report"),
]
