from django.contrib import admin

from ceres.api.models import CleApi, RequeteIdempotente
from ceres.core.admin import ReadOnlyAdmin


@admin.register(CleApi)
class CleApiAdmin(ReadOnlyAdmin):
    """Keys are created and revoked on the « Clés d'API » page (journaled), never here."""

    list_display = ["name", "prefix", "scope", "centre", "created_by", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "prefix", "centre__name", "created_by__email"]
    exclude = ["secret_hash"]


@admin.register(RequeteIdempotente)
class RequeteIdempotenteAdmin(ReadOnlyAdmin):
    list_display = ["key", "cle", "status_code", "created_at"]
    exclude = ["body"]
