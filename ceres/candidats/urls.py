app_name = "candidats"

urlpatterns = []
