"""Pure rules of official documents: number format and check character, verification facts, reprint mention.

Number format: ``TP-<year>-<département on 3 chars>-<sequence on 6+ digits>-<check>``, e.g. ``TP-2026-069-000123-K``.
The département code is left-padded with zeros to 3 characters (``01`` → ``001``, ``2A`` → ``02A``, ``971``).
The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) computed over the alphanumerics of
the number without dashes: it catches every single-character substitution and every adjacent transposition.
"""

import datetime
import re

from ceres.core.text import fold

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PREFIX = "TP"
NUMBER_RE = re.compile(r"^TP-(\d{4})-(\d{3}|02[AB])-(\d{6,})-([0-9A-Z])$")
DEPARTEMENT_RE = re.compile(r"^(\d{2,3}|2[AB])$")

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
MENTION_DUPLICATA = "DUPLICATA — réimprimé le {date}, annule et remplace l'exemplaire original"


def french_date(value: datetime.date) -> str:
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MONTHS[value.month - 1]} {value.year}"


def french_time(value: datetime.time) -> str:
    return f"{value.hour:02d}h{value.minute:02d}"


def _mod37_36_state(text: str) -> int:
    m = 36
    p = m
    for char in text:
        p = (p + ALPHABET.index(char)) % m
        if p == 0:
            p = m
        p = (2 * p) % (m + 1)
    return p


def check_character(text: str) -> str:
    """ISO 7064 MOD 37,36 check character of the alphanumerics of text."""
    plain = "".join(c for c in text.upper() if c.isalnum())
    p = _mod37_36_state(plain)
    return ALPHABET[(37 - p) % 36]


def normalize_departement(code: str) -> str:
    code = (code or "").strip().upper()
    if not DEPARTEMENT_RE.match(code):
        raise ValueError(f"Code de département invalide : « {code} ».")
    return code.zfill(3)


def format_number(year: int, departement_code: str, sequence: int) -> str:
    if not 2000 <= int(year) <= 9999:
        raise ValueError(f"Année invalide : {year}.")
    if int(sequence) < 1:
        raise ValueError("La séquence commence à 1.")
    body = f"{PREFIX}-{int(year):04d}-{normalize_departement(departement_code)}-{int(sequence):06d}"
    return f"{body}-{check_character(body)}"


def normalize_number(text: str) -> str:
    """Upper case, spaces removed, any dash-like character turned into a dash (typed or scanned input)."""
    text = (text or "").strip().upper().replace(" ", "")
    return re.sub(r"[‐‑‒–—−_]", "-", text)


def check_number(text: str) -> bool:
    """True when text is a well-formed number whose check character matches."""
    text = normalize_number(text)
    match = NUMBER_RE.match(text)
    if not match:
        return False
    body, key = text.rsplit("-", 1)
    return check_character(body) == key


def parse_number(text: str) -> dict | None:
    text = normalize_number(text)
    if not check_number(text):
        return None
    match = NUMBER_RE.match(text)
    return {
        "year": int(match.group(1)),
        "departement": match.group(2),
        "sequence": int(match.group(3)),
    }


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
