"""Back-office views of candidate files: read-only (writes go through the services and their journal)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote

from ceres.candidats import services
from ceres.candidats.models import (
    Candidat,
    CandidatAcces,
    CandidatCle,
    CandidatIdentiteHistorique,
    CompteurCandidat,
    CorrectionIdentite,
    DoublonPotentiel,
    ImportCandidats,
)
from ceres.core.admin import ReadOnlyAdmin


@admin.register(Candidat)
class CandidatAdmin(ReadOnlyAdmin):
    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening a file in the back office is a read of personal data, journaled like the candidate page.
        candidat = self.get_object(request, unquote(object_id))
        if candidat is not None:
            services.candidat_view(candidat=candidat, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    list_display = ["numero", "birth_name", "usage_name", "first_names", "birth_date", "merged_into"]
    search_fields = ["numero", "name_key", "usage_name_key"]
    list_filter = ["civility"]
    date_hierarchy = "birth_date"


@admin.register(CandidatCle)
class CandidatCleAdmin(ReadOnlyAdmin):
    list_display = ["key", "candidat"]
    search_fields = ["key"]
    raw_id_fields = ["candidat"]


@admin.register(CandidatAcces)
class CandidatAccesAdmin(ReadOnlyAdmin):
    list_display = ["scope", "name_key", "candidat"]
    search_fields = ["scope"]
    raw_id_fields = ["candidat"]


@admin.register(CompteurCandidat)
class CompteurCandidatAdmin(ReadOnlyAdmin):
    list_display = ["name", "last_value"]


@admin.register(CandidatIdentiteHistorique)
class CandidatIdentiteHistoriqueAdmin(ReadOnlyAdmin):
    list_display = ["candidat", "origin", "source", "created_at", "by"]
    list_filter = ["origin"]


@admin.register(DoublonPotentiel)
class DoublonPotentielAdmin(ReadOnlyAdmin):
    list_display = ["candidat_a", "candidat_b", "level", "status", "created_at"]
    list_filter = ["level", "status"]


@admin.register(CorrectionIdentite)
class CorrectionIdentiteAdmin(ReadOnlyAdmin):
    list_display = ["candidat", "status", "created_at", "decided_at"]
    list_filter = ["status"]


@admin.register(ImportCandidats)
class ImportCandidatsAdmin(ReadOnlyAdmin):
    list_display = ["filename", "centre", "created_at", "created_by", "status", "lines", "applied_at"]
