from django.contrib import admin

from ceres.centres.models import Agrement, Centre, DepotValce, ImportValce, InvitationCentre, MembreCentre, Site
from ceres.core.admin import ReadOnlyAdmin


class SiteInline(admin.TabularInline):
    model = Site
    extra = 0
    fields = ["name", "address", "postal_code", "commune"]
    readonly_fields = fields
    can_delete = False


class MembreCentreInline(admin.TabularInline):
    model = MembreCentre
    extra = 0
    fields = ["user", "is_admin"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Centre)
class CentreAdmin(admin.ModelAdmin):
    """Read-only: members are managed on the centre's « Membres » page (journaled, last administrator kept)."""

    list_display = ["name", "siret", "type", "departement"]
    list_filter = ["type", "departement__region"]
    search_fields = ["name_key", "siret"]
    readonly_fields = [
        "name",
        "siret",
        "type",
        "departement",
        "address",
        "postal_code",
        "commune",
        "contact_name",
        "email",
        "phone",
    ]
    inlines = [SiteInline, MembreCentreInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Site)
class SiteAdmin(ReadOnlyAdmin):
    list_display = ["name", "centre", "address", "postal_code", "commune"]
    search_fields = ["name", "centre__name_key", "centre__siret"]


@admin.register(MembreCentre)
class MembreCentreAdmin(ReadOnlyAdmin):
    list_display = ["user", "centre", "is_admin"]
    search_fields = ["user__email", "centre__name_key", "centre__siret"]
    raw_id_fields = ["user", "centre"]


@admin.register(Agrement)
class AgrementAdmin(ReadOnlyAdmin):
    list_display = ["centre", "titre", "site", "start_date", "end_date", "decision", "valce_id"]
    list_filter = ["decision", "centre__departement__region"]
    search_fields = ["centre__name_key", "centre__siret", "titre__code_rncp", "valce_id"]


@admin.register(ImportValce)
class ImportValceAdmin(ReadOnlyAdmin):
    list_display = ["filename", "created_at", "imported_by", "lines", "created", "updated", "unchanged", "rejected"]


@admin.register(InvitationCentre)
class InvitationCentreAdmin(ReadOnlyAdmin):
    list_display = ["email", "centre", "is_admin", "status", "created_at", "answered_at"]
    list_filter = ["status"]
    search_fields = ["email"]


@admin.register(DepotValce)
class DepotValceAdmin(ReadOnlyAdmin):
    list_display = ["filename", "created_at", "created_by", "region", "status", "lines", "applied_at"]
