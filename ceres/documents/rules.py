"""Pure rules of official documents: editions, verification facts and state, duplicata mention, print and annulment
refusals.

Editions: every print of a certification is an edition: 0 the original, k the duplicata n° k. A new edition replaces
the previous ones: only the latest (the current edition) verifies as valid, an older one as « remplacé » (still
authentic). Legal basis of the duplicata: arrêté du 22 décembre 2015 relatif aux conditions de délivrance du titre
professionnel (the UD delivers the parchemin; a lost or damaged one is replaced by a duplicata, never a second
original).

The number format and the French dates printed on documents are rules of the production engine
(``ceres.editique.rules``).
"""

import datetime

from ceres.core.text import fold
from ceres.editique.rules import french_date

MENTION_DUPLICATA = "DUPLICATA n° {k} — délivré le {date}, annule et remplace {replaced}"
REASON_OTHER = "autre"
# Only at the first print of a certification awarded before numbering existed, when a paper original was issued.
REASON_PAPER_ORIGINAL = "original_papier"
MIN_DETAIL = 10


def edition_code(edition: int) -> str:
    """What the QR code and the signature carry: « O » the original, « D1 », « D2 »… the duplicatas."""
    return "O" if edition == 0 else f"D{edition}"


def edition_from_code(code: str) -> int | None:
    code = (code or "").strip().upper()
    if code == "O":
        return 0
    if code.startswith("D") and code[1:].isdigit() and int(code[1:]) > 0:
        return int(code[1:])
    return None


def edition_label(edition: int) -> str:
    return "original" if edition == 0 else f"duplicata n° {edition}"


def next_edition(editions: list[int], *, paper_original: bool = False) -> int:
    """The edition a new print is: the original first, unless a paper original was issued before CERES."""
    if editions:
        return max(editions) + 1
    return 1 if paper_original else 0


def duplicata_mention(edition: int, printed_on: datetime.date) -> str:
    replaced = "l'exemplaire original" if edition == 1 else "l'original et les duplicatas précédents"
    return MENTION_DUPLICATA.format(k=edition, date=french_date(printed_on), replaced=replaced)


def duplicata_refusals(*, reason: str, detail: str, has_edition: bool) -> list[str]:
    """A duplicata replaces a printed copy, for a stated reason."""
    refusals = []
    if not has_edition:
        refusals.append("Aucun exemplaire n'a encore été imprimé : imprimez d'abord l'original.")
    if not reason or reason == REASON_PAPER_ORIGINAL:
        refusals.append("Indiquez le motif du duplicata (perte, détérioration, erreur d'identité corrigée…).")
    elif reason == REASON_OTHER and len((detail or "").strip()) < MIN_DETAIL:
        refusals.append(f"Précisez le motif du duplicata (au moins {MIN_DETAIL} caractères).")
    return refusals


def first_print_refusals(*, numbered: bool, declared: bool) -> list[str]:
    """A certification awarded before numbering existed: the UD says whether a paper original was issued."""
    if numbered or declared:
        return []
    return [
        "Cette certification a été délivrée avant la numérotation : indiquez si un original papier a déjà été "
        "remis au titulaire (le document imprimé est alors un duplicata) ou jamais (c'est l'original)."
    ]


def verification_state(*, signature_ok: bool | None, annulled: bool, current: bool) -> str:
    """State shown by the public page. signature_ok None: no QR signature given (typed number)."""
    if signature_ok is False:
        return "signature_invalide"
    if annulled:
        return "annule"
    if signature_ok is None:
        return "numero_attribue"
    return "authentique" if current else "remplace"


def initials(first_names: str, last_name: str) -> str:
    """« L. M. » from « Léa Anne », « Martin »: what the public page shows of the holder."""
    first = (first_names or "").strip()[:1].upper()
    last = (last_name or "").strip()[:1].upper()
    return " ".join(f"{c}." for c in (first, last) if c)


def print_refusals(
    *, session_validated: bool, withdrawn: bool, annulled: bool, kind: str, fait_a: str, has_edition: bool = False
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
    if has_edition:
        refusals.append(
            "Ce document a déjà été imprimé : un nouvel exemplaire est un duplicata (réimpression avec motif)."
        )
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
