app_name = "jurys"

urlpatterns = []
