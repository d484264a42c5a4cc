app_name = "examens"

urlpatterns = []
