"""Audit journal helpers, called by services after every write on business data."""

import datetime
import decimal
import uuid
from typing import cast

from django.db import models

from ceres.core.hooks import Hook
from ceres.core.models import JournalEntry
from ceres.core.rows import insert

# Who may read the « Historique » panel is a rule of the roles (comptes, above core): plugged in by ComptesConfig.
history_visible_to = Hook("core.history_visible_to")


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Values of concrete fields, JSON-ready, to diff before/after an update."""
    names = fields or [f.name for f in obj._meta.concrete_fields if f.name not in ("created_at", "updated_at")]
    data = {}
    for name in names:
        field = cast(models.Field, obj._meta.get_field(name))  # concrete fields only
        value = getattr(obj, field.attname if field.is_relation else name)
        data[name] = _plain(value)
    return data


def diff(before: dict, after: dict) -> dict:
    return {k: {"avant": before.get(k), "après": after.get(k)} for k in after if before.get(k) != after.get(k)}


def object_key(obj: models.Model) -> tuple[str, str]:
    return obj._meta.label_lower, str(getattr(obj, "public_id", None) or obj.pk)


def journal_record(
    *, action: str, obj: models.Model, by=None, changes: dict | None = None, operation: str = "", reason: str = ""
) -> JournalEntry:
    object_type, object_id = object_key(obj)
    entry = JournalEntry(
        actor=by if getattr(by, "pk", None) else None,
        actor_label=(getattr(by, "email", "") or "système") if by is not None else "système",
        action=action,
        operation=operation,
        object_type=object_type,
        object_id=object_id,
        object_repr=str(obj)[:255],
        changes=changes or {},
        reason=reason,
    )
    return insert(entry)  # append-only: a new row, written as save() would (bulk printing writes one per document)


def journal_for(obj: models.Model):
    object_type, object_id = object_key(obj)
    return JournalEntry.objects.filter(object_type=object_type, object_id=object_id).select_related("actor")
