from django.urls import path

from ceres.referentiels import views

app_name = "referentiels"

urlpatterns = [
    path("titres/", views.TitreListView.as_view(), name="titre_list"),
    path("communes/", views.CommuneSearchView.as_view(), name="commune_search"),
]
