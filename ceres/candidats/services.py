"""Writes on candidate files: creation with duplicate check, update, merge, duplicate-pair decisions."""

from __future__ import annotations

import contextvars
import datetime
from dataclasses import dataclass, field
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ceres.candidats import acces, rules
from ceres.candidats.models import (
    Candidat,
    CandidatAcces,
    CandidatCle,
    CandidatIdentiteHistorique,
    CompteurCandidat,
    CorrectionIdentite,
    DoublonPotentiel,
)
from ceres.candidats.selectors import doublons_find
from ceres.core.journal import diff, journal_record, snapshot
from ceres.personnes import rules as personnes_rules
from ceres.personnes.identite import CERTAIN, PROBABLE, blocking_keys
from ceres.referentiels.models import Commune, Pays

IDENTITY_FIELDS = [
    "civility",
    "birth_name",
    "usage_name",
    "first_names",
    "birth_date",
    "birth_commune",
    "birth_country",
    "birth_town_abroad",
]
# Contact fields copied from the absorbed file when the survivor has none (nothing is lost).
FILLABLE_FIELDS = [
    "usage_name",
    "nationality",
    "address",
    "postal_code",
    "commune",
    "email",
    "phone",
    "disability_adjustments",
]
COUNTER_NAME = "candidat"


class DoublonCertain(ValidationError):
    """Same normalised birth name + first first name + birth date (+ compatible place) as existing files."""

    def __init__(self, matches, reason_errors: list[str] | None = None):
        self.matches = matches
        self.existing = [candidat for candidat, _ in matches]
        # A homonymy reason was given but is not one the UD would accept (personnes.rules.homonym_reason_errors).
        self.reason_errors = reason_errors or []
        numbers = ", ".join(c.numero for c in self.existing)
        super().__init__(
            f"Ce candidat existe déjà (dossier n° {numbers}). Utilisez le dossier existant, "
            "ou déclarez une homonymie en indiquant le motif.",
            code="doublon_certain",
        )


class DoublonsProbables(ValidationError):
    """Files that may be the same person: the user chooses one or confirms the creation."""

    def __init__(self, matches):
        self.matches = matches
        self.existing = [candidat for candidat, _ in matches]
        super().__init__(
            "Des dossiers ressemblent à ce candidat : vérifiez s'il s'agit de la même personne avant de créer "
            "un nouveau dossier.",
            code="doublons_probables",
        )


def numeros_allocate(count: int = 1) -> list[str]:
    """Next public numbers, from the counter row locked until the end of the transaction."""
    with transaction.atomic():
        counter, _ = CompteurCandidat.objects.get_or_create(name=COUNTER_NAME)
        counter = CompteurCandidat.objects.select_for_update().get(pk=counter.pk)
        first = counter.last_value + 1
        counter.last_value += count
        counter.save(update_fields=["last_value"])
    return [rules.numero_format(n) for n in range(first, first + count)]


def candidat_keys_refresh(candidat: Candidat) -> None:
    CandidatCle.objects.filter(candidat=candidat).delete()
    CandidatCle.objects.bulk_create(
        [CandidatCle(candidat=candidat, key=k) for k in sorted(blocking_keys(candidat.identity_facts()))]
    )


def _identity(candidat: Candidat) -> dict:
    data = snapshot(candidat, IDENTITY_FIELDS + ["numero"])
    data["birth_place"] = candidat.birth_place_label
    return data


def _check_birth(candidat: Candidat) -> None:
    """Printable names, birth date, birth place known at the birth date: the same refusals for the page, the
    import and the API (they all create files through this module)."""
    for name in ("birth_name", "usage_name", "first_names"):
        setattr(candidat, name, personnes_rules.clean_name(getattr(candidat, name)))
    name_errors = personnes_rules.identity_errors(
        birth_name=candidat.birth_name, usage_name=candidat.usage_name, first_names=candidat.first_names
    )
    errors = [message for messages in name_errors.values() for message in messages]
    errors += rules.birth_date_errors(candidat.birth_date, timezone.localdate())
    errors += personnes_rules.birth_place_errors(
        birth_date=candidat.birth_date,
        commune=candidat.birth_commune,
        country=candidat.birth_country,
        town_abroad=candidat.birth_town_abroad,
    )
    if errors:
        raise ValidationError(errors)


def _validate(candidat: Candidat) -> None:
    _check_birth(candidat)
    candidat.compute_derived()
    candidat.full_clean()


def candidat_insert(candidat: Candidat) -> Candidat:
    """Low-level insert (number, derived fields, keys) with no duplicate check: for factories and benchmarks."""
    if not candidat.numero:
        candidat.numero = numeros_allocate(1)[0]
    candidat.compute_derived()
    candidat.save()
    candidat_keys_refresh(candidat)
    return candidat


@transaction.atomic
def candidat_create(
    *, data: dict, by, centre=None, homonym_reason: str = "", ignore_probables: bool = False, imported: bool = False
) -> Candidat:
    """Create a file after the duplicate check. Raises DoublonCertain (unless a homonym reason is declared)
    or DoublonsProbables (unless the user confirmed they are different people). Either declaration is stored on
    the pair for the UD's review; `imported`: nobody declared anything, the pairs are simply left to review."""
    candidat = Candidat(**data, created_by_centre=centre)
    _check_birth(candidat)
    # Taking the counter lock first serialises creations, so two screens cannot create the same person.
    candidat.numero = numeros_allocate(1)[0]
    candidat.compute_derived()
    matches = doublons_find(candidat.identity_facts())
    certain = [(c, m) for c, m in matches if m.level == CERTAIN]
    probable = [(c, m) for c, m in matches if m.level == PROBABLE]
    homonym_reason = (homonym_reason or "").strip()
    if certain:
        _check_homonym_reason(certain, homonym_reason)
    if probable and not ignore_probables and not certain:
        raise DoublonsProbables(probable)
    if certain:
        candidat.homonym_declared_reason = homonym_reason
    _validate(candidat)
    candidat.save()
    candidat_keys_refresh(candidat)
    CandidatIdentiteHistorique.objects.create(
        candidat=candidat,
        source=candidat,
        origin=CandidatIdentiteHistorique.Origine.CREATION,
        identity=_identity(candidat),
        by=by if getattr(by, "pk", None) else None,
    )
    journal_record(action="create", obj=candidat, by=by, changes=snapshot(candidat))
    if certain:
        journal_record(
            action="other",
            obj=candidat,
            by=by,
            operation="déclaration d'homonymie",
            changes={"dossiers_identiques": [c.numero for c, _ in certain]},
            reason=homonym_reason,
        )
    if probable and ignore_probables:
        journal_record(
            action="other",
            obj=candidat,
            by=by,
            operation="création malgré des dossiers ressemblants",
            changes={"dossiers_ressemblants": [c.numero for c, _ in probable]},
        )
    # Every declaration "another person" goes to the UD's duplicates page, with who made it (R7: the UD decides).
    doublons_store(
        [(candidat, other, match) for other, match in certain],
        status=DoublonPotentiel.Statut.HOMONYMIE,
        declared_by=by,
        declared_reason=homonym_reason,
    )
    if ignore_probables:
        doublons_store(
            [(candidat, other, match) for other, match in probable],
            status=DoublonPotentiel.Statut.A_TRAITER if imported else DoublonPotentiel.Statut.AUTRE_PERSONNE,
            declared_by=None if imported else by,
        )
    return candidat


def _check_homonym_reason(certain, reason: str) -> None:
    """A certain match is created only with a homonymy reason the UD would accept."""
    if not reason:
        raise DoublonCertain(certain)
    errors = personnes_rules.homonym_reason_errors(reason)
    if errors:
        raise DoublonCertain(certain, reason_errors=errors)


@transaction.atomic
def candidat_update(*, candidat: Candidat, data: dict, by, homonym_reason: str = "") -> Candidat:
    candidat = Candidat.objects.select_for_update().get(pk=candidat.pk)
    if candidat.is_merged:
        raise ValidationError("Ce dossier a été fusionné dans un autre : modifiez le dossier conservé.")
    before = snapshot(candidat)
    old_identity = _identity(candidat)
    for name, value in data.items():
        setattr(candidat, name, value)
    _validate(candidat)
    identity_changed = _identity(candidat) != old_identity
    if identity_changed and not _correction_approved.get():
        reasons = identity_lock(candidat=candidat, user=by)
        if reasons:
            raise ValidationError(rules.IDENTITY_LOCKED.format(reasons=", ".join(reasons)))
    if identity_changed:
        certain = [
            (c, m)
            for c, m in doublons_find(candidat.identity_facts(), exclude_ids={candidat.pk})
            if m.level == CERTAIN
        ]
        if certain:
            _check_homonym_reason(certain, (homonym_reason or "").strip())
            candidat.homonym_declared_reason = homonym_reason.strip()
    else:
        certain = []
    candidat.save()
    changes = diff(before, snapshot(candidat))
    if identity_changed:
        candidat_keys_refresh(candidat)
        CandidatIdentiteHistorique.objects.create(
            candidat=candidat,
            source=candidat,
            origin=CandidatIdentiteHistorique.Origine.MODIFICATION,
            identity=old_identity,
            by=by if getattr(by, "pk", None) else None,
        )
    if changes:
        journal_record(action="update", obj=candidat, by=by, changes=changes, reason=homonym_reason)
    doublons_store(
        [(candidat, other, match) for other, match in certain],
        status=DoublonPotentiel.Statut.HOMONYMIE,
        declared_by=by,
        declared_reason=homonym_reason.strip(),
    )
    return candidat


_correction_approved = contextvars.ContextVar("candidats_identity_correction_approved", default=False)


def identity_lock(*, candidat: Candidat, user) -> list[str]:
    """Reasons why `user` may no longer correct this identity directly (empty: he may). Certifications and
    registrations are read through the reverse relations (examens sits above candidats)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    certifications = candidat.certifications.all()
    if user.is_gestionnaire_centre:
        centre_ids = list(user.centre_memberships.values_list("centre_id", flat=True))
        others = (
            candidat.inscriptions.exclude(session__centre_id__in=centre_ids)
            .values("session__centre_id")
            .distinct()
            .count()
        )
        return rules.identity_lock_reasons(certifications=certifications.count(), other_centres=others)
    if user.is_agent_ud:
        elsewhere = certifications.exclude(session__departement_id=user.ud.departement_id).count()
        return rules.identity_lock_reasons(certifications=0, other_centres=0, certifications_elsewhere=elsewhere)
    return []


def correction_departements(candidat: Candidat) -> set[int]:
    """Départements whose UD decides an identity correction: those of the person's certifications, else those of
    the sessions he is registered in."""
    ids = set(candidat.certifications.values_list("session__departement_id", flat=True))
    return ids or set(candidat.inscriptions.values_list("session__departement_id", flat=True))


@transaction.atomic
def correction_request_create(*, candidat: Candidat, data: dict, proof, reason: str, by) -> CorrectionIdentite:
    """A centre asks the UD to correct a locked identity, with a proof (journaled)."""
    errors = []
    if not (reason or "").strip():
        errors.append("Indiquez le motif de la correction.")
    if not proof:
        errors.append("Joignez un justificatif (pièce d'identité, acte de naissance…).")
    if CorrectionIdentite.objects.filter(candidat=candidat, status=CorrectionIdentite.Statut.EN_ATTENTE).exists():
        errors.append("Une demande de correction de ce dossier attend déjà la décision de l'unité départementale.")
    if errors:
        raise ValidationError(errors)
    proposed = {name: _plain(data.get(name)) for name in IDENTITY_FIELDS}
    request = CorrectionIdentite.objects.create(
        candidat=candidat,
        identity=proposed,
        current=_identity(candidat),
        proof=proof,
        reason=reason.strip(),
        requested_by=by,
        departements="," + "".join(f"{d}," for d in sorted(correction_departements(candidat))),
    )
    journal_record(
        action="other",
        obj=candidat,
        by=by,
        operation="demande_correction_identite",
        changes={"proposée": proposed, "justificatif": request.proof.name},
        reason=reason,
    )
    return request


@transaction.atomic
def correction_request_decide(*, request: CorrectionIdentite, approve: bool, reason: str, by) -> CorrectionIdentite:
    """The UD of the person's certifications approves (the identity changes, the former one stays in the history and
    on the parchemins already printed) or refuses, with a reason. Journaled either way."""
    request = CorrectionIdentite.objects.select_for_update().get(pk=request.pk)
    errors = []
    if request.status != CorrectionIdentite.Statut.EN_ATTENTE:
        errors.append("Cette demande a déjà été décidée.")
    if not (getattr(by, "is_agent_ud", False) and request.decided_by_departement(by.ud.departement_id)):
        errors.append("Seule l'unité départementale des certifications du candidat décide de cette correction.")
    if not (reason or "").strip() and not approve:
        errors.append("Indiquez le motif du refus.")
    if errors:
        raise ValidationError(errors)
    if approve:
        data = _identity_data(request.identity)
        token = _correction_approved.set(True)
        try:
            candidat_update(candidat=request.candidat, data=data, by=by, homonym_reason="")
        finally:
            _correction_approved.reset(token)
        former = request.candidat.identity_history.order_by("-id").first()
        if former is not None:
            former.reason = f"Correction d'identité validée par l'unité départementale : {reason}".strip()
            former.save(update_fields=["reason", "updated_at"])
    request.status = CorrectionIdentite.Statut.APPROUVEE if approve else CorrectionIdentite.Statut.REFUSEE
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_reason = (reason or "").strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    journal_record(
        action="other",
        obj=request.candidat,
        by=by,
        operation="correction_identite_approuvee" if approve else "correction_identite_refusee",
        changes={"avant": request.current, "après": request.identity, "justificatif": request.proof.name},
        reason=reason,
    )
    return request


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _identity_data(identity: dict) -> dict:
    data = dict(identity)
    data["birth_date"] = datetime.date.fromisoformat(identity["birth_date"])
    commune, country = identity.get("birth_commune"), identity.get("birth_country")
    data["birth_commune"] = Commune.objects.filter(pk=commune).first() if commune is not None else None
    data["birth_country"] = Pays.objects.filter(pk=country).first() if country is not None else None
    return data


def candidat_view(*, candidat: Candidat, by) -> None:
    """Reading a personal file is journaled (who read whose file, when)."""
    journal_record(action="view", obj=candidat, by=by, operation="consultation du dossier candidat")


@dataclass
class MergeReport:
    survivor: Candidat
    absorbed: Candidat
    moved: dict[str, int] = field(default_factory=dict)
    filled: list[str] = field(default_factory=list)


# Relations of the candidats app that a merge handles itself (keys and pairs stay with their file).
_MERGE_SKIP = {
    (CandidatCle, "candidat"),
    (CandidatAcces, "candidat"),
    (DoublonPotentiel, "candidat_a"),
    (DoublonPotentiel, "candidat_b"),
}


def _describe(obj) -> str:
    return f"{obj._meta.verbose_name} « {obj} »"


def _move_fk(rel, survivor, absorbed) -> tuple[int, list[str]]:
    """Repoint every row of a reverse FK/one-to-one from absorbed to survivor; collisions are reported."""
    model, fname = rel.related_model, rel.field.name
    qs = model._base_manager.filter(**{fname: absorbed})
    if rel.one_to_one and model._base_manager.filter(**{fname: survivor}).exists() and qs.exists():
        return 0, [f"{_describe(qs.get())} existe déjà sur le dossier conservé."]
    try:
        with transaction.atomic():
            return qs.update(**{fname: survivor}), []
    except IntegrityError:
        pass
    # Find out which rows collide (unique constraints), one by one.
    moved, collisions = 0, []
    for obj in qs:
        try:
            with transaction.atomic():
                model._base_manager.filter(pk=obj.pk).update(**{fname: survivor})
                moved += 1
        except IntegrityError:
            collisions.append(f"{_describe(obj)} existe déjà sur le dossier conservé (contrainte d'unicité).")
    return moved, collisions


def _move_m2m(rel, survivor, absorbed) -> int:
    model, fname = rel.related_model, rel.field.name
    count = 0
    for obj in model._base_manager.filter(**{fname: absorbed}):
        manager = getattr(obj, fname)
        manager.add(survivor)
        manager.remove(absorbed)
        count += 1
    return count


@transaction.atomic
def candidat_merge(*, survivor: Candidat, absorbed: Candidat, by, reason: str) -> MergeReport:
    """Move EVERYTHING that references the absorbed file to the survivor (walking the model relations, so
    registrations, results and documents added by other apps follow), keep the absorbed row (merged_into) and
    its identity in the survivor's history. Any unique-constraint collision aborts the merge with a French
    explanation: nothing is ever lost."""
    if not (reason or "").strip():
        raise ValidationError("Indiquez le motif de la fusion.")
    locked = {c.pk: c for c in Candidat.objects.select_for_update().filter(pk__in=[survivor.pk, absorbed.pk])}
    survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
    errors = rules.merge_errors(survivor=survivor, absorbed=absorbed)
    if errors:
        raise ValidationError(errors)
    report = MergeReport(survivor=survivor, absorbed=absorbed)
    collisions: list[str] = []
    for rel in Candidat._meta.related_objects:
        if (rel.related_model, rel.field.name) in _MERGE_SKIP:
            continue
        if rel.many_to_many:
            count = _move_m2m(rel, survivor, absorbed)
        else:
            count, problems = _move_fk(rel, survivor, absorbed)
            collisions += problems
        if count:
            report.moved[str(rel.related_model._meta.verbose_name_plural)] = count
    # Forward M2M fields declared on Candidat itself (none today, kept generic).
    for m2m in Candidat._meta.many_to_many:
        getattr(survivor, m2m.name).add(*getattr(absorbed, m2m.name).all())
    if collisions:
        raise ValidationError(
            ["La fusion est impossible sans perte de données : résolvez d'abord ces conflits."] + collisions
        )
    before = snapshot(survivor)
    for name in FILLABLE_FIELDS:
        attname = cast(models.Field, Candidat._meta.get_field(name)).attname  # FILLABLE_FIELDS are concrete fields
        if getattr(survivor, attname) in (None, "") and getattr(absorbed, attname) not in (None, ""):
            setattr(survivor, attname, getattr(absorbed, attname))
            report.filled.append(name)
    if report.filled:
        survivor.compute_derived()
        survivor.save()
        candidat_keys_refresh(survivor)
    user = by if getattr(by, "pk", None) else None
    if not CandidatIdentiteHistorique.objects.filter(candidat=survivor, source=survivor).exists():
        CandidatIdentiteHistorique.objects.create(
            candidat=survivor,
            source=survivor,
            origin=CandidatIdentiteHistorique.Origine.CREATION,
            identity=_identity(survivor),
            by=user,
        )
    CandidatIdentiteHistorique.objects.create(
        candidat=survivor,
        source=absorbed,
        origin=CandidatIdentiteHistorique.Origine.FUSION,
        identity=_identity(absorbed),
        reason=reason,
        by=user,
    )
    acces.acces_merge(survivor=survivor, absorbed=absorbed)
    absorbed.merged_into = survivor
    absorbed.merged_at = timezone.now()
    absorbed.save(update_fields=["merged_into", "merged_at", "updated_at"])
    DoublonPotentiel.objects.filter(
        models.Q(candidat_a__in=[survivor, absorbed]) & models.Q(candidat_b__in=[survivor, absorbed])
    ).update(status=DoublonPotentiel.Statut.FUSIONNE, decided_by=user, decided_at=timezone.now())
    _carry_pending_pairs(survivor=survivor, absorbed=absorbed, user=user)
    journal_record(
        action="other",
        obj=survivor,
        by=by,
        operation="fusion (dossier conservé)",
        reason=reason,
        changes={
            "dossier_absorbé": absorbed.numero,
            "déplacés": report.moved,
            "champs_complétés": diff(before, snapshot(survivor)),
        },
    )
    journal_record(
        action="other",
        obj=absorbed,
        by=by,
        operation="fusion (dossier absorbé)",
        reason=reason,
        changes={"fusionné_dans": survivor.numero, "identité": _identity(absorbed)},
    )
    return report


def _carry_pending_pairs(*, survivor: Candidat, absorbed: Candidat, user) -> None:
    """Pairs still to handle between the absorbed file and a third one now concern the survivor: the next
    detection would not find them again (absorbed files are left out of it)."""
    pending = DoublonPotentiel.objects.select_for_update().filter(
        models.Q(candidat_a=absorbed) | models.Q(candidat_b=absorbed), status__in=DoublonPotentiel.TO_REVIEW
    )
    for pair in pending:
        other_id = pair.candidat_b_id if pair.candidat_a_id == absorbed.pk else pair.candidat_a_id
        low, high = sorted((survivor.pk, other_id))
        if DoublonPotentiel.objects.filter(candidat_a_id=low, candidat_b_id=high).exists():
            # The survivor already has its own pair with that file: this one is settled by the merge.
            pair.status = DoublonPotentiel.Statut.FUSIONNE
            pair.decided_by, pair.decided_at = user, timezone.now()
        else:
            pair.candidat_a_id, pair.candidat_b_id = low, high
            pair.reasons = [*pair.reasons, f"identité du dossier {absorbed.numero} fusionné dans le {survivor.numero}"]
        pair.save()


@transaction.atomic
def doublon_set_aside(*, pair: DoublonPotentiel, by, reason: str = "") -> DoublonPotentiel:
    pair = DoublonPotentiel.objects.select_for_update().get(pk=pair.pk)
    if pair.status not in DoublonPotentiel.TO_REVIEW:
        raise ValidationError("Ce rapprochement a déjà été traité.")
    pair.status = DoublonPotentiel.Statut.ECARTE
    pair.decided_by = by if getattr(by, "pk", None) else None
    pair.decided_at = timezone.now()
    pair.save()
    journal_record(
        action="update",
        obj=pair.candidat_a,
        by=by,
        operation="doublon écarté",
        changes={"autre_dossier": pair.candidat_b.numero},
        reason=reason,
    )
    return pair


def doublons_store(pairs, *, status=DoublonPotentiel.Statut.A_TRAITER, declared_by=None, declared_reason="") -> int:
    """Store pairs for the UD's duplicates page (idempotent: existing pairs keep their status, unless this is a
    declaration at entry, which is recorded on the pair). Returns the number of new pairs.
    `status`: A_TRAITER (batch detection, import), AUTRE_PERSONNE / HOMONYMIE (declared at entry by `declared_by`)."""
    created = 0
    declared = status != DoublonPotentiel.Statut.A_TRAITER
    user = declared_by if getattr(declared_by, "pk", None) else None
    for a, b, match in pairs:
        low, high = sorted((a, b), key=lambda c: c.pk)
        values = {"level": match.level, "reasons": match.reasons, "status": status}
        if declared:
            values |= {"declared_by": user, "declared_reason": declared_reason, "declared_at": timezone.now()}
        pair, was_created = DoublonPotentiel.objects.get_or_create(candidat_a=low, candidat_b=high, defaults=values)
        if declared and not was_created and pair.status == DoublonPotentiel.Statut.A_TRAITER:
            DoublonPotentiel.objects.filter(pk=pair.pk).update(**values)
        created += was_created
    return created
