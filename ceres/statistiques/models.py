"""Summary tables of the statistics pages, rebuilt by `calculer_statistiques` (never computed per request).

Each row sums one cell of a cube: (month of the session's first day, centre, title[, route | juror]). The pages
only read these tables, filtered by scope (département, region, nation), period, title, NSF and centre type.
"""

from django.db import models


class Cellule(models.Model):
    month = models.DateField("mois (premier jour)")
    departement = models.ForeignKey("referentiels.Departement", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("referentiels.Region", on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    centre_type = models.CharField("type de centre", max_length=20)
    titre = models.ForeignKey("referentiels.TitreProfessionnel", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["month"], name="%(class)s_month"),
            models.Index(fields=["departement", "month"], name="%(class)s_dep_month"),
            models.Index(fields=["region", "month"], name="%(class)s_reg_month"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} — centre {self.centre_id}, titre {self.titre_id}"


class StatSessions(Cellule):
    """Sessions of a (month, centre, title): counts, delays (sums and counts, in days) and data-quality items."""

    sessions = models.PositiveIntegerField(default=0)
    candidates = models.PositiveIntegerField(default=0)
    validated = models.PositiveIntegerField(default=0)
    delay_results_days = models.PositiveIntegerField(default=0)
    delay_results_count = models.PositiveIntegerField(default=0)
    delay_validation_days = models.PositiveIntegerField(default=0)
    delay_validation_count = models.PositiveIntegerField(default=0)
    delay_print_days = models.PositiveIntegerField(default=0)
    delay_print_count = models.PositiveIntegerField(default=0)
    convocation_before_start = models.PositiveIntegerField(default=0)

    class Meta(Cellule.Meta):
        verbose_name = "statistiques des sessions"
        verbose_name_plural = "statistiques des sessions"


class StatResultats(Cellule):
    """Registrations of a (month, centre, title, route) and their outcome."""

    route = models.CharField("voie d'accès", max_length=20)
    registered = models.PositiveIntegerField(default=0)
    success = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    failure = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    ccp_presented = models.PositiveIntegerField(default=0)
    ccp_obtained = models.PositiveIntegerField(default=0)
    birth_place_unresolved = models.PositiveIntegerField(default=0)

    class Meta(Cellule.Meta):
        verbose_name = "statistiques des résultats"
        verbose_name_plural = "statistiques des résultats"


class StatJury(Cellule):
    """Jury seats held by one juror in the sessions of a (month, centre, title)."""

    membre = models.ForeignKey("jurys.MembreJury", on_delete=models.CASCADE, related_name="+")
    seats = models.PositiveIntegerField(default=0)

    class Meta(Cellule.Meta):
        verbose_name = "statistiques des jurys"
        verbose_name_plural = "statistiques des jurys"


class CalculStatistiques(models.Model):
    """One run of the computation (the pages say when the figures were computed)."""

    finished_at = models.DateTimeField("terminé le", auto_now_add=True)
    months = models.PositiveIntegerField("mois recalculés", default=0)
    rows = models.PositiveIntegerField("lignes écrites", default=0)
    duration_ms = models.PositiveIntegerField("durée (ms)", default=0)
    full = models.BooleanField("recalcul complet", default=True)

    class Meta:
        verbose_name = "calcul des statistiques"
        verbose_name_plural = "calculs des statistiques"
        ordering = ["-finished_at", "-id"]

    def __str__(self):
        return f"Calcul du {self.finished_at:%d/%m/%Y %H:%M}"
