from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.documents.models import Annulation, DeclarationOriginal, ImpressionLot, Parchemin


@admin.register(Parchemin)
class ParcheminAdmin(ReadOnlyAdmin):
    list_display = ["number", "edition", "reason", "created_at", "printed_by", "sha256"]
    list_filter = ["nature", "reason"]
    search_fields = ["number"]


@admin.register(ImpressionLot)
class ImpressionLotAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "done", "total", "created_at"]
    list_filter = ["status"]


@admin.register(Annulation)
class AnnulationAdmin(ReadOnlyAdmin):
    list_display = ["certification", "created_at", "annulled_by", "lifted_at"]


@admin.register(DeclarationOriginal)
class DeclarationOriginalAdmin(ReadOnlyAdmin):
    list_display = ["certification", "paper_original", "declared_by", "created_at"]
