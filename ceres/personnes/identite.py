"""Identity matching shared by candidates and jurors: normalisation, blocking keys, comparison.

Pure functions, no ORM. The duplicate check works in two steps:

1. ``blocking_keys(facts)`` gives a handful of short strings stored in an indexed table. Two files that
   could be the same person share at least one key, so finding candidates is an index lookup.
2. ``compare(a, b, places)`` decides on the few files found: ``certain``, ``probable`` or no match, with
   reasons in French. ``places`` (ceres.personnes.geographie) says whether two birth places are the same place
   (a commune and the one that absorbed it, a city and its arrondissement, a renamed country); without it,
   only equal codes are the same place.

Levels (R7 "normalised birth name + first name + birth date + birth place", DOMAIN §2 "the same place under two
names"):
- *certain*: same birth date, same birth name up to spelling (case, accents, hyphens, spaces, apostrophes,
  particles, "St"/"Saint"), same first names up to spelling (or one file carries only the first ones), and the
  same birth place (or an equivalent one, or one unknown). Nothing fuzzy ever makes a pair certain.
- *probable*: one variation of a known family — names of the same pronunciation or one/two letters apart, usage
  name typed as birth name, a compound name and one of its parts, first names reordered, a compound first name
  and one of its parts, the same first first name with different following ones (twins: "Jean Marc" / "Jean
  Luc"), first name typo, name and first name swapped, day and month swapped, birth dates one day apart,
  different birth places.
- none: two variations that are each fuzzy, or anything further apart.

First names: a comma or a space separates two first names, a hyphen joins a compound one (French civil status:
"Jean-Marc" is one first name, "Jean Marc" two). Glued, "Jean Marc" and "Jean-Marc" are the same spelling.

Every key contains the birth date (or a form of it), because every level needs the same date, day/month swapped,
or a date one day apart. Keys (``<kind>:<value>:<date>``):

- ``N`` normalised name (birth and usage names, with and without particles, spaces removed) and each word of a
  compound name + date: accents, hyphens, spaces, particles, case, "St", compound name vs part, usage name;
- ``P`` French phonetic key of the name + date: Dupont / Dupond, Lefebvre / Lefèvre;
- ``F`` every first name (as typed, hyphenated names glued, and split on hyphens), and the first two glued
  + date: typos in the name, even with first names reordered;
- ``S`` / ``T``: ``N`` / ``F`` with day and month unordered (when the swap gives a valid, different date);
- ``X`` the name and the first first name as an unordered pair + date: name and first name swapped;
- ``J0`` / ``J1`` name + first first name + the birth day number halved (two offsets): dates one day apart always
  share one of them.

The French phonetic key (``phonetic``) is a small rule set written for French surnames (soundex-like,
but with French spellings): ph→f, qu/c/ck→k, c before e/i/y→s, g before e/i/y→j, eau/au→o, ai/ei→e,
ault→o, h and final silent consonants (d, t, s, x, z) and final e dropped, y→i, z→s, w→v, doubled letters
collapsed. It is deliberately coarse: it only feeds blocking and a "probable" reason, never "certain".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Protocol

import jellyfish

from ceres.core.text import ABBREVIATIONS, fold

# Particles dropped from names for comparison ("de la Fontaine" = "La Fontaine" = "Fontaine").
PARTICLES = frozenset(
    {"de", "du", "des", "d", "le", "la", "les", "l", "van", "von", "der", "den", "del", "della", "di", "da", "dos"}
)
CERTAIN = "certain"
PROBABLE = "probable"
LEVEL_LABELS = {CERTAIN: "certain", PROBABLE: "probable"}


def _words(text: str) -> list[str]:
    """Folded words, "St"/"Ste" spelled out ("St-Cyr" = "Saint Cyr")."""
    return [ABBREVIATIONS.get(w, w) for w in fold(text).split()]


def normalize_name(text: str) -> str:
    """Folded name (case, accents, hyphens, apostrophes, spaces) without particles; words joined by one space.

    A name made only of particles ("Le", "De La") keeps them, otherwise it would vanish.
    """
    words = _words(text)
    kept = [w for w in words if w not in PARTICLES]
    return " ".join(kept or words)


def name_forms(text: str) -> set[str]:
    """Compact forms used for equality: without particles, and with them glued ("Du Pont" = "Dupont")."""
    words = _words(text)
    if not words:
        return set()
    return {normalize_name(text).replace(" ", ""), "".join(words)}


def name_parts(text: str) -> set[str]:
    """Words of a compound name ("Martin-Durand" -> martin, durand), particles left out; empty for one word."""
    words = normalize_name(text).split()
    return {w for w in words if len(w) >= 2} if len(words) > 1 else set()


def split_first_names(text: str) -> list[str]:
    """First names as typed, in order: commas and spaces separate, a hyphen joins ("Jean-Pierre, Louis")."""
    return [chunk for chunk in re.split(r"[\s,;]+", (text or "").strip()) if chunk]


def normalize_first_names(text: str) -> list[str]:
    """First names in order. Commas and spaces separate first names; a hyphenated name stays one name
    ("Jean-Pierre" -> ["jeanpierre"], "Jean Pierre" -> ["jean", "pierre"])."""
    result = []
    for chunk in split_first_names(text):
        token = fold(chunk).replace(" ", "")
        if token:
            result.append(token)
    return result


def first_name_heads(first_names: list[str]) -> set[str]:
    """The first first name, and the first two glued (so "jean pierre" meets "jeanpierre")."""
    if not first_names:
        return set()
    heads = {first_names[0]}
    if len(first_names) > 1:
        heads.add(first_names[0] + first_names[1])
    return heads


_PHONETIC_RULES = [
    (r"[^a-z]", ""),
    (r"y", "i"),
    (r"eaux?", "o"),
    (r"aul[dt]?$", "o"),
    (r"au", "o"),
    (r"ph", "f"),
    (r"th", "t"),
    (r"bv", "v"),
    (r"sc(?=[eiy])", "s"),
    (r"ck", "k"),
    (r"qu", "k"),
    (r"q", "k"),
    (r"gu(?=[eiy])", "g"),
    (r"g(?=[eiy])", "j"),
    (r"ch", "#"),  # "sh" sound, kept apart from k
    (r"c(?=[eiy])", "s"),
    (r"c", "k"),
    (r"h", ""),
    (r"[ae]in(?![aeiou])", "in"),
    (r"[ae]i", "e"),
    (r"z", "s"),
    (r"w", "v"),
    (r"(.)\1+", r"\1"),
    (r"e$", ""),
    (r"[dtsxz]+$", ""),
    (r"(?<=.)e$", ""),
    (r"(?<=[^aeiou])er$", "e"),
]
_PHONETIC_COMPILED = [(re.compile(p), r) for p, r in _PHONETIC_RULES]


def phonetic(text: str) -> str:
    """French phonetic key of a name (see module docstring). Empty string for an empty name."""
    value = normalize_name(text).replace(" ", "")
    for pattern, repl in _PHONETIC_COMPILED:
        value = pattern.sub(repl, value)
    return value or normalize_name(text).replace(" ", "")


def swapped_date(day: datetime.date | None) -> datetime.date | None:
    """Birth date with day and month swapped, or None when the swap is invalid or gives the same date."""
    if day is None or day.day == day.month or day.day > 12:
        return None
    try:
        return day.replace(month=day.day, day=day.month)
    except ValueError:
        return None


@dataclass(frozen=True)
class IdentityFacts:
    birth_name: str
    first_names: str | tuple[str, ...] = ""
    birth_date: datetime.date | None = None
    usage_name: str = ""
    # INSEE code of the birth commune, or of the birth country (99xxx) for people born abroad.
    birth_place_code: str = ""

    @property
    def first_names_list(self) -> list[str]:
        if isinstance(self.first_names, str):
            return normalize_first_names(self.first_names)
        return [t for name in self.first_names for t in normalize_first_names(name)]

    @property
    def first_name_parts(self) -> list[str]:
        """First names split on hyphens too ("Jean-Pierre" -> ["jean", "pierre"]), to detect reordering."""
        names = self.first_names if isinstance(self.first_names, str) else " ".join(self.first_names)
        return fold(names).split()

    @property
    def birth_forms(self) -> set[str]:
        return name_forms(self.birth_name)

    @property
    def usage_forms(self) -> set[str]:
        return name_forms(self.usage_name)


def _date_key(day: datetime.date) -> str:
    return day.strftime("%Y%m%d")


def _unordered_date_key(day: datetime.date) -> str:
    low, high = sorted((day.day, day.month))
    return f"{day.year:04d}~{low:02d}{high:02d}"


MAX_KEY_LENGTH = 120


def blocking_keys(facts: IdentityFacts) -> set[str]:
    """Keys to store (indexed) and to look up. Two records that ``compare`` could match share a key."""
    if facts.birth_date is None:
        return set()
    date = _date_key(facts.birth_date)
    names = facts.birth_forms | facts.usage_forms
    parts = name_parts(facts.birth_name) | name_parts(facts.usage_name)
    keys = {f"N:{n}:{date}" for n in names | parts}
    keys |= {f"P:{phonetic(n)}:{date}" for n in (facts.birth_name, facts.usage_name) if n.strip()}
    first_list = facts.first_names_list
    first_names = first_name_heads(first_list) | set(first_list) | set(facts.first_name_parts)
    keys |= {f"F:{f}:{date}" for f in first_names}
    if swapped_date(facts.birth_date):
        unordered = _unordered_date_key(facts.birth_date)
        keys |= {f"S:{n}:{unordered}" for n in names}
        keys |= {f"T:{f}:{unordered}" for f in first_names}
    if first_list:
        first = first_list[0]
        ordinal = facts.birth_date.toordinal()
        for n in facts.birth_forms:
            keys.add(f"X:{'|'.join(sorted((n, first)))}:{date}")
            keys.add(f"J0:{n}|{first}:{ordinal // 2}")
            keys.add(f"J1:{n}|{first}:{(ordinal + 1) // 2}")
    return {k[:MAX_KEY_LENGTH] for k in keys}


@dataclass(frozen=True)
class Match:
    level: str | None  # "certain", "probable" or None
    reasons: list[str] = field(default_factory=list)

    def __bool__(self):
        return self.level is not None


NO_MATCH = Match(None, [])


class PlaceRelation(Protocol):
    """What ceres.personnes.geographie answers: are two birth places (codes, on the birth dates) one place?"""

    def relation(self, a: IdentityFacts, b: IdentityFacts) -> tuple[str, str]:
        """("same" | "different", French reason)."""
        ...


def _max_typos(a: str, b: str) -> int:
    return 1 if max(len(a), len(b)) <= 7 else 2


def _close(a: str, b: str) -> bool:
    if not a or not b or min(len(a), len(b)) < 3:
        return False
    return jellyfish.damerau_levenshtein_distance(a, b) <= _max_typos(a, b)


def _compare_names(a: IdentityFacts, b: IdentityFacts) -> tuple[str | None, str]:
    """('exact'|'usage'|'part'|'fuzzy'|None, French reason)."""
    if a.birth_forms & b.birth_forms:
        return "exact", "même nom de naissance"
    if (a.usage_forms & b.birth_forms) or (a.birth_forms & b.usage_forms):
        return "usage", "le nom d'usage de l'un est le nom de naissance de l'autre"
    if a.usage_forms & b.usage_forms:
        return "usage", "même nom d'usage"
    for x, y in ((a, b), (b, a)):
        if name_parts(x.birth_name) & y.birth_forms:
            return "part", f"nom composé : « {y.birth_name} » est l'un des noms de « {x.birth_name} »"
    pa = {phonetic(n) for n in (a.birth_name, a.usage_name) if n.strip()}
    pb = {phonetic(n) for n in (b.birth_name, b.usage_name) if n.strip()}
    if pa & pb:
        return "fuzzy", "noms de même prononciation"
    for x in a.birth_forms | a.usage_forms:
        for y in b.birth_forms | b.usage_forms:
            if _close(x, y):
                return "fuzzy", "noms proches (une ou deux lettres de différence)"
    return None, ""


def _compare_first_names(a: IdentityFacts, b: IdentityFacts) -> tuple[str | None, str]:
    """('exact'|'partial'|'order'|'fuzzy'|None, French reason).

    exact: same first names glued ("Jean Marc" = "Jean-Marc"), or one file carries only the first ones
    ("Sophie" / "Sophie, Anne"); partial: same first first name but different following ones (twins "Jean Marc" /
    "Jean Luc"), or a compound first name and one of its parts ("Jean" / "Jean-Marc")."""
    fa, fb = a.first_names_list, b.first_names_list
    if not fa or not fb:
        return None, ""
    ga, gb = "".join(fa), "".join(fb)
    if ga == gb:
        return "exact", "mêmes prénoms"
    prefixes_a = {"".join(fa[:k]) for k in range(1, len(fa))}
    prefixes_b = {"".join(fb[:k]) for k in range(1, len(fb))}
    if ga in prefixes_b or gb in prefixes_a:
        return "exact", "mêmes premiers prénoms (un dossier ne porte pas tous les prénoms)"
    pa, pb = a.first_name_parts, b.first_name_parts
    if fa[0] == fb[0] or pa[0] == pb[0]:
        if fa[0] == fb[0]:
            return "partial", "même premier prénom, prénoms suivants différents (jumeaux ?)"
        return "partial", "prénom composé et l'un de ses éléments"
    if fa[0] in fb or fb[0] in fa or pa[0] in pb or pb[0] in pa:
        return "order", "mêmes prénoms dans un autre ordre"
    if phonetic(fa[0]) == phonetic(fb[0]) or _close(fa[0], fb[0]):
        return "fuzzy", "premiers prénoms proches"
    return None, ""


def _swapped_fields(a: IdentityFacts, b: IdentityFacts) -> bool:
    """Name typed as first name and first name as name, on one of the two files."""
    fa, fb = a.first_names_list, b.first_names_list
    return bool(fa and fb and fa[0] in b.birth_forms and fb[0] in a.birth_forms)


def _compare_dates(a: IdentityFacts, b: IdentityFacts) -> tuple[str | None, str]:
    if a.birth_date == b.birth_date:
        return "same", "même date de naissance"
    if swapped_date(a.birth_date) == b.birth_date:
        return "swapped", "dates de naissance avec jour et mois inversés"
    if abs((a.birth_date - b.birth_date).days) == 1:
        return "near", "dates de naissance à un jour d'écart"
    return None, ""


def _compare_places(
    a: IdentityFacts, b: IdentityFacts, places: PlaceRelation | None, decisive: bool
) -> tuple[str, str]:
    """`decisive`: everything else is exact, so the geography decides between certain and probable; otherwise the
    pair is probable whatever the places, and the history is not read (the check stays an index lookup)."""
    if not (a.birth_place_code and b.birth_place_code):
        return "unknown", ""
    if a.birth_place_code == b.birth_place_code:
        return "same", "même lieu de naissance"
    if places is None:
        return "different", "lieux de naissance différents"
    if decisive:
        return places.relation(a, b)
    return "different", "lieux de naissance saisis différemment"


def compare(a: IdentityFacts, b: IdentityFacts, places: PlaceRelation | None = None) -> Match:
    """Certain, probable or no match, with the reasons (see the module docstring for the levels)."""
    if a.birth_date is None or b.birth_date is None:
        return NO_MATCH
    date_kind, date_reason = _compare_dates(a, b)
    if date_kind is None:
        return NO_MATCH
    name_kind, name_reason = _compare_names(a, b)
    first_kind, first_reason = _compare_first_names(a, b)
    if (name_kind is None or first_kind is None) and date_kind == "same" and _swapped_fields(a, b):
        name_kind, name_reason = "swapped", "nom et prénom inversés"
        first_kind, first_reason = "swapped", ""
    if name_kind is None or first_kind is None:
        return NO_MATCH
    # Two weak criteria together are too weak (siblings, twins, chance).
    weak = {"fuzzy", "part"}
    if name_kind in weak and first_kind in weak | {"partial"}:
        return NO_MATCH
    if date_kind == "near" and (name_kind != "exact" or first_kind != "exact"):
        return NO_MATCH
    exact = date_kind == "same" and name_kind == "exact" and first_kind == "exact"
    place_kind, place_reason = _compare_places(a, b, places, exact)
    reasons = [r for r in (name_reason, first_reason, date_reason, place_reason) if r]
    if exact and place_kind in ("same", "unknown"):
        return Match(CERTAIN, reasons)
    return Match(PROBABLE, reasons)
