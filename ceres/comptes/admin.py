from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ceres.comptes.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "region", "ud", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Rôle", {"fields": ["role", "region", "ud"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2", "role"]})]
    autocomplete_fields = ["region", "ud"]
    actions = ["unlock_login"]

    @admin.action(description="Débloquer la connexion (effacer les tentatives échouées)")
    def unlock_login(self, request, queryset):
        unlocked = sum(1 for user in queryset if axes_reset(username=user.email.lower()))
        self.message_user(request, f"Connexion débloquée pour {unlocked} compte(s).", messages.SUCCESS)
