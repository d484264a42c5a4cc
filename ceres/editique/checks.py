import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def signing_key_configured(app_configs, **kwargs):
    """Production must sign parchemins with its own key, never with the key derived from SECRET_KEY."""
    is_prod = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".prod")
    if settings.DEBUG or not is_prod or settings.CERES_SIGNING_KEYS:
        return []
    return [
        checks.Error(
            "Aucune clé de signature des parchemins n'est configurée (CERES_SIGNING_KEYS).",
            hint="Générez une clé Ed25519 (python -c 'from ceres.editique.signature import generate_private_key;"
            " print(generate_private_key())') et renseignez CERES_SIGNING_KEYS=<id>=<clé> et CERES_SIGNING_KEY_ID.",
            id="documents.E001",
        )
    ]
