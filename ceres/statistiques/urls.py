from django.urls import path

from ceres.statistiques import views

app_name = "statistiques"

urlpatterns = [
    path("", views.StatistiquesView.as_view(), name="index"),
    path("<slug:key>.csv", views.CsvView.as_view(), name="csv"),
]
