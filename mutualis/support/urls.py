from django.urls import path

from mutualis.support import views

app_name = "support"
urlpatterns = [
    path("", views.index, name="index"),
    path("synchroniser/", views.sync_launch, name="sync"),
    path("connexion/", views.connection_edit, name="connection"),
    path("entites/", views.entity_list, name="entities"),
    path("entites/<int:pk>/", views.entity_edit, name="entity"),
    path("membres/<int:pk>/", views.member_detail, name="member"),
]
