"""The identity of a person, one declaration for candidates and jurors (abstract models, no table of their own).

- ``Identite``: civility, names, first names, birth date and birth place (a commune name period valid on the birth
  date, or a country period + the town abroad), and the keys derived from them for search and duplicate checks;
- ``Adresse``: postal address and contact.
``candidats.Candidat`` and ``jurys.MembreJury`` inherit both. The rules (printable names, birth place as named on
the birth date, matching) live in this app: ``rules``, ``lieux``, ``identite``, ``geographie``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ceres.core.text import fold
from ceres.personnes import rules
from ceres.personnes.identite import IdentityFacts, normalize_first_names, normalize_name
from ceres.personnes.lieux import LieuNaissance, lieu_naissance


class Civilite(models.TextChoices):
    MADAME = "MME", "Madame"
    MONSIEUR = "M", "Monsieur"

    @classmethod
    def read(cls, text: str | None) -> Civilite | None:
        """Civility as written in imported files ("M.", "Mr", "H", "Mme", "Mlle", "F"…), None if unknown."""
        return CIVILITES_ECRITES.get(fold(text or "").replace(" ", ""))


CIVILITES_ECRITES = {
    **dict.fromkeys(("m", "mr", "monsieur", "h"), Civilite.MONSIEUR),
    **dict.fromkeys(("mme", "madame", "mlle", "mademoiselle", "f"), Civilite.MADAME),
}


class Identite(models.Model):
    civility = models.CharField("civilité", max_length=3, choices=Civilite.choices)
    birth_name = models.CharField("nom de naissance", max_length=rules.MAX_NAME_LENGTH)
    usage_name = models.CharField("nom d'usage", max_length=rules.MAX_NAME_LENGTH, blank=True)
    first_names = models.CharField(
        "prénoms",
        max_length=rules.MAX_FIRST_NAMES_LENGTH,
        help_text="Tous les prénoms, dans l'ordre de l'état civil, séparés par une virgule "
        "(un prénom composé garde son trait d'union : « Jean-Pierre, Louis »).",
    )
    birth_date = models.DateField("date de naissance")
    birth_commune = models.ForeignKey(
        "referentiels.Commune",
        verbose_name="commune de naissance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Le nom de la commune en vigueur à la date de naissance.",
    )
    birth_country = models.ForeignKey(
        "referentiels.Pays",
        verbose_name="pays de naissance",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    birth_town_abroad = models.CharField("ville de naissance à l'étranger", max_length=100, blank=True)
    birth_place_code = models.CharField("code du lieu de naissance", max_length=5, blank=True, editable=False)
    # Normalised names stored for search (same normalisation as the duplicate check).
    name_key = models.CharField(
        "clé du nom", max_length=rules.MAX_NAME_LENGTH, blank=True, db_index=True, editable=False
    )
    usage_name_key = models.CharField(
        "clé du nom d'usage", max_length=rules.MAX_NAME_LENGTH, blank=True, db_index=True, editable=False
    )
    # db_default: bulk loaders that write rows directly (bench) need not know this column.
    first_names_key = models.CharField(
        "clé des prénoms",
        max_length=rules.MAX_FIRST_NAMES_LENGTH,
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_commune__isnull=True) | Q(birth_country__isnull=True),
                name="%(class)s_one_birth_place",
                violation_error_message=rules.BOTH_BIRTH_PLACES,
            ),
        ]

    def compute_identity_keys(self) -> None:
        """Derived keys, recomputed before every save of the identity (services, loaders)."""
        self.name_key = normalize_name(self.birth_name)[: rules.MAX_NAME_LENGTH]
        self.usage_name_key = normalize_name(self.usage_name)[: rules.MAX_NAME_LENGTH]
        self.first_names_key = "".join(normalize_first_names(self.first_names))[: rules.MAX_FIRST_NAMES_LENGTH]
        if self.birth_commune_id:
            self.birth_place_code = self.birth_commune.code_insee
        elif self.birth_country_id:
            self.birth_place_code = self.birth_country.code
        else:
            self.birth_place_code = ""

    def identity_facts(self) -> IdentityFacts:
        return IdentityFacts(
            birth_name=self.birth_name or "",
            first_names=self.first_names or "",
            birth_date=self.birth_date,
            usage_name=self.usage_name or "",
            birth_place_code=self.birth_place_code or "",
        )

    @property
    def first_first_name(self) -> str:
        return rules.first_first_name(self.first_names)

    @property
    def first_names_display(self) -> str:
        return rules.first_names_display(self.first_names)

    @property
    def born(self) -> str:
        return "née" if self.civility == Civilite.MADAME else "né"

    @property
    def birth_place(self) -> LieuNaissance | None:
        return lieu_naissance(self)

    @property
    def birth_place_label(self) -> str:
        """« Boulogne-Billancourt (Seine) »: the birth place as named on the birth date (personnes.lieux)."""
        lieu = self.birth_place
        return lieu.texte if lieu else ""


class Adresse(models.Model):
    address = models.CharField("adresse", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "referentiels.Commune",
        verbose_name="commune de résidence",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    email = models.EmailField("adresse e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)

    class Meta:
        abstract = True
