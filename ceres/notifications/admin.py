from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "email_status"]
    list_filter = ["kind", "email_status"]
    search_fields = ["title", "user__email"]


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "channel"]
