from django.urls import path

from ceres.centres import views

app_name = "centres"

urlpatterns = [
    path("", views.CentreListView.as_view(), name="centre_list"),
    path("nouveau/", views.CentreCreateView.as_view(), name="centre_create"),
    path("<uuid:public_id>/", views.CentreDetailView.as_view(), name="centre_detail"),
    path("<uuid:public_id>/sites/ajouter/", views.SiteCreateView.as_view(), name="site_create"),
    path("<uuid:public_id>/membres/", views.MembresView.as_view(), name="membres"),
    path("<uuid:public_id>/membres/retirer/", views.MembreRemoveView.as_view(), name="membre_remove"),
    path("invitations/", views.MesInvitationsView.as_view(), name="mes_invitations"),
    path("<uuid:public_id>/agrements/demander/", views.AgrementRequestView.as_view(), name="agrement_request"),
    path("agrements/", views.AgrementListView.as_view(), name="agrement_list"),
    path("agrements/mes-agrements/", views.MesAgrementsView.as_view(), name="mes_agrements"),
    path("agrements/fin-proche/", views.AgrementAlertView.as_view(), name="agrement_alerts"),
    path("agrements/<uuid:public_id>/", views.AgrementDetailView.as_view(), name="agrement_detail"),
    path("agrements/<uuid:public_id>/decision/", views.AgrementDecideView.as_view(), name="agrement_decide"),
    path("agrements/<uuid:public_id>/retrait/", views.AgrementWithdrawView.as_view(), name="agrement_withdraw"),
    path("import-valce/", views.ValceImportView.as_view(), name="valce_import"),
    path("import-valce/<uuid:public_id>/", views.ValceImportJobView.as_view(), name="valce_import_job"),
    path("import-valce/<uuid:public_id>/action/", views.ValceImportActionView.as_view(), name="valce_import_action"),
    path("import-valce/<uuid:public_id>/rapport/", views.ValceImportReportView.as_view(), name="valce_import_report"),
]
