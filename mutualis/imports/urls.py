from django.urls import path

from mutualis.imports import views
from mutualis.imports.exports import EXPORTS, FORMATS

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("importer/", views.job_create, name="job_create"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("besoins/<int:pk>/", views.needs_create, name="needs_create"),
    # One fixed path per kind and format: reverse("imports:export", kwargs={"kind", "fmt"}).
    *(
        path(f"export/{kind}.{fmt}", views.export, {"kind": kind, "fmt": fmt}, name="export")
        for kind in EXPORTS
        for fmt in FORMATS
    ),
]
