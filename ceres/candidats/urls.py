from django.urls import path

from ceres.candidats import views

app_name = "candidats"

urlpatterns = [
    path("", views.CandidatListView.as_view(), name="list"),
    path("nouveau/", views.CandidatCreateView.as_view(), name="create"),
    path("doublons/", views.DoublonListView.as_view(), name="doublons"),
    path("doublons/<uuid:public_id>/ecarter/", views.DoublonEcarterView.as_view(), name="doublon_ecarter"),
    path("<uuid:public_id>/", views.CandidatDetailView.as_view(), name="detail"),
    path("<uuid:public_id>/modifier/", views.CandidatUpdateView.as_view(), name="update"),
    path("<uuid:public_id>/fusionner/", views.CandidatMergeView.as_view(), name="merge"),
]
