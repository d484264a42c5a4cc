"""Pure rules on a person's identity: printable names, the printed form of a birth place.

Printable names: every name and first name is printed on a parchemin (Marianne, or the free font) and in
bulk: a character the font cannot print stops the whole batch. Identity fields therefore accept only:
- letters of the Latin script that the parchemin font prints (French letters, and foreign Latin letters with
  their diacritics: ß, ø, ł, ń, ș, ğ, ž, ő, ā, ỹ…), in composed form (NFC);
- spaces, hyphens, apostrophes (' and ’).
Refused, with a French message naming the character: control characters, bidirectional overrides and
zero-width characters (invisible, they make two identical-looking names differ), emoji and symbols, digits,
other punctuation, and letters of scripts the font does not have (Cyrillic, Greek, Arabic, Chinese…: they
must be transliterated as on the French identity document, instruction générale relative à l'état civil §
« Noms et prénoms étrangers » — the civil status writes names in Latin letters).

The repertoire below is the Latin letters present in all six Marianne styles shipped by django-dsfr
(tests/personnes/test_rules.py checks it against the font files and the free font).
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from ceres.referentiels.models import COG_START

# Latin letters of the Marianne cmap (code point ranges, inclusive).
PRINTABLE_LETTER_RANGES = (
    (0x0041, 0x005A), (0x0061, 0x007A), (0x00C0, 0x00D6), (0x00D8, 0x00F6), (0x00F8, 0x017E), (0x018F, 0x0190),
    (0x0194, 0x0194), (0x019D, 0x019D), (0x01A0, 0x01A1), (0x01AF, 0x01B0), (0x01CD, 0x01DC), (0x01E6, 0x01E7),
    (0x01FA, 0x01FF), (0x0218, 0x021B), (0x0232, 0x0233), (0x0237, 0x0237), (0x0259, 0x0259), (0x025B, 0x025B),
    (0x0263, 0x0263), (0x0272, 0x0272), (0x1E0C, 0x1E11), (0x1E20, 0x1E21), (0x1E24, 0x1E25), (0x1E28, 0x1E2B),
    (0x1E32, 0x1E35), (0x1E42, 0x1E43), (0x1E46, 0x1E47), (0x1E5A, 0x1E5B), (0x1E62, 0x1E63), (0x1E6C, 0x1E6F),
    (0x1E80, 0x1E85), (0x1E92, 0x1E93), (0x1E96, 0x1E97), (0x1E9E, 0x1E9E), (0x1EA0, 0x1EF9),
)  # fmt: skip
PRINTABLE_LETTERS = frozenset(chr(c) for low, high in PRINTABLE_LETTER_RANGES for c in range(low, high + 1))
SEPARATORS = frozenset(" -'’")
# First names also take a comma between two first names ("Jean-Pierre, Louis").
FIRST_NAME_SEPARATORS = SEPARATORS | {","}
MAX_NAME_LENGTH = 150
MAX_FIRST_NAMES_LENGTH = 255


def clean_name(value: str | None) -> str:
    """The value as stored: composed form (NFC, so "é" typed as e + accent is one letter), spaces collapsed."""
    text = unicodedata.normalize("NFC", value or "")
    return " ".join(text.split(" ")).strip() if text else ""


SCRIPTS = {
    "CYRILLIC": "alphabet cyrillique",
    "GREEK": "alphabet grec",
    "ARABIC": "écriture arabe",
    "HEBREW": "écriture hébraïque",
    "CJK": "écriture chinoise",
    "HIRAGANA": "écriture japonaise",
    "KATAKANA": "écriture japonaise",
    "HANGUL": "écriture coréenne",
    "ARMENIAN": "alphabet arménien",
    "GEORGIAN": "alphabet géorgien",
    "THAI": "écriture thaïe",
    "DEVANAGARI": "écriture devanagari",
    "LATIN": "lettre latine absente de la police du parchemin",
}


def _describe(char: str) -> str:
    """« U+202E (contrôle de direction du texte) » : how a refused character is named to the user."""
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Cc":
        kind = "caractère de contrôle"
    elif category == "Cf":
        kind = "caractère invisible ou de contrôle de direction du texte"
    elif category in ("Zs", "Zl", "Zp"):
        kind = "espace spéciale"
    elif category.startswith("L"):
        script = unicodedata.name(char, "").split(" ")[0]
        kind = f"lettre « {char} » ({SCRIPTS.get(script, 'écriture que le parchemin ne peut pas imprimer')})"
    elif category.startswith("N"):
        kind = f"chiffre « {char} »"
    elif category == "So" or category == "Sk" or 0x1F000 <= ord(char) <= 0x1FAFF:
        kind = f"symbole ou emoji « {char} »"
    else:
        kind = f"caractère « {char} »"
    return f"{kind} ({code})"


def name_errors(value: str | None, label: str, *, first_names: bool = False) -> list[str]:
    """French refusals for a name or first-names value (empty list: printable). `label`: "Le nom de naissance"."""
    text = clean_name(value)
    if not text:
        return []
    allowed = FIRST_NAME_SEPARATORS if first_names else SEPARATORS
    bad: list[str] = []
    for char in text:
        if char in PRINTABLE_LETTERS or char in allowed:
            continue
        if char not in bad:
            bad.append(char)
    errors = []
    if bad:
        shown = ", ".join(_describe(c) for c in bad[:3])
        more = f" et {len(bad) - 3} autre(s)" if len(bad) > 3 else ""
        errors.append(
            f"{label} contient un caractère non imprimable sur le parchemin : {shown}{more}. Seuls les lettres "
            "(accents compris), les espaces, les traits d'union et les apostrophes sont acceptés"
            + (", et la virgule entre deux prénoms." if first_names else ".")
            + (
                " Écrivez le nom en lettres latines, comme sur le titre d'identité français."
                if any(unicodedata.category(c).startswith("L") for c in bad)
                else ""
            )
        )
    elif not any(c in PRINTABLE_LETTERS for c in text):
        errors.append(f"{label} doit contenir au moins une lettre.")
    return errors  # lengths: the model fields (MAX_NAME_LENGTH…) say it, naming the field


def first_first_name(first_names: str | None) -> str:
    """The first of the first names, as typed: "Jean-Pierre" for "Jean-Pierre, Louis", "Marie" for "Marie Claire"
    (a space or a comma separates two first names, a hyphen joins a compound one)."""
    for chunk in (first_names or "").replace(";", ",").replace(",", " ").split():
        return chunk
    return ""


def first_names_display(first_names: str | None) -> str:
    """First names as printed in full: separated by a comma and a space ("Jean-Pierre, Louis")."""
    return ", ".join((first_names or "").replace(";", ",").replace(",", " ").split())


def birth_place_text(name: str, territory: str) -> str:
    """Printed form of a birth place (docs/decisions/0009): « Oran (Algérie, département d'Oran) »,
    « Boulogne-Billancourt (Seine) », « Cotonou (Dahomey) », the country alone when the town is unknown."""
    if name and territory:
        return f"{name} ({territory})"
    return name or territory


def valid_on(row, day: datetime.date | None) -> bool:
    """Name period [start_date, end_date) valid on `day` (None: any day); the COG starts in 1943: an earlier birth
    is looked up in the 1943 state (referentiels.models.CogQuerySet)."""
    if day is None:
        return True
    day = max(day, COG_START)
    return (row.start_date is None or row.start_date <= day) and (row.end_date is None or day < row.end_date)


BOTH_BIRTH_PLACES = "Indiquez soit une commune de naissance en France, soit un pays de naissance, pas les deux."


def birth_place_errors(
    *, birth_date, commune, country, town_abroad: str = "", town_required: bool = True
) -> list[str]:
    """Commune valid at the birth date, or country valid at the birth date (+ town abroad): one of them, not both.
    The same refusals on the page, in the services and in every import."""
    errors = []
    if commune and country:
        errors.append(BOTH_BIRTH_PLACES)
    elif not commune and not country:
        errors.append("Indiquez la commune de naissance (en France) ou le pays de naissance.")
    day = f"{birth_date:%d/%m/%Y}" if birth_date else ""
    if commune and birth_date and not valid_on(commune, birth_date):
        errors.append(
            f"La commune « {commune.name} » ({commune.code_insee}) n'existait pas sous ce nom le {day} : "
            "choisissez le nom en vigueur à la date de naissance."
        )
    if country and birth_date and not valid_on(country, birth_date):
        errors.append(
            f"Le pays « {country.name} » ({country.code}) n'existait pas sous ce nom le {day} : "
            "choisissez le pays ou territoire tel qu'il s'appelait à la date de naissance."
        )
    if country and town_required and not (town_abroad or "").strip():
        errors.append("Indiquez la ville de naissance à l'étranger.")
    return errors


def identity_errors(*, birth_name: str, usage_name: str, first_names: str) -> dict[str, list[str]]:
    """Printable-name refusals by field (empty dict: every name can be printed)."""
    errors = {
        "birth_name": name_errors(birth_name, "Le nom de naissance"),
        "usage_name": name_errors(usage_name, "Le nom d'usage"),
        "first_names": name_errors(first_names, "Les prénoms", first_names=True),
    }
    return {field: messages for field, messages in errors.items() if messages}


HOMONYM_REASON_MIN_LETTERS = 20
HOMONYM_REASON_MIN_WORDS = 3


def homonym_reason_errors(reason: str | None) -> list[str]:
    """A homonymy declaration (a second file for an identity already in CERES) must say why it is another person,
    in words the UD can check: at least 20 letters in 3 different words of 3 letters or more ("x", "ok", "rien",
    "aaaaaaaaaaaaaaaaaaaaaa" are refused). The UD reviews every declaration on its duplicates page."""
    text = " ".join((reason or "").split())
    letters = [c for c in text if c.isalpha()]
    words = {w.lower() for w in re.findall(r"[^\W\d_]{3,}", text)}
    if len(letters) < HOMONYM_REASON_MIN_LETTERS or len(words) < HOMONYM_REASON_MIN_WORDS or len(set(letters)) < 6:
        return [
            "Le motif de la déclaration d'homonymie doit expliquer pourquoi il s'agit d'une autre personne "
            f"(au moins {HOMONYM_REASON_MIN_LETTERS} lettres et {HOMONYM_REASON_MIN_WORDS} mots), par exemple : "
            "« jumeaux, pièces d'identité des deux personnes vérifiées ». L'unité départementale relit chaque "
            "déclaration."
        ]
    return []
