from django.contrib import admin

from ceres.core.admin import ReadOnlyAdmin
from ceres.statistiques.models import (
    CalculStatistiques,
    StatCentreDepuis,
    StatJuresDepuis,
    StatJury,
    StatResultats,
    StatSessions,
    StatSessionsPerimetre,
    StatTitres,
    StatVoies,
)


@admin.register(CalculStatistiques)
class CalculStatistiquesAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "full", "months", "rows", "duration_ms"]


@admin.register(StatSessions, StatResultats, StatJury)
class StatAdmin(ReadOnlyAdmin):
    """Derived figures, rebuilt by `calculer_statistiques`."""

    list_display = ["month", "departement", "centre", "titre"]
    list_filter = ["month"]


@admin.register(StatSessionsPerimetre)
class StatSessionsPerimetreAdmin(ReadOnlyAdmin):
    """Sums of the monthly cube per scope (N, R<id>, D<id>), rebuilt by `calculer_statistiques`."""

    list_display = ["perimetre", "month", "centre_type"]
    list_filter = ["month"]


@admin.register(StatTitres, StatVoies)
class StatTrancheAdmin(ReadOnlyAdmin):
    """Results per year, quarter or month slice of a scope, rebuilt by `calculer_statistiques`."""

    list_display = ["perimetre", "month", "months", "centre_type"]
    list_filter = ["months"]


@admin.register(StatCentreDepuis)
class StatCentreDepuisAdmin(ReadOnlyAdmin):
    list_display = ["centre", "depuis", "seats", "jurors", "top_share"]
    list_filter = ["depuis"]


@admin.register(StatJuresDepuis)
class StatJuresDepuisAdmin(ReadOnlyAdmin):
    list_display = ["perimetre", "centre_type", "depuis", "jurors"]
    list_filter = ["depuis"]
