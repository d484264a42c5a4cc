"""Pure rules of official documents: verification facts, reprint mention, print and annulment refusals.

The number format and the French dates printed on documents are rules of the production engine
(``ceres.editique.rules``).
"""

import datetime

from ceres.core.text import fold
from ceres.editique.rules import french_date

MENTION_DUPLICATA = "DUPLICATA — réimprimé le {date}, annule et remplace l'exemplaire original"


def initials(first_names: str, last_name: str) -> str:
    """« L. M. » from « Léa Anne », « Martin »: what the public page shows of the holder."""
    first = (first_names or "").strip()[:1].upper()
    last = (last_name or "").strip()[:1].upper()
    return " ".join(f"{c}." for c in (first, last) if c)


def reprint_mention(printed_on: datetime.date) -> str:
    return MENTION_DUPLICATA.format(date=french_date(printed_on))


def print_refusals(
    *, session_validated: bool, withdrawn: bool, annulled: bool, kind: str, fait_a: str, has_original: bool = False
) -> list[str]:
    """Why a parchemin cannot be printed now (empty list: it can)."""
    refusals = []
    if not session_validated:
        refusals.append("La session n'est pas validée par l'unité départementale : aucun parchemin n'est imprimable.")
    if withdrawn:
        refusals.append("Cette certification a été retirée (résultats corrigés) : elle ne peut plus être imprimée.")
    if annulled:
        refusals.append("Ce parchemin est annulé : il ne peut pas être imprimé tant que l'annulation n'est pas levée.")
    if kind not in ("titre", "ccp"):
        refusals.append("L'impression des certificats complémentaires de spécialisation n'est pas encore disponible.")
    if not fait_a:
        refusals.append(
            "La commune de l'unité départementale n'est pas renseignée : la mention « Fait à » est impossible."
        )
    if has_original:
        refusals.append("L'original a déjà été imprimé : utilisez la réimpression, qui produit un duplicata.")
    return refusals


def annul_refusals(*, reason: str, already_annulled: bool, withdrawn: bool) -> list[str]:
    refusals = []
    if already_annulled:
        refusals.append("Ce parchemin est déjà annulé.")
    if withdrawn:
        refusals.append("Cette certification a déjà été retirée par une correction des résultats.")
    if len((reason or "").strip()) < 10:
        refusals.append("Indiquez le motif de l'annulation (au moins 10 caractères) : il est conservé au journal.")
    return refusals


def identity_matches(*, typed_name: str, typed_birth_date, birth_name: str, usage_name: str, birth_date) -> bool:
    """The visitor proves they know the holder: birth (or usage) name, accents and case ignored, and birth date."""
    typed = fold(typed_name or "").strip()
    names = {fold(n).strip() for n in (birth_name, usage_name) if n}
    return bool(typed) and typed in names and typed_birth_date == birth_date
