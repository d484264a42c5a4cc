"""Idempotent writes for reference and demo data: re-running a seed must leave every row untouched."""

from django.db import models


def update_or_create_if_changed(model: type[models.Model], defaults: dict, **lookup) -> tuple[models.Model, bool]:
    """Like `update_or_create`, but saves an existing row only when one of `defaults` differs.

    `update_or_create` always saves, which moves `updated_at` and makes a second `make seed` rewrite every row.
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj, False
