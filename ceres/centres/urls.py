app_name = "centres"

urlpatterns = []
