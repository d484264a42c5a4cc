"""Writes on API keys: created hashed (the secret is returned once), revoked, journaled."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.api import rules, selectors
from ceres.api.enums import PorteeCle
from ceres.api.models import CleApi
from ceres.core.journal import journal_record

TOKEN_PREFIX = "ceres_"


def secret_hash(token: str) -> str:
    # The secret has 256 bits of entropy: a plain SHA-256 is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def cle_create(*, name: str, scope: str, by, centre=None) -> tuple[CleApi, str]:
    """Creates a key; returns it with its secret token, which is not stored and cannot be shown again."""
    errors = rules.creation_errors(
        name=name,
        scope=scope,
        for_centre=centre is not None,
        is_centre_admin=centre is not None and centre.pk in selectors.administered_centre_ids(by),
        is_state_agent=selectors.is_state_agent(by),
    )
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    cle = CleApi(
        name=name.strip(),
        prefix=prefix,
        secret_hash=secret_hash(token),
        scope=scope if scope in PorteeCle.values else PorteeCle.LECTURE,
        centre=centre,
        created_by=by,
    )
    cle.full_clean()
    cle.save()
    journal_record(
        action="create",
        obj=cle,
        by=by,
        operation="cle_api_create",
        changes={"nom": cle.name, "portée": cle.get_scope_display(), "centre": str(centre or "")},
    )
    return cle, token


@transaction.atomic
def cle_revoke(*, cle: CleApi, by, reason: str = "") -> CleApi:
    cle = CleApi.objects.select_for_update().get(pk=cle.pk)
    if cle.revoked_at:
        raise ValidationError(rules.ALREADY_REVOKED)
    cle.revoked_at = timezone.now()
    cle.revoked_by = by
    cle.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    journal_record(action="update", obj=cle, by=by, operation="cle_api_revoke", reason=reason)
    return cle


def cle_authenticate(token: str) -> CleApi | None:
    """The active key of this token, if its holder still has the rights it was created with."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    cle = CleApi.objects.active().select_related("created_by", "centre").filter(secret_hash=secret_hash(token)).first()
    if cle is None or not cle.created_by.is_active:
        return None
    user = cle.created_by
    if cle.centre_id is not None:
        # Removed from the centre (or no longer its administrator): the key stops working.
        if cle.centre_id not in selectors.administered_centre_ids(user):
            return None
    elif not selectors.is_state_agent(user):
        return None
    now = timezone.now()
    if cle.last_used_at is None or (now - cle.last_used_at).total_seconds() > 60:
        CleApi.objects.filter(pk=cle.pk).update(last_used_at=now)
    return cle
