app_name = "staffing_portal"
urlpatterns: list = []
