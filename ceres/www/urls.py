from django.urls import path

from ceres.www import views

app_name = "www"

urlpatterns = [
    path("", views.AccueilView.as_view(), name="accueil"),
    path("mentions-legales/", views.MentionsLegalesView.as_view(), name="mentions_legales"),
    path("accessibilite/", views.AccessibiliteView.as_view(), name="accessibilite"),
    path("donnees-personnelles/", views.DonneesPersonnellesView.as_view(), name="donnees_personnelles"),
    path("tableau-de-bord/", views.TableauDeBordView.as_view(), name="tableau_de_bord"),
]
