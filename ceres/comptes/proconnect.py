"""ProConnect (OpenID Connect federation of public agents) through mozilla-django-oidc.

Agents of the DGEFP, the DREETS and the DDETS (UD) log in with their ministry account. The account must already exist
in CERES with its role and its scope (region, UD): ProConnect only proves who the person is, it never creates an
account nor grants a role. Matching is by canonical e-mail (comptes.rules.canonical_email), the same rule as every
other login path. Enabled when CERES_PROCONNECT_CLIENT_ID is set (docs/proconnect.md).
"""

import json

from django.conf import settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from ceres.comptes.enums import Role
from ceres.comptes.rules import canonical_email

# Centre managers and jurors are not State agents: they keep e-mail + password.
AGENT_ROLES = (Role.ADMIN_NATIONAL, Role.AGENT_DREETS, Role.AGENT_UD)


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


class ProConnectBackend(OIDCAuthenticationBackend):
    def filter_users_by_claims(self, claims):
        email = canonical_email(claims.get("email"))
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email=email, is_active=True, role__in=AGENT_ROLES)

    def verify_claims(self, claims):
        return bool(canonical_email(claims.get("email")))

    def create_user(self, claims):
        return None  # never: accounts and roles are granted in CERES (OIDC_CREATE_USER is False too)

    def update_user(self, user, claims):
        return user  # the name and the role stay those recorded in CERES

    def get_userinfo(self, access_token, id_token, payload):
        """ProConnect answers the userinfo endpoint with a signed JWT; other providers with JSON."""
        import requests

        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        if response.headers.get("Content-Type", "").startswith("application/jwt"):
            return json.loads(self.verify_token(response.text, nonce=None).decode("utf-8"))
        return response.json()
