from django.db import models

from ceres.core.models import BaseModel


class Compteur(BaseModel):
    """Numbering counter of parchemins for one (year, département): the row is locked while a number is taken."""

    year = models.PositiveSmallIntegerField("année")
    departement_code = models.CharField("département", max_length=3)
    last_value = models.PositiveIntegerField("dernière valeur attribuée", default=0)

    class Meta:
        verbose_name = "compteur de numérotation"
        verbose_name_plural = "compteurs de numérotation"
        # Moved from the documents app with its table: the rows (numbers already handed out) are kept.
        db_table = "documents_compteur"
        constraints = [
            models.UniqueConstraint(fields=["year", "departement_code"], name="documents_compteur_unique_scope"),
        ]

    def __str__(self):
        return f"{self.year} / {self.departement_code} : {self.last_value}"
