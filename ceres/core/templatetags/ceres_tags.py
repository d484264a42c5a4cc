from django import template
from django.core.exceptions import FieldDoesNotExist

register = template.Library()

HISTORY_LIMIT = 100


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


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


def history_rows(entries, model) -> list[dict]:
    """Journal entries as display rows; `changes` is either a diff ({field: {avant, après}}) or a plain snapshot."""
    rows = []
    for entry in entries:
        fields = []
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name, change in changes.items():
            if isinstance(change, dict) and ("avant" in change or "après" in change):
                before, after = change.get("avant"), change.get("après")
            else:
                before, after = None, change
            fields.append({"label": _field_label(model, name), "before": _display(before), "after": _display(after)})
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
    from ceres.comptes.perms import can_see_history
    from ceres.comptes.selectors import journal_visible_for

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if obj is None or not can_see_history(user):
        return {"visible": False}
    entries = journal_visible_for(user, obj)
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
