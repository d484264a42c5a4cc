"""Pure rules of document production: number format and check character, French dates printed on documents.

Number format: ``TP-<year>-<département on 3 chars>-<sequence on 6+ digits>-<check>``, e.g. ``TP-2026-069-000123-K``.
The département code is left-padded with zeros to 3 characters (``01`` → ``001``, ``2A`` → ``02A``, ``971``).
The check character is ISO/IEC 7064 MOD 37,36 (hybrid system, alphabet 0-9A-Z) computed over the alphanumerics of
the number without dashes: it catches every single-character substitution and every adjacent transposition.
"""

import datetime
import re

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
