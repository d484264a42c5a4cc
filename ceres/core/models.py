import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class BaseModel(models.Model):
    """Timestamps for every business table; public_id for anything that appears in a URL."""

    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(BaseModel):
    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class JournalQuerySet(models.QuerySet):
    """Bulk update/delete bypass Model.save/delete: refuse them too so the journal stays append-only."""

    def update(self, **kwargs):
        raise PermissionDenied("Le journal est en ajout seul : ses entrées ne se modifient pas.")

    def delete(self):
        raise PermissionDenied("Le journal est en ajout seul : ses entrées ne se suppriment pas.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionDenied("Le journal est en ajout seul : ses entrées ne se modifient pas.")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        raise PermissionDenied("Le journal est en ajout seul : ses entrées ne se modifient pas.")

    delete.queryset_only = True


class JournalEntry(models.Model):
    """Append-only audit journal written by services (who, when, which object, which fields before/after)."""

    class Action(models.TextChoices):
        CREATE = "create", "Création"
        UPDATE = "update", "Modification"
        DELETE = "delete", "Suppression"
        VIEW = "view", "Consultation de données personnelles"
        OTHER = "other", "Opération"

    created_at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("auteur (libellé)", max_length=254, blank=True)
    action = models.CharField("action", max_length=16, choices=Action.choices)
    operation = models.CharField("opération", max_length=100, blank=True)
    object_type = models.CharField("type d'objet", max_length=100, db_index=True)
    object_id = models.CharField("identifiant de l'objet", max_length=64, db_index=True)
    object_repr = models.CharField("objet", max_length=255, blank=True)
    changes = models.JSONField("changements", default=dict, blank=True)
    reason = models.TextField("motif", blank=True)

    objects = JournalQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"])]

    def __str__(self):
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("Le journal est en ajout seul : une entrée ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Le journal est en ajout seul : une entrée ne se supprime pas.")
