"""Writes of the référentiels made from CERES pages (the COG / RNCP loaders write through their own commands)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry
from ceres.referentiels import parametres, rules
from ceres.referentiels.models import Parametre


@transaction.atomic
def parametre_update(*, code: str, value: int, reason: str = "", by) -> Parametre:
    """Sets a national parameter. Until first edited a parameter has no row (parametres.get gives the default):
    the row is created then, with the label and unit of the default."""
    defaut = parametres.DEFAUTS.get(code)
    if defaut is None:
        raise ValidationError(f"Le paramètre « {code} » n'existe pas.")
    problems = rules.parametre_problems(value, defaut.unit)
    if problems:
        raise ValidationError({"value": problems})
    # get_or_create: two administrators saving a never-edited parameter at once do not collide on the code.
    row, created = Parametre.objects.select_for_update().get_or_create(
        code=code, defaults={"label": defaut.label, "unit": defaut.unit, "value": defaut.value}
    )
    before = {} if created else snapshot(row)
    row.value = value
    row.full_clean()
    row.save()
    changes = diff(before, snapshot(row))
    if changes:
        journal_record(
            action=JournalEntry.Action.UPDATE if before else JournalEntry.Action.CREATE,
            obj=row,
            by=by,
            changes=changes,
            operation="modification du paramètre",
            reason=reason,
        )
    return row
