from django.urls import path

from mutualis.catalog import views

app_name = "catalog"
urlpatterns = [
    path("catalogue/", views.service_list, name="service_list"),
    path("catalogue/nouveau/", views.service_create, name="service_create"),
    path("catalogue/<int:pk>/", views.service_edit, name="service_edit"),
    path("catalogue/<int:pk>/prix-seul/", views.reference_prices, name="reference_prices"),
    path("membres/<int:pk>/souscription/", views.subscription_create, name="subscription_create"),
    path("souscriptions/<int:pk>/fin/", views.subscription_end, name="subscription_end"),
    path("demandes/", views.request_inbox, name="request_inbox"),
    path("demandes/<int:pk>/", views.request_detail, name="request_detail"),
]
