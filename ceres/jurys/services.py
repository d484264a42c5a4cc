"""Writes on juror files and habilitations: atomic, validated, journaled."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceres.core.dates import fr_date
from ceres.core.journal import diff, journal_record, snapshot
from ceres.jurys import notifications, rules
from ceres.jurys.enums import StatutHabilitation
from ceres.jurys.models import Habilitation, HomonymieJure, MembreJury
from ceres.jurys.selectors import titre_lineage_ids
from ceres.personnes import identite
from ceres.personnes import rules as personnes_rules
from ceres.personnes.geographie import Geographie

MEMBRE_FIELDS = (
    "civility",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birth_commune",
    "birth_country",
    "birth_town_abroad",
    "address",
    "postal_code",
    "commune",
    "email",
    "phone",
    "profession",
    "employer_name",
    "employer_siret",
    "status",
    "years_experience",
)


@dataclass(frozen=True)
class Duplicate:
    membre: MembreJury
    match: identite.Match


class DuplicateMembre(ValidationError):
    """The person seems to have a file already: the view proposes it instead of creating a second one."""

    def __init__(self, duplicates: list[Duplicate], *, on_update: bool = False):
        self.duplicates = duplicates
        certain = any(d.match.level == identite.CERTAIN for d in duplicates)
        message = (
            "Cette identité est déjà celle d'un autre membre de jury : vérifiez la saisie ; s'il s'agit de la même "
            "personne, une seule fiche doit être gardée."
            if on_update
            else "Ce membre de jury existe déjà : ouvrez sa fiche plutôt que d'en créer une seconde."
            if certain
            else "Un membre de jury proche existe déjà : vérifiez sa fiche, ou confirmez qu'il s'agit d'une autre "
            "personne."
        )
        super().__init__(message)

    @property
    def certain(self) -> bool:
        return any(d.match.level == identite.CERTAIN for d in self.duplicates)


def membre_duplicates(membre: MembreJury) -> list[Duplicate]:
    """Existing files that may be the same person: same birth date, day/month swapped or one day apart, then the
    comparison shared with the candidates (identite.compare with the birth-place geography)."""
    if membre.birth_date is None:
        return []
    one_day = datetime.timedelta(days=1)
    dates = {membre.birth_date, membre.birth_date - one_day, membre.birth_date + one_day}
    swapped = identite.swapped_date(membre.birth_date)
    if swapped:
        dates.add(swapped)
    others = MembreJury.objects.filter(birth_date__in=dates).select_related("birth_commune", "birth_country", "ud")
    if membre.pk:
        others = others.exclude(pk=membre.pk)
    facts = membre.identity_facts()
    places = Geographie()
    found = []
    for other in others:
        match = identite.compare(facts, other.identity_facts(), places)
        if match:
            found.append(Duplicate(other, match))
    found.sort(key=lambda d: d.match.level != identite.CERTAIN)
    return found


def _identity_errors(membre: MembreJury) -> list[str]:
    """Printable names and a birth place known at the birth date: the refusals shared with the candidates."""
    for name in ("birth_name", "usage_name", "first_names"):
        setattr(membre, name, personnes_rules.clean_name(getattr(membre, name)))
    names = personnes_rules.identity_errors(
        birth_name=membre.birth_name, usage_name=membre.usage_name, first_names=membre.first_names
    )
    errors = [message for messages in names.values() for message in messages]
    # Juror files taken over from the former system have no town abroad: not required for them.
    return errors + personnes_rules.birth_place_errors(
        birth_date=membre.birth_date,
        commune=membre.birth_commune if membre.birth_commune_id else None,
        country=membre.birth_country if membre.birth_country_id else None,
        town_abroad=membre.birth_town_abroad,
        town_required=False,
    )


def _validate_membre(membre: MembreJury) -> None:
    membre.fill_keys()
    errors = _identity_errors(membre)
    try:
        membre.full_clean()
    except ValidationError as exc:
        errors += [message for message in exc.messages if message not in errors]
    if errors:
        raise ValidationError(errors)


def _identity_lock() -> None:
    """Serialise the duplicate check and the write of juror identities until the end of the transaction, so two
    agents creating the same person at the same moment cannot both pass the check (as candidats does with its
    counter row). The locked row is the juror model's content type: it always exists and nothing else writes it."""
    meta = MembreJury._meta
    ContentType.objects.select_for_update().get_or_create(app_label=meta.app_label, model=meta.model_name)


@transaction.atomic
def membre_create(
    *, ud, by, confirm_other_person: bool = False, former_id: str = "", operation: str = "", **fields
) -> MembreJury:
    """Create a juror file. Raises DuplicateMembre when the person already has one (certain match: always;
    probable match: unless the agent confirms it is another person)."""
    unknown = set(fields) - set(MEMBRE_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    membre = MembreJury(ud=ud, former_id=former_id, **fields)
    _validate_membre(membre)
    _identity_lock()
    duplicates = membre_duplicates(membre)
    if duplicates and (confirm_other_person is False or any(d.match.level == identite.CERTAIN for d in duplicates)):
        raise DuplicateMembre(duplicates)
    membre.save()
    reason = ""
    if duplicates:
        reason = "Homonyme probable confirmé comme autre personne : " + ", ".join(str(d.membre) for d in duplicates)
        # Kept for the UD's review (homonymes page), with who confirmed it.
        HomonymieJure.objects.bulk_create(
            [
                HomonymieJure(membre=membre, autre=d.membre, reasons=list(d.match.reasons), confirmed_by=_user(by))
                for d in duplicates
            ]
        )
    journal_record(action="create", obj=membre, by=by, changes=snapshot(membre), reason=reason, operation=operation)
    return membre


def _user(by):
    return by if getattr(by, "pk", None) else None


@transaction.atomic
def homonymie_verify(*, homonymie: HomonymieJure, by) -> None:
    """The UD checked the pair: two different people (a real duplicate is corrected on the file itself)."""
    homonymie = HomonymieJure.objects.select_for_update().get(pk=homonymie.pk)
    if homonymie.reviewed_at is not None:
        raise ValidationError("Cette homonymie a déjà été vérifiée.")
    homonymie.reviewed_by, homonymie.reviewed_at = _user(by), timezone.now()
    homonymie.save(update_fields=["reviewed_by", "reviewed_at", "updated_at"])
    journal_record(
        action="update",
        obj=homonymie.membre,
        by=by,
        operation="homonymie_verifiee",
        changes={"autre_fiche": str(homonymie.autre.public_id)},
    )


@transaction.atomic
def membre_update(*, membre: MembreJury, by, operation: str = "", **fields) -> MembreJury:
    membre = MembreJury.objects.select_for_update().get(pk=membre.pk)
    unknown = set(fields) - set(MEMBRE_FIELDS)
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    before = snapshot(membre)
    identity_before = membre.identity_facts()
    for name, value in fields.items():
        setattr(membre, name, value)
    _validate_membre(membre)
    if membre.identity_facts() != identity_before:
        # A corrected identity must not turn the file into a copy of another juror's file.
        _identity_lock()
        certain = [d for d in membre_duplicates(membre) if d.match.level == identite.CERTAIN]
        if certain:
            raise DuplicateMembre(certain, on_update=True)
    membre.save()
    changes = diff(before, snapshot(membre))
    if changes:
        journal_record(action="update", obj=membre, by=by, changes=changes, operation=operation)
    return membre


def membre_view_record(*, membre: MembreJury, by) -> None:
    """Reading a juror's personal file is journaled (who read whose file, when)."""
    journal_record(action="view", obj=membre, by=by, operation="consultation de la fiche")


def _overlapping(membre: MembreJury, titre, start: datetime.date, end: datetime.date | None, exclude_pk=None):
    qs = Habilitation.objects.filter(membre=membre, titre_id__in=titre_lineage_ids(titre)).exclude(
        status=StatutHabilitation.RETIREE
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    result = []
    for other in qs.select_related("titre"):
        other_end = other.titre.end_date if other.until_end_of_life else other.end_date
        if (other_end is None or other_end >= start) and (end is None or other.start_date <= end):
            result.append(other)
    return result


@transaction.atomic
def habilitation_create(
    *,
    membre: MembreJury,
    titre,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    until_end_of_life: bool = False,
    ud,
    decision_date: datetime.date | None = None,
    by,
    former_id: str = "",
    operation: str = "",
) -> Habilitation:
    membre = MembreJury.objects.select_for_update().get(pk=membre.pk)
    if until_end_of_life:
        # The end is the title's end of life; stored for reading, the rule extends it.
        end_date = titre.end_date
    errors = rules.habilitation_dates_errors(
        start_date=start_date,
        end_date=end_date,
        until_end_of_life=until_end_of_life,
        titre_start=titre.start_date,
        titre_end_of_life=titre.end_date,
        decision_date=decision_date,
    )
    if not errors:
        for other in _overlapping(membre, titre, start_date, end_date):
            errors.append(
                f"{membre} est déjà habilité(e) pour ce titre du {fr_date(other.start_date)} "
                f"({other.get_status_display().lower()}) : modifiez cette habilitation plutôt que d'en créer "
                "une autre."
            )
    if errors:
        raise ValidationError(errors)
    habilitation = Habilitation(
        membre=membre,
        titre=titre,
        start_date=start_date,
        end_date=end_date,
        until_end_of_life=until_end_of_life,
        ud=ud,
        decision_date=decision_date,
        former_id=former_id,
    )
    habilitation.full_clean()
    habilitation.save()
    journal_record(action="create", obj=habilitation, by=by, changes=snapshot(habilitation), operation=operation)
    return habilitation


@transaction.atomic
def habilitation_set_status(*, habilitation: Habilitation, status: str, reason: str, by) -> Habilitation:
    """Suspend, reactivate or withdraw (final). A reason is required to suspend or withdraw."""
    habilitation = Habilitation.objects.select_for_update().get(pk=habilitation.pk)
    errors = rules.habilitation_status_errors(habilitation.status, status)
    reason = (reason or "").strip()
    if status != StatutHabilitation.ACTIVE and not reason:
        errors.append("Indiquez le motif : il est communiqué au membre de jury et conservé au journal.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(habilitation, ["status", "status_reason"])
    habilitation.status = status
    habilitation.status_reason = reason
    habilitation.full_clean()
    habilitation.save(update_fields=["status", "status_reason", "updated_at"])
    journal_record(
        action="update",
        obj=habilitation,
        by=by,
        operation=f"habilitation {habilitation.get_status_display().lower()}",
        changes=diff(before, snapshot(habilitation, ["status", "status_reason"])),
        reason=reason,
    )
    notifications.convened_juror_unavailable(habilitation, timezone.localdate())
    return habilitation
