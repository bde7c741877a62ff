from django.urls import path

from mutualis.support import portal

app_name = "support_portal"
urlpatterns = [
    path("<int:member_pk>/assistance/", portal.portal_support, name="index"),
]
