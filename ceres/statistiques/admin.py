from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.statistiques.models import CalculStatistiques, StatJury, StatResultats, StatSessions


@admin.register(CalculStatistiques)
class CalculStatistiquesAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "full", "months", "rows", "duration_ms"]


@admin.register(StatSessions, StatResultats, StatJury)
class StatAdmin(ReadOnlyAdmin):
    """Derived figures, rebuilt by `calculer_statistiques`."""

    list_display = ["month", "departement", "centre", "titre"]
    list_filter = ["month"]
