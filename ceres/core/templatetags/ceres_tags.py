from django import template
from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignObjectRel

from ceres.core.journal import history_visible_to, journal_for

register = template.Library()

HISTORY_LIMIT = 100


# Technical columns a user never edits: listing them in the history only hides what changed.
HIDDEN_FIELDS = {"id", "public_id", "created_at", "updated_at"}


def _field(model, name: str):
    """The model field a journal key names; None for a free key (a count, a reverse relation's name…)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return None if isinstance(field, ForeignObjectRel) else field


def _shown(field) -> bool:
    """Fields a user can recognise: not the technical ones (ids, normalised search keys, timestamps)."""
    return field is None or (field.name not in HIDDEN_FIELDS and not field.name.endswith("_key"))


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if value is True:
        return "oui"
    if value is False:
        return "non"
    if isinstance(value, list):
        return ", ".join(_display(v) for v in value) or "—"
    return str(value)


class _Labels:
    """Human values of journaled raw values: choice labels, related objects' names (one query per related row)."""

    def __init__(self):
        self.cache = {}

    def __call__(self, field, value) -> str:
        if field is None or value is None or value == "" or isinstance(value, list | dict):
            return _display(value)
        if field.choices:
            return _display(dict(field.flatchoices).get(value, value))
        if field.many_to_one or field.one_to_one:
            key = (field.related_model, value)
            if key not in self.cache:
                related = field.related_model._base_manager.filter(pk=value).first()
                self.cache[key] = str(related) if related is not None else str(value)
            return self.cache[key]
        return _display(value)


def history_rows(entries, model) -> list[dict]:
    """Journal entries as display rows; `changes` is either a diff ({field: {avant, après}}) or a plain snapshot."""
    label_of = _Labels()
    rows = []
    for entry in entries:
        fields = []
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, change in changes.items():
            field = _field(model, name)
            if not _shown(field):
                continue
            if isinstance(change, dict) and ("avant" in change or "après" in change):
                before, after = change.get("avant"), change.get("après")
            else:
                before, after = None, change
            if entry.action == "create" and after in (None, ""):
                continue  # an empty field at creation is not a change worth a line
            fields.append(
                {
                    "label": str(field.verbose_name) if field is not None else name.replace("_", " "),
                    "before": label_of(field, before),
                    "after": label_of(field, after),
                }
            )
        rows.append(
            {
                "is_view": entry.action == "view",
                "date": entry.created_at,
                "author": (entry.actor.get_full_name() or entry.actor.email) if entry.actor else entry.actor_label,
                "action": entry.get_action_display(),
                "operation": entry.operation,
                "reason": entry.reason,
                "fields": fields,
            }
        )
    return rows


@register.inclusion_tag("core/_historique.html", takes_context=True)
def historique(context, obj):
    """« Historique » panel of obj: who changed what and when. Only UD agents and national administrators see it."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or not history_visible_to(user):
        return {"visible": False}
    entries = journal_for(obj)
    total = entries.count()
    rows = history_rows(entries[:HISTORY_LIMIT], type(obj))
    return {
        "visible": True,
        # Reads of personal data are listed apart, so they do not hide who changed what.
        "rows": [row for row in rows if not row["is_view"]],
        "views": [row for row in rows if row["is_view"]],
        "total": total,
        "truncated": total > HISTORY_LIMIT,
        "panel_id": f"historique-{type(obj)._meta.model_name}-{obj.pk}",
    }
