"""Pure rules for candidate files: public number format, identity facts, merge checks."""

from __future__ import annotations

import datetime

from ceres.personnes.identite import normalize_first_names

# Public candidate number: 7-digit sequence (as observed on PVs) + 1 Luhn check digit, e.g. "00001234".
# Allocated once from a locked counter row, never reused (absorbed files keep theirs).
NUMERO_SEQUENCE_DIGITS = 7


def luhn_digit(digits: str) -> str:
    total = 0
    for i, char in enumerate(reversed(digits)):
        value = int(char)
        if i % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def numero_format(sequence: int) -> str:
    if not 0 < sequence < 10**NUMERO_SEQUENCE_DIGITS:
        raise ValueError(f"Numéro de candidat hors limites : {sequence}")
    body = f"{sequence:0{NUMERO_SEQUENCE_DIGITS}d}"
    return body + luhn_digit(body)


def first_names_key(first_names: str) -> str:
    """Searchable first names, folded like the duplicate check and glued, so that "Jean Pierre", "Jean-Pierre"
    and "jean pierre" give the same key ("Léa-Marie, Anne" -> "leamarieanne")."""
    return "".join(normalize_first_names(first_names))[:255]


def birth_date_errors(birth_date: datetime.date | None, today: datetime.date) -> list[str]:
    if birth_date is None:
        return ["La date de naissance est obligatoire."]
    if birth_date >= today:
        return ["La date de naissance doit être dans le passé."]
    if birth_date.year < 1900:
        return ["La date de naissance est antérieure à 1900 : vérifiez la saisie."]
    return []


def merge_errors(*, survivor, absorbed) -> list[str]:
    errors = []
    if survivor.pk == absorbed.pk:
        errors.append("Un dossier ne peut pas être fusionné avec lui-même.")
    if survivor.merged_into_id:
        errors.append(f"Le dossier {survivor.numero} a déjà été absorbé : il ne peut pas être conservé.")
    if absorbed.merged_into_id:
        errors.append(f"Le dossier {absorbed.numero} a déjà été fusionné dans un autre dossier.")
    return errors


# Identity of a person known elsewhere (issue #16): a centre corrects it alone only while nobody else relies on it.
IDENTITY_LOCKED = (
    "L'identité de ce candidat ne se corrige plus directement : {reasons}. Déposez une demande de correction "
    "d'identité, avec un justificatif : l'unité départementale de ses certifications la valide."
)


def identity_lock_reasons(*, certifications: int, other_centres: int, certifications_elsewhere: int = 0) -> list[str]:
    """Why an identity is no longer corrected directly. A centre: once the person holds a certification or is
    registered by another centre. A UD: once the person holds a certification awarded in another département."""
    reasons = []
    if certifications:
        reasons.append(f"il détient {certifications} certification{'s' if certifications > 1 else ''}")
    if other_centres:
        reasons.append(
            f"il est inscrit dans {other_centres} autre{'s' if other_centres > 1 else ''} centre"
            f"{'s' if other_centres > 1 else ''}"
        )
    if certifications_elsewhere:
        reasons.append("ses certifications relèvent d'une autre unité départementale")
    return reasons
