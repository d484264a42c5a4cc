from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ceres.api.api import api_urls
from ceres.api.views import DocsView

admin.site.site_header = "CERES — administration"
admin.site.site_title = "CERES"

urlpatterns = [
    path("", include("ceres.www.urls")),
    path("compte/", include("ceres.comptes.urls")),
    path("referentiels/", include("ceres.referentiels.urls")),
    path("api/v1/docs/", DocsView.as_view(), name="api_docs"),
    path("api/v1/", api_urls()),
    path("api/cles/", include("ceres.api.urls")),
    path("centres/", include("ceres.centres.urls")),
    path("jurys/", include("ceres.jurys.urls")),
    path("candidats/", include("ceres.candidats.urls")),
    path("sessions/", include("ceres.examens.urls")),
    path("documents/", include("ceres.documents.urls")),
    path("notifications/", include("ceres.notifications.urls")),
    path("statistiques/", include("ceres.statistiques.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
