"""API keys (stored hashed, shown once) and the idempotency records of POST requests."""

from django.conf import settings
from django.db import models

from ceres.api.enums import PorteeCle
from ceres.core.models import BaseModel, PublicIdModel


class CleApiQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class CleApi(PublicIdModel):
    """A key used by a software to call the API on behalf of the user who created it.

    The key acts with its creator's rights, narrowed to one organisation (a centre for centre administrators; the
    UD or the region for State agents) and to a scope (read, or read and write). Only a SHA-256 of the secret is
    stored: the secret is shown once, at creation.
    """

    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("préfixe", max_length=16, unique=True)
    secret_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    scope = models.CharField("portée", max_length=10, choices=PorteeCle.choices, default=PorteeCle.LECTURE)
    centre = models.ForeignKey(
        "centres.Centre",
        verbose_name="centre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cles_api",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="créée par", on_delete=models.PROTECT, related_name="cles_api"
    )
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="révoquée par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CleApiQuerySet.as_manager()

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == PorteeCle.ECRITURE


class RequeteIdempotente(BaseModel):
    """The first answer to a POST carrying an Idempotency-Key, replayed when the same key comes again."""

    cle = models.ForeignKey(CleApi, verbose_name="clé d'API", on_delete=models.CASCADE, related_name="+")
    key = models.CharField("clé d'idempotence", max_length=255)
    fingerprint = models.CharField("empreinte de la requête", max_length=64)
    status_code = models.PositiveSmallIntegerField("statut HTTP")
    body = models.BinaryField("réponse")
    content_type = models.CharField("type de contenu", max_length=100)

    class Meta:
        verbose_name = "requête idempotente"
        verbose_name_plural = "requêtes idempotentes"
        constraints = [models.UniqueConstraint(fields=["cle", "key"], name="requeteidempotente_unique")]

    def __str__(self):
        return self.key
