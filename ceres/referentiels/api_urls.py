from django.urls import path  # noqa: F401

app_name = "api"

# Public référentiel endpoints: /api/v1/communes/, /api/v1/pays/ (views in ceres/referentiels/api.py)
urlpatterns = []
