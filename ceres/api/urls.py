from django.urls import path

from ceres.api import views

app_name = "cles_api"

urlpatterns = [
    path("", views.CleListView.as_view(), name="list"),
    path("<uuid:public_id>/revoquer/", views.CleRevokeView.as_view(), name="revoke"),
]
