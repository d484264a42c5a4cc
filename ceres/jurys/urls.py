from django.urls import path

from ceres.jurys import views

app_name = "jurys"

urlpatterns = [
    path("", views.MembreListView.as_view(), name="membre_list"),
    path("nouveau/", views.MembreCreateView.as_view(), name="membre_create"),
    path("a-convoquer/", views.AConvoquerView.as_view(), name="a_convoquer"),
    path("mon-espace/", views.MonEspaceView.as_view(), name="mon_espace"),
    path("reprise/", views.ImportRepriseView.as_view(), name="import"),
    path("reprise/modele/", views.ImportRepriseTemplateView.as_view(), name="import_modele"),
    path("reprise/<uuid:public_id>/", views.ImportRepriseJobView.as_view(), name="import_job"),
    path("reprise/<uuid:public_id>/action/", views.ImportRepriseActionView.as_view(), name="import_action"),
    path("reprise/<uuid:public_id>/rapport/", views.ImportRepriseReportView.as_view(), name="import_report"),
    path("homonymies/", views.HomonymieListView.as_view(), name="homonymies"),
    path("<uuid:public_id>/", views.MembreDetailView.as_view(), name="membre_detail"),
    path("<uuid:public_id>/modifier/", views.MembreUpdateView.as_view(), name="membre_update"),
    path("<uuid:public_id>/habiliter/", views.HabilitationCreateView.as_view(), name="habilitation_create"),
    path("habilitations/<uuid:public_id>/", views.HabilitationDetailView.as_view(), name="habilitation_detail"),
    path("habilitations/<uuid:public_id>/statut/", views.HabilitationStatusView.as_view(), name="habilitation_status"),
]
