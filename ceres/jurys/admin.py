from django.contrib import admin
from django.contrib.admin.utils import unquote

from ceres.core.admin import ReadOnlyAdmin
from ceres.jurys import services
from ceres.jurys.models import Habilitation, HomonymieJure, ImportReprise, MembreJury


class HabilitationInline(admin.TabularInline):
    model = Habilitation
    fk_name = "membre"
    extra = 0
    fields = ["titre", "start_date", "end_date", "until_end_of_life", "ud", "status", "status_reason"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(MembreJury)
class MembreJuryAdmin(admin.ModelAdmin):
    """Read-only: juror files are written through the services (UD pages, reprise import)."""

    list_display = ["birth_name", "usage_name", "first_names", "birth_date", "ud", "former_id"]
    list_filter = ["ud"]
    search_fields = ["name_key", "usage_name_key", "first_names_key", "email", "former_id"]
    raw_id_fields = ["user", "birth_commune", "birth_country", "commune"]
    inlines = [HabilitationInline]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Opening a file in the back office is a read of personal data, journaled like the juror page.
        membre = self.get_object(request, unquote(object_id))
        if membre is not None:
            services.membre_view_record(membre=membre, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = ["membre", "titre", "start_date", "end_date", "until_end_of_life", "status", "ud"]
    list_filter = ["status", "until_end_of_life", "ud"]
    search_fields = ["membre__name_key", "titre__code_titre", "titre__code_rncp", "former_id"]
    raw_id_fields = ["membre", "titre"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HomonymieJure)
class HomonymieJureAdmin(admin.ModelAdmin):
    """Read-only: confirmed at creation, checked on the UD's homonymies page."""

    list_display = ["membre", "autre", "confirmed_by", "created_at", "reviewed_by", "reviewed_at"]
    list_filter = ["reviewed_at"]
    raw_id_fields = ["membre", "autre", "confirmed_by", "reviewed_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportReprise)
class ImportRepriseAdmin(ReadOnlyAdmin):
    list_display = ["filename", "ud", "created_at", "created_by", "status", "lines", "applied_at"]
