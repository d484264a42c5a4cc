from django.urls import path

from ceres.examens import views

app_name = "examens"

S = "<uuid:public_id>/"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="session_list"),
    path("nouvelle/", views.SessionCreateView.as_view(), name="session_create"),
    path("a-valider/", views.ValidationsView.as_view(), name="validations"),
    path("qualite/convocations/", views.ConvocationsQualiteView.as_view(), name="convocations_qualite"),
    path("parcours/<uuid:candidat_public_id>/", views.ParcoursView.as_view(), name="parcours"),
    path(S, views.SessionDetailView.as_view(), name="session_detail"),
    path(S + "modifier/", views.SessionUpdateView.as_view(), name="session_update"),
    path(S + "inscrire/", views.InscriptionAddView.as_view(), name="inscription_add"),
    path(
        S + "inscriptions/<uuid:inscription_id>/supprimer/",
        views.InscriptionDeleteView.as_view(),
        name="inscription_delete",
    ),
    path(S + "inscriptions/<uuid:inscription_id>/resultats/", views.ResultatsView.as_view(), name="resultats"),
    path(S + "resultats/", views.ResultatsGrilleView.as_view(), name="resultats_grille"),
    path(S + "jury/", views.JuryView.as_view(), name="jury"),
    path(S + "jury/<uuid:membre_id>/retirer/", views.JuryRemoveView.as_view(), name="jury_remove"),
    path(S + "convocations/", views.ConvocationsSendView.as_view(), name="convocations_send"),
    path(S + "convocations/suivi/", views.ConvocationsProgressView.as_view(), name="convocations_progress"),
    path(S + "convocations/courrier/", views.ConvocationsMailingView.as_view(), name="convocations_mailing"),
    path(
        S + "inscriptions/<uuid:inscription_id>/convocation/",
        views.ConvocationPdfView.as_view(),
        name="convocation_candidat",
    ),
    path(S + "jury/<uuid:membre_id>/convocation/", views.ConvocationPdfView.as_view(), name="convocation_jure"),
    path(S + "emargement/", views.EmargementView.as_view(), name="emargement"),
    path(S + "pv-signe/", views.PvSigneUploadView.as_view(), name="pv_signe_upload"),
    path(S + "pv-signe/<uuid:pv_id>/", views.PvSigneDownloadView.as_view(), name="pv_signe_download"),
    path(S + "etat/", views.TransitionView.as_view(), name="session_transition"),
    path(S + "annuler/", views.SessionCancelView.as_view(), name="session_cancel"),
    path(S + "renvoyer/", views.SessionReturnView.as_view(), name="session_return"),
    path(S + "transmettre/", views.SubmitView.as_view(), name="resultats_submit"),
    path(S + "validation/", views.ValidationView.as_view(), name="session_validate"),
]
