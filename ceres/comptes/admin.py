from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from ceres.comptes import lockout
from ceres.comptes.models import User
from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry

# Who may do what and where: every change of these is journaled (the password hash never is).
AUDITED_FIELDS = ["email", "first_name", "last_name", "role", "region", "ud", "is_active", "is_staff", "is_superuser"]


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

    def save_model(self, request, obj, form, change):
        before = snapshot(User.objects.get(pk=obj.pk), AUDITED_FIELDS) if change else {}
        super().save_model(request, obj, form, change)
        changes = diff(before, snapshot(obj, AUDITED_FIELDS))
        if changes or not change:
            journal_record(
                action=JournalEntry.Action.UPDATE if change else JournalEntry.Action.CREATE,
                obj=obj,
                by=request.user,
                changes=changes,
                operation="administration_compte",
            )

    @admin.action(description="Débloquer la connexion (effacer les tentatives échouées)")
    def unlock_login(self, request, queryset):
        unlocked = 0
        for user in queryset:
            lockout.unlock_account(user.email)
            unlocked += 1
        self.message_user(request, f"Connexion débloquée pour {unlocked} compte(s).", messages.SUCCESS)
