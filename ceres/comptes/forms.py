from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms

from ceres.comptes.rules import canonical_email
from ceres.core.forms import DsfrForm


class CanonicalEmailField(forms.EmailField):
    """E-mail input reduced to its canonical form (comptes.rules.canonical_email) before validation."""

    def to_python(self, value):
        return canonical_email(super().to_python(value))


class LoginForm(auth_forms.AuthenticationForm, DsfrForm):
    username = CanonicalEmailField(
        label="Adresse e-mail",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
        error_messages={
            "required": "Saisissez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide.",
        },
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Saisissez votre mot de passe."},
    )
    error_messages = {
        "invalid_login": "Adresse e-mail ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé. Contactez votre administrateur.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is set per environment (CERES_LOGIN_FAILURE_LIMIT): say the one really applied.
        self.error_messages = {
            **self.error_messages,
            "invalid_login": (
                f"Adresse e-mail ou mot de passe incorrect. Après {settings.CERES_LOGIN_FAILURE_LIMIT} échecs, "
                f"la connexion est bloquée pendant {settings.CERES_LOGIN_LOCKOUT_MINUTES} minutes."
            ),
        }


class PasswordChangeForm(auth_forms.PasswordChangeForm, DsfrForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm, DsfrForm):
    email = CanonicalEmailField(
        label="Adresse e-mail du compte", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def get_users(self, email):
        # Exact match on the canonical address (Django's default looks up email__iexact).
        from ceres.comptes.models import User

        return (
            u for u in User.objects.filter(email=canonical_email(email), is_active=True) if u.has_usable_password()
        )


class SetPasswordForm(auth_forms.SetPasswordForm, DsfrForm):
    pass
