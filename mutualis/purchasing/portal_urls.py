app_name = "purchasing_portal"
urlpatterns: list = []
