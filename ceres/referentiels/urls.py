from django.urls import path

from ceres.referentiels import views, views_communes

app_name = "referentiels"

urlpatterns = [
    # Titles, NSF, data quality: views.py
    path("titres/", views.TitreListView.as_view(), name="titre_list"),
    path("titres/<uuid:public_id>/", views.TitreDetailView.as_view(), name="titre_detail"),
    path("qualite-des-titres/", views.QualiteView.as_view(), name="qualite"),
    path("parametres/", views.ParametreListView.as_view(), name="parametre_list"),
    path("parametres/<slug:code>/", views.ParametreUpdateView.as_view(), name="parametre_update"),
    # Communes: views_communes.py
    path("communes/", views_communes.CommuneSearchView.as_view(), name="commune_search"),
]
