from django.urls import path

from ceres.candidats import views

app_name = "candidats"

urlpatterns = [
    path("", views.CandidatListView.as_view(), name="list"),
    path("nouveau/", views.CandidatCreateView.as_view(), name="create"),
    path("import/", views.ImportCandidatsView.as_view(), name="import"),
    path("import/modele/", views.ImportCandidatsTemplateView.as_view(), name="import_modele"),
    path("import/<uuid:public_id>/", views.ImportCandidatsJobView.as_view(), name="import_job"),
    path("import/<uuid:public_id>/action/", views.ImportCandidatsActionView.as_view(), name="import_action"),
    path("import/<uuid:public_id>/rapport/", views.ImportCandidatsReportView.as_view(), name="import_report"),
    path("doublons/", views.DoublonListView.as_view(), name="doublons"),
    path("doublons/<uuid:public_id>/ecarter/", views.DoublonEcarterView.as_view(), name="doublon_ecarter"),
    path("<uuid:public_id>/", views.CandidatDetailView.as_view(), name="detail"),
    path("<uuid:public_id>/modifier/", views.CandidatUpdateView.as_view(), name="update"),
    path("<uuid:public_id>/correction-identite/", views.CorrectionRequestView.as_view(), name="correction_request"),
    path("corrections-identite/", views.CorrectionListView.as_view(), name="corrections"),
    path("corrections-identite/<uuid:public_id>/", views.CorrectionDecideView.as_view(), name="correction_decide"),
    path("<uuid:public_id>/fusionner/", views.CandidatMergeView.as_view(), name="merge"),
]
