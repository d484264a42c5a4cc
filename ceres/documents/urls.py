from django.urls import path

from ceres.documents import views

app_name = "documents"

urlpatterns = [
    path("sessions/<uuid:public_id>/parchemins/", views.SessionParcheminsView.as_view(), name="session_parchemins"),
    path("sessions/<uuid:public_id>/parchemins/imprimer/", views.LotRequestView.as_view(), name="lot_request"),
    path("sessions/<uuid:public_id>/pv/", views.SessionPvView.as_view(), name="session_pv"),
    path(
        "certifications/<uuid:public_id>/livret/", views.CertificationLivretView.as_view(), name="certification_livret"
    ),
    path("lots/<uuid:public_id>/", views.LotProgressView.as_view(), name="lot_progress"),
    path("lots/<uuid:public_id>/pdf/", views.LotDownloadView.as_view(), name="lot_download"),
    path(
        "certifications/<uuid:public_id>/imprimer/", views.CertificationPrintView.as_view(), name="certification_print"
    ),
    path(
        "certifications/<uuid:public_id>/annuler/", views.CertificationAnnulView.as_view(), name="certification_annul"
    ),
    path("certifications/<uuid:public_id>/retablir/", views.AnnulationLiftView.as_view(), name="annulation_lift"),
    path("parchemins/<uuid:public_id>/pdf/", views.ParcheminDownloadView.as_view(), name="parchemin_download"),
    path("impressions/", views.PrintLogView.as_view(), name="impressions"),
    path("signataire/<uuid:public_id>/", views.SignatoryView.as_view(), name="signatory"),
    path("verifier/", views.VerifySearchView.as_view(), name="verify_search"),
    path("verifier/<str:number>", views.VerifyView.as_view(), name="verify"),
]
