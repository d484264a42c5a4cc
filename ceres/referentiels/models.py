"""Reference data: territory (COG since 1943), countries, NSF, titres professionnels (versioned), parameters."""

import datetime

from django.db import models
from django.db.models import Q

from ceres.core.models import BaseModel, PublicIdModel


class PeriodQuerySet(models.QuerySet):
    """Rows valid on a date: half-open [start_date, end_date), end_date null = still valid."""

    def valid_on(self, day):
        return self.filter(Q(start_date__lte=day) | Q(start_date__isnull=True)).filter(
            Q(end_date__gt=day) | Q(end_date__isnull=True)
        )

    def current(self):
        return self.filter(end_date__isnull=True)


# First state described by the INSEE COG: every name already in use then starts on this day in the data.
COG_START = datetime.date(1943, 1, 1)


class CogQuerySet(PeriodQuerySet):
    """Communes and countries: the COG says nothing before 1943, so an earlier day (a juror born in 1938) is
    looked up in the 1943 state, the closest description there is, instead of matching nothing."""

    def valid_on(self, day):
        return super().valid_on(max(day, COG_START) if day else day)


class Region(BaseModel):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    chef_lieu_code = models.CharField("chef-lieu (code commune)", max_length=5, blank=True)

    class Meta:
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.name


class Departement(BaseModel):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(Region, verbose_name="région", on_delete=models.PROTECT, related_name="departements")
    chef_lieu_code = models.CharField("chef-lieu (code commune)", max_length=5, blank=True)
    neighbours = models.ManyToManyField("self", verbose_name="départements limitrophes", blank=True)

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Commune(BaseModel):
    """One name period of a commune (INSEE COG history since 1943). A code never disappears from this table."""

    class Kind(models.TextChoices):
        COMMUNE = "COM", "Commune"
        ARRONDISSEMENT = "ARM", "Arrondissement municipal"
        DELEGUEE = "COMD", "Commune déléguée"
        ASSOCIEE = "COMA", "Commune associée"

    class Event(models.TextChoices):
        """What ended a name period, from the INSEE movement codes (MOD) of v_mvt_commune."""

        RENOMMEE = "nom", "Changement de nom"
        FUSION = "fusion", "Fusion"
        DELEGUEE = "deleguee", "Devenue commune déléguée"
        ASSOCIEE = "associee", "Devenue commune associée"
        CODE_DEPARTEMENT = "departement", "Changement de code (changement de département)"
        CODE_CHEF_LIEU = "chef_lieu", "Changement de code (transfert de chef-lieu)"
        SCISSION = "scission", "Scission"
        SUPPRESSION = "suppression", "Suppression"

    code_insee = models.CharField("code INSEE", max_length=5, db_index=True)
    kind = models.CharField("type", max_length=4, choices=Kind.choices, default=Kind.COMMUNE)
    name = models.CharField("nom", max_length=200)
    name_key = models.CharField("clé de recherche", max_length=200, db_index=True)
    departement_code = models.CharField("code département", max_length=3, db_index=True)
    start_date = models.DateField("valide depuis", null=True, blank=True)
    end_date = models.DateField("valide jusqu'au (exclu)", null=True, blank=True, db_index=True)
    parent_code = models.CharField("commune de rattachement", max_length=5, blank=True)
    successor_code = models.CharField("code de la commune actuelle", max_length=5, blank=True)
    successor_name = models.CharField("nom de la commune actuelle", max_length=200, blank=True)
    # Direct event that ended this name period (INSEE movements file); it took effect on end_date.
    event = models.CharField("événement de fin", max_length=12, choices=Event.choices, blank=True)
    event_successor_code = models.CharField("code de la commune issue de l'événement", max_length=5, blank=True)
    event_successor_name = models.CharField("nom de la commune issue de l'événement", max_length=200, blank=True)

    objects = CogQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name_key", "code_insee", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["code_insee", "kind", "start_date"], name="commune_unique_period"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="commune_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code_insee})"


class CommuneMot(models.Model):
    """Search key of a commune name from its second word on ("clemenciat" for L'Abergement-Clémenciat), so a
    prefix of an inner word is an indexed range too. Rebuilt by the COG loader; never edited by hand."""

    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.CASCADE, related_name="mots")
    word_key = models.CharField("clé de recherche (fin du nom)", max_length=200, db_index=True)

    class Meta:
        verbose_name = "mot d'un nom de commune"
        verbose_name_plural = "mots des noms de communes"
        constraints = [models.UniqueConstraint(fields=["commune", "word_key"], name="commune_mot_unique")]

    def __str__(self):
        return self.word_key


class Pays(BaseModel):
    """Foreign country or territory (INSEE 99xxx codes), one row per name period since 1943."""

    code = models.CharField("code INSEE", max_length=5, db_index=True)
    name = models.CharField("nom", max_length=200)
    official_name = models.CharField("nom officiel", max_length=255, blank=True)
    name_key = models.CharField("clé de recherche", max_length=255, db_index=True)
    start_date = models.DateField("valide depuis", null=True, blank=True)
    end_date = models.DateField("valide jusqu'au (exclu)", null=True, blank=True)

    objects = CogQuerySet.as_manager()

    class Meta:
        verbose_name = "pays ou territoire"
        verbose_name_plural = "pays et territoires"
        ordering = ["name_key", "start_date"]
        constraints = [models.UniqueConstraint(fields=["code", "start_date"], name="pays_unique_period")]

    def __str__(self):
        return self.name


class Nsf(BaseModel):
    """NSF code (décret 94-522, code de l'éducation D311-4): group (3 digits) or group + letter (e.g. 324p)."""

    code = models.CharField("code NSF", max_length=5, unique=True)
    label = models.CharField("libellé", max_length=255)
    group = models.CharField("groupe", max_length=3, db_index=True)
    letter = models.CharField("lettre", max_length=1, blank=True)

    class Meta:
        verbose_name = "code NSF"
        verbose_name_plural = "codes NSF"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class TitreProfessionnelQuerySet(PeriodQuerySet):
    def printable(self):
        return self.exclude(intitule="").filter(niveau__isnull=False, nsf_codes__isnull=False).distinct()


class TitreProfessionnel(PublicIdModel):
    """One version of a titre professionnel (a revision with a new RNCP number is a new row)."""

    class Fiabilite(models.TextChoices):
        HAUTE = "H", "Haute (texte officiel)"
        MOYENNE = "M", "Moyenne (source tierce cohérente)"
        BASSE = "L", "Basse (à vérifier)"

    code_titre = models.CharField("code titre", max_length=8, blank=True, db_index=True, help_text="TP-xxxxx")
    millesime = models.CharField("millésime", max_length=4, blank=True)
    sigle = models.CharField("sigle", max_length=20, blank=True)
    intitule = models.CharField("intitulé", max_length=255, blank=True)
    intitule_key = models.CharField("clé de recherche", max_length=255, blank=True, db_index=True)
    niveau = models.PositiveSmallIntegerField("niveau", null=True, blank=True)
    nsf_codes = models.ManyToManyField(Nsf, verbose_name="codes NSF", blank=True, related_name="titres")
    code_rncp = models.CharField("n° RNCP", max_length=12, unique=True, null=True, blank=True)
    start_date = models.DateField("début de validité", null=True, blank=True)
    end_date = models.DateField("fin de vie", null=True, blank=True, db_index=True)
    predecessor = models.ForeignKey(
        "self",
        verbose_name="version précédente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successors",
    )
    partial_success_allowed = models.BooleanField("réussite partielle possible", default=True)
    fiabilite = models.CharField("fiabilité des données", max_length=1, choices=Fiabilite.choices, blank=True)
    notes = models.TextField("notes", blank=True)
    source = models.CharField("source", max_length=100, blank=True)

    objects = TitreProfessionnelQuerySet.as_manager()

    class Meta:
        verbose_name = "titre professionnel"
        verbose_name_plural = "titres professionnels"
        ordering = ["intitule", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(niveau__isnull=True) | Q(niveau__gte=3, niveau__lte=7), name="titre_niveau_3_7"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gt=models.F("start_date")),
                name="titre_period_order",
            ),
        ]

    def __str__(self):
        if not self.intitule:
            return self.display_name
        return f"{self.intitule} ({self.code_rncp or self.code_titre or self.sigle})"

    @property
    def display_name(self) -> str:
        """The name, or the code that tells nameless fiches apart (same words on every screen)."""
        return self.intitule or f"{self.code_rncp or self.code_titre or self.sigle or '?'} (intitulé non renseigné)"


class Ccp(BaseModel):
    """Certificat de compétences professionnelles: one block of a title version."""

    titre = models.ForeignKey(TitreProfessionnel, verbose_name="titre", on_delete=models.PROTECT, related_name="ccps")
    order = models.PositiveSmallIntegerField("ordre")
    code_bloc = models.CharField("code bloc RNCP", max_length=20, blank=True)
    code_cp = models.CharField("code CP", max_length=12, blank=True)
    intitule = models.CharField("intitulé", max_length=500)
    correspond_to = models.ManyToManyField(
        "self",
        verbose_name="correspond à (version précédente)",
        symmetrical=False,
        blank=True,
        related_name="corresponding_from",
    )

    class Meta:
        verbose_name = "CCP"
        verbose_name_plural = "CCP"
        ordering = ["titre", "order"]
        constraints = [models.UniqueConstraint(fields=["titre", "order"], name="ccp_unique_order")]

    def __str__(self):
        return f"CCP{self.order} {self.intitule}"


class Ccs(BaseModel):
    """Certificat complémentaire de spécialisation attached to a title version."""

    titre = models.ForeignKey(TitreProfessionnel, verbose_name="titre", on_delete=models.PROTECT, related_name="ccs")
    code = models.CharField("code", max_length=20, blank=True)
    intitule = models.CharField("intitulé", max_length=500)

    class Meta:
        verbose_name = "CCS"
        verbose_name_plural = "CCS"
        ordering = ["titre", "intitule"]

    def __str__(self):
        return f"CCS {self.intitule}"


class Dreets(PublicIdModel):
    region = models.OneToOneField(Region, verbose_name="région", on_delete=models.PROTECT, related_name="dreets")
    name = models.CharField("nom", max_length=200)

    class Meta:
        verbose_name = "DREETS"
        verbose_name_plural = "DREETS"
        ordering = ["region__code"]

    def __str__(self):
        return self.name


class UniteDepartementale(PublicIdModel):
    """DDETS / unité départementale. Its commune is what a parchemin prints after « Fait à »."""

    departement = models.OneToOneField(
        Departement, verbose_name="département", on_delete=models.PROTECT, related_name="ud"
    )
    name = models.CharField("nom", max_length=200)
    address = models.CharField("adresse postale", max_length=255, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        Commune, verbose_name="commune", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signatory_quality = models.CharField(
        "qualité du signataire",
        max_length=200,
        default="Pour le ministre et par délégation, le directeur départemental",
    )
    # Printed under the signature of parchemins and PV (issue 13); edited by the UD's agents or the national admin.
    signatory_name = models.CharField("nom du signataire", max_length=120, blank=True)

    class Meta:
        verbose_name = "unité départementale (DDETS)"
        verbose_name_plural = "unités départementales (DDETS)"
        ordering = ["departement__code"]

    def __str__(self):
        return self.name


class Parametre(BaseModel):
    """National parameter (durations in months…) editable by the national administrator."""

    code = models.CharField("code", max_length=60, unique=True)
    label = models.CharField("libellé", max_length=255)
    value = models.IntegerField("valeur")
    unit = models.CharField("unité", max_length=20, default="mois")

    class Meta:
        verbose_name = "paramètre national"
        verbose_name_plural = "paramètres nationaux"
        ordering = ["code"]

    def __str__(self):
        return f"{self.label} : {self.value} {self.unit}"
