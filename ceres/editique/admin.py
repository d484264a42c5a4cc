from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.editique.models import Compteur


@admin.register(Compteur)
class CompteurAdmin(ReadOnlyAdmin):
    list_display = ["year", "departement_code", "last_value", "updated_at"]
    list_filter = ["year"]
