from django.urls import path

from ceres.comptes import views

app_name = "comptes"

proconnect_login, proconnect_callback = views.proconnect_views()

urlpatterns = [
    path("", views.ProfilView.as_view(), name="profil"),
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("proconnect/connexion/", proconnect_login, name="proconnect_login"),
    path("proconnect/retour/", proconnect_callback, name="proconnect_callback"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("centre-courant/", views.CentreCourantView.as_view(), name="centre_courant"),
    path("mot-de-passe/changer/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe/change/", views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("mot-de-passe/oubli/", views.PasswordResetView.as_view(), name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "mot-de-passe/reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("mot-de-passe/reinitialise/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
