"""Summary tables of the statistics pages, rebuilt by `calculer_statistiques` (never computed per request).

Two stages. The **monthly cube**: each row sums one cell (month of the session's first day, centre, title[, route |
juror]) of the business tables. The **rollups**, computed from the cube alone, answer a page without a title or NSF
filter in a few hundred to a few thousand rows whatever the period (issue #18: 2 M files, ten years):
- per scope (``perimetre``: ``N`` nation, ``R<region id>``, ``D<département id>``, the key of
  ``selectors.scope_key``), by month (sessions) or by period piece (results by title, by route): a month, a quarter
  or a year, so that any range of months is a few yearly rows plus a few quarterly and monthly ones;
- per centre and per scope *since each month* up to the month of the computation (``until`` of the run): the centre
  results and juror concentration, the seats-per-juror distribution and the most active jurors of the period that
  starts that month — figures that are not sums (a juror's sessions over the period, the share of a centre's three
  most present jurors) and so cannot be added up from pieces.
The pages read the rollups when they answer the filters and the monthly cube otherwise; both give the same figures
(tests/statistiques/test_rollups.py).
"""

from django.db import models


class SessionsMesures(models.Model):
    """Sessions: counts, delays (sums and counts, in days) and data-quality items."""

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

    class Meta:
        abstract = True


SESSION_FIELDS = [f.name for f in SessionsMesures._meta.local_fields]


class ResultatsMesures(models.Model):
    """Registrations and their outcome."""

    registered = models.PositiveIntegerField(default=0)
    success = models.PositiveIntegerField(default=0)
    partial = models.PositiveIntegerField(default=0)
    failure = models.PositiveIntegerField(default=0)
    absent = models.PositiveIntegerField(default=0)
    ccp_presented = models.PositiveIntegerField(default=0)
    ccp_obtained = models.PositiveIntegerField(default=0)
    birth_place_unresolved = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


RESULT_FIELDS = [f.name for f in ResultatsMesures._meta.local_fields]


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


class StatSessions(Cellule, SessionsMesures):
    """Sessions of a (month, centre, title)."""

    class Meta(Cellule.Meta):
        verbose_name = "statistiques des sessions"
        verbose_name_plural = "statistiques des sessions"


class StatResultats(Cellule, ResultatsMesures):
    """Registrations of a (month, centre, title, route) and their outcome."""

    route = models.CharField("voie d'accès", max_length=20)

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


# ------------------------------------------------------------------------------------------ rollups of the cube

PERIMETRE_HELP = "N : France entière ; R<id> : une région ; D<id> : un département"


class StatSessionsPerimetre(SessionsMesures):
    """Sessions of a (scope, month, centre type): the monthly series of a page without a title filter."""

    perimetre = models.CharField("périmètre", max_length=12, help_text=PERIMETRE_HELP)
    month = models.DateField("mois (premier jour)")
    centre_type = models.CharField("type de centre", max_length=20)

    class Meta:
        verbose_name = "sessions par périmètre"
        verbose_name_plural = "sessions par périmètre"
        indexes = [models.Index(fields=["perimetre", "month"], name="statsessper_per_month")]

    def __str__(self):
        return f"{self.perimetre} {self.month:%m/%Y} {self.centre_type}"


class Tranche(ResultatsMesures):
    """Results of a (scope, period piece, centre type): a piece is `months` months from `month` — a month (1), a
    quarter (3, from January, April, July or October) or a calendar year (12)."""

    perimetre = models.CharField("périmètre", max_length=12, help_text=PERIMETRE_HELP)
    month = models.DateField("premier mois")
    months = models.PositiveSmallIntegerField("nombre de mois")
    centre_type = models.CharField("type de centre", max_length=20)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["perimetre", "months", "month"], name="%(class)s_per_piece")]

    def __str__(self):
        return f"{self.perimetre} {self.month:%m/%Y} ({self.months} mois) {self.centre_type}"


class StatTitres(Tranche):
    """Results by title of a scope and period piece."""

    titre = models.ForeignKey("referentiels.TitreProfessionnel", on_delete=models.CASCADE, related_name="+")

    class Meta(Tranche.Meta):
        verbose_name = "résultats par titre"
        verbose_name_plural = "résultats par titre"


class StatVoies(Tranche):
    """Results by access route of a scope and period piece."""

    route = models.CharField("voie d'accès", max_length=20)

    class Meta(Tranche.Meta):
        verbose_name = "résultats par voie d'accès"
        verbose_name_plural = "résultats par voie d'accès"


class StatCentreDepuis(ResultatsMesures):
    """A centre's results and jury seats from month `depuis` to the month of the computation (`until` of the run),
    one row for every month from the first month of the cube to the centre's last active month."""

    centre = models.ForeignKey("centres.Centre", on_delete=models.CASCADE, related_name="+")
    departement = models.ForeignKey("referentiels.Departement", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("referentiels.Region", on_delete=models.CASCADE, related_name="+")
    centre_type = models.CharField("type de centre", max_length=20)
    depuis = models.DateField("depuis le mois")
    seats = models.PositiveIntegerField("places de juré", default=0)
    jurors = models.PositiveIntegerField("jurés différents", default=0)
    top_seats = models.PositiveIntegerField("places des jurés les plus présents", default=0)
    top_share = models.FloatField("part des jurés les plus présents (%)", null=True)

    class Meta:
        verbose_name = "centre depuis un mois"
        verbose_name_plural = "centres depuis un mois"
        indexes = [
            models.Index(fields=["depuis"], name="statcentredepuis_depuis"),
            models.Index(fields=["departement", "depuis"], name="statcentredepuis_dep"),
            models.Index(fields=["region", "depuis"], name="statcentredepuis_reg"),
            models.Index(fields=["centre", "depuis"], name="statcentredepuis_centre"),
        ]

    def __str__(self):
        return f"Centre {self.centre_id} depuis {self.depuis:%m/%Y}"


class StatJuresDepuis(models.Model):
    """Jurors of a scope (and centre type, or all types) from month `depuis` to the month of the computation:
    how many sat, how many in each bucket of ``rules.SEAT_BUCKETS`` and the most active ones."""

    perimetre = models.CharField("périmètre", max_length=12, help_text=PERIMETRE_HELP)
    centre_type = models.CharField("type de centre (vide : tous)", max_length=20, blank=True)
    depuis = models.DateField("depuis le mois")
    jurors = models.PositiveIntegerField("jurés ayant siégé", default=0)
    buckets = models.JSONField("jurés par tranche de sessions", default=list)
    top = models.JSONField("jurés les plus sollicités ([id, sessions])", default=list)

    class Meta:
        verbose_name = "jurés depuis un mois"
        verbose_name_plural = "jurés depuis un mois"
        constraints = [
            models.UniqueConstraint(fields=["perimetre", "centre_type", "depuis"], name="statjuresdepuis_unique")
        ]

    def __str__(self):
        return f"{self.perimetre} {self.centre_type or 'tous types'} depuis {self.depuis:%m/%Y}"


class CalculStatistiques(models.Model):
    """One run of the computation (the pages say when the figures were computed)."""

    finished_at = models.DateTimeField("terminé le", auto_now_add=True)
    months = models.PositiveIntegerField("mois recalculés", default=0)
    rows = models.PositiveIntegerField("lignes écrites", default=0)
    duration_ms = models.PositiveIntegerField("durée (ms)", default=0)
    full = models.BooleanField("recalcul complet", default=True)
    first_month = models.DateField("premier mois du cube", null=True, blank=True)
    until = models.DateField("cumuls « depuis » jusqu'au mois", null=True, blank=True)

    class Meta:
        verbose_name = "calcul des statistiques"
        verbose_name_plural = "calculs des statistiques"
        ordering = ["-finished_at", "-id"]

    def __str__(self):
        return f"Calcul du {self.finished_at:%d/%m/%Y %H:%M}"
