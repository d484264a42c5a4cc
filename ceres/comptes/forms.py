from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms

from ceres.core.forms import DsfrForm


class LoginForm(auth_forms.AuthenticationForm, DsfrForm):
    username = forms.EmailField(
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
        minutes = round(settings.AXES_COOLOFF_TIME * 60)
        self.error_messages = {
            **self.error_messages,
            "invalid_login": (
                f"Adresse e-mail ou mot de passe incorrect. Après {settings.AXES_FAILURE_LIMIT} échecs, "
                f"la connexion est bloquée pendant {minutes} minutes."
            ),
        }


class PasswordChangeForm(auth_forms.PasswordChangeForm, DsfrForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm, DsfrForm):
    email = forms.EmailField(
        label="Adresse e-mail du compte", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class SetPasswordForm(auth_forms.SetPasswordForm, DsfrForm):
    pass
