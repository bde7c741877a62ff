app_name = "billing_portal"
urlpatterns: list = []
