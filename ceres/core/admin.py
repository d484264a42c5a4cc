from django.contrib import admin

from ceres.core.models import JournalEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Back-office view of records that only services write (they check the rules and journal every change)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(JournalEntry)
class JournalEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "operation", "object_type", "object_repr"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "actor_label", "object_id"]
