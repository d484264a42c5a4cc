"""Public open-data JSON endpoints of the référentiels (no login, read-only)."""

from django.urls import path

from ceres.referentiels import api

app_name = "api"

urlpatterns = [
    path("communes/", api.CommuneApi.as_view(), name="communes"),
    path("pays/", api.PaysApi.as_view(), name="pays"),
    path("titres/", api.TitreApi.as_view(), name="titres"),
]
