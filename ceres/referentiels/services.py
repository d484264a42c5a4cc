"""Writes of the référentiels made from CERES pages (the COG / RNCP loaders write through their own commands)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ceres.core.journal import diff, journal_record, snapshot
from ceres.core.models import JournalEntry
from ceres.referentiels import parametres, rules
from ceres.referentiels.models import Parametre, UniteDepartementale


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


def can_edit_signatory(user, ud: UniteDepartementale) -> bool:
    """The UD's own agents, or the national administrator (attributes of comptes.User, read without importing it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_admin_national or (user.is_agent_ud and user.ud_id == ud.pk))


@transaction.atomic
def ud_signatory_update(*, ud: UniteDepartementale, by, quality: str, name: str) -> UniteDepartementale:
    """Title and name of who signs the UD's parchemins and PV: printed on the next documents (issued ones keep
    theirs)."""
    if not can_edit_signatory(by, ud):
        raise PermissionDenied("Le signataire se règle par les agents de l'unité départementale ou l'administration.")
    ud = UniteDepartementale.objects.select_for_update().get(pk=ud.pk)
    before = snapshot(ud, ["signatory_quality", "signatory_name"])
    ud.signatory_quality = (quality or "").strip()
    ud.signatory_name = (name or "").strip()
    if not ud.signatory_quality:
        raise ValidationError({"signatory_quality": "Indiquez la qualité du signataire (elle est imprimée)."})
    ud.full_clean()
    ud.save(update_fields=["signatory_quality", "signatory_name", "updated_at"])
    changes = diff(before, snapshot(ud, ["signatory_quality", "signatory_name"]))
    if changes:
        journal_record(action=JournalEntry.Action.UPDATE, obj=ud, by=by, changes=changes, operation="signataire")
    return ud
