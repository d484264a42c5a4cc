from django.contrib import admin

from ceres.documents.models import Annulation, Compteur, ImpressionLot, Parchemin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official records are written by services only (numbering, print log, annulments): the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Compteur)
class CompteurAdmin(ReadOnlyAdmin):
    list_display = ["year", "departement_code", "last_value", "updated_at"]
    list_filter = ["year"]


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
