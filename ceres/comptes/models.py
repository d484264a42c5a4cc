from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from ceres.comptes.enums import Role
from ceres.comptes.rules import canonical_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("L'adresse e-mail est obligatoire.")
        user = self.model(email=canonical_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.ADMIN_NATIONAL)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # Exact match on the canonical form: never email__iexact, whose UPPER() on PostgreSQL equates « ı » and « i ».
        return self.get(email=canonical_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A CERES user, logged in by e-mail. The role says what they do; region/ud say where."""

    email = models.EmailField("adresse e-mail", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=30, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "referentiels.Region",
        verbose_name="région (agents DREETS)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agents",
    )
    ud = models.ForeignKey(
        "referentiels.UniteDepartementale",
        verbose_name="unité départementale (agents UD)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agents",
    )
    is_active = models.BooleanField("actif", default=True)
    is_staff = models.BooleanField("accès à l'administration", default=False)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.AGENT_DREETS) | Q(region__isnull=False), name="agent_dreets_has_region"
            ),
            models.CheckConstraint(condition=~Q(role=Role.AGENT_UD) | Q(ud__isnull=False), name="agent_ud_has_ud"),
            # Logins look accounts up case-insensitively: two accounts differing only by case would break them.
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="Un compte existe déjà avec cette adresse e-mail.",
            ),
        ]

    def clean(self):
        super().clean()
        self.email = canonical_email(self.email)

    def save(self, *args, **kwargs):
        # One spelling per address, whatever path created the account (admin, factories, imports, ProConnect).
        self.email = canonical_email(self.email)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email

    @property
    def is_admin_national(self):
        return self.role == Role.ADMIN_NATIONAL

    @property
    def is_agent_dreets(self):
        return self.role == Role.AGENT_DREETS

    @property
    def is_agent_ud(self):
        return self.role == Role.AGENT_UD

    @property
    def is_gestionnaire_centre(self):
        return self.role == Role.GESTIONNAIRE_CENTRE

    @property
    def is_membre_jury(self):
        return self.role == Role.MEMBRE_JURY
