from django.conf import settings
from django.db import models

from ceres.core.models import BaseModel
from ceres.notifications.enums import Canal, EtatEnvoi, Sorte


class Notification(BaseModel):
    """One message to one person, listed in CERES and, by choice or obligation, sent by e-mail.

    `key` names the event (e.g. « session_validee:42 »): one notification per person and event, so a job run twice,
    a retried task or a double click never notifies twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="destinataire", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("sorte", max_length=30, choices=Sorte.choices)
    key = models.CharField("événement", max_length=120)
    title = models.CharField("objet", max_length=200)
    body = models.TextField("message")
    link = models.CharField("lien", max_length=300, blank=True)
    read_at = models.DateTimeField("lue le", null=True, blank=True)
    email_status = models.CharField("envoi", max_length=12, choices=EtatEnvoi.choices, default=EtatEnvoi.SANS_EMAIL)
    email_attempts = models.PositiveSmallIntegerField("tentatives d'envoi", default=0)
    email_sent_at = models.DateTimeField("e-mail envoyé le", null=True, blank=True)
    email_error = models.CharField("erreur d'envoi", max_length=300, blank=True)

    class Meta:
        verbose_name = "notification"
        verbose_name_plural = "notifications"
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_une_par_evenement")]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_non_lues")]

    def __str__(self):
        return self.title


class Preference(BaseModel):
    """How a person wants the non-mandatory notifications of one kind (default: e-mail and CERES)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("sorte", max_length=30, choices=Sorte.choices)
    channel = models.CharField("canal", max_length=12, choices=Canal.choices, default=Canal.EMAIL)

    class Meta:
        verbose_name = "préférence de notification"
        verbose_name_plural = "préférences de notification"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_une_par_sorte")]
