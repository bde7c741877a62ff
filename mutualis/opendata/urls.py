from django.urls import path

from mutualis.opendata import sta, views

urlpatterns = [
    path("sta/v1.1/", sta.service_root, name="sta_root"),
    path("sta/v1.1/<path:path>", sta.resource, name="sta_resource"),
    path("donnees-ouvertes/", views.open_data, name="open_data"),
    path(
        "donnees-ouvertes/<int:measure>/<int:year>-<int:month>.csv",
        views.month_csv,
        name="open_data_csv",
    ),
]
