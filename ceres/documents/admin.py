from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.documents.models import Annulation, ImpressionLot, Parchemin


@admin.register(Parchemin)
class ParcheminAdmin(ReadOnlyAdmin):
    list_display = ["number", "nature", "created_at", "printed_by", "sha256"]
    list_filter = ["nature"]
    search_fields = ["number"]


@admin.register(ImpressionLot)
class ImpressionLotAdmin(ReadOnlyAdmin):
    list_display = ["session", "status", "done", "total", "created_at"]
    list_filter = ["status"]


@admin.register(Annulation)
class AnnulationAdmin(ReadOnlyAdmin):
    list_display = ["certification", "created_at", "annulled_by", "lifted_at"]
