"""Identity matching shared by candidates and jurors: normalisation, blocking keys, comparison.

Pure functions, no ORM. The duplicate check works in two steps:

1. ``blocking_keys(facts)`` gives a handful of short strings stored in an indexed table. Two files that
   could be the same person share at least one key, so finding candidates is an index lookup.
2. ``compare(a, b)`` decides on the few files found: ``certain``, ``probable`` or no match, with
   reasons in French.

Every key contains the birth date (or the birth date with day and month unordered), because every match
level in R7 requires the same birth date (or day/month swapped). Keys (``<kind>:<value>:<date>``):

- ``N`` normalised name (birth name and usage name, with and without particles, spaces removed) + date:
  catches accents, hyphens, spaces, particles, case, first names in another order, usage name typed as
  birth name, first-name typos;
- ``P`` French phonetic key of the name + date: catches Dupont / Dupond, Lefebvre / Lefèvre;
- ``F`` every first name (as typed, hyphenated names glued, and split on hyphens), and the first two glued
  (so "Jean Pierre" meets "Jean-Pierre") + date: catches typos in the name, even with first names reordered;
- ``S`` name + date with day and month unordered (only when the swap gives a valid, different date):
  catches day/month swapped; ``T`` the first names of ``F`` + unordered date: day/month swapped AND a name
  typo or a name of the same pronunciation.

Why every case is covered: ``compare`` needs the names to match (exact, usage or fuzzy) and the first names
to match (exact, reordered or fuzzy), never both fuzzy. Exact or usage names share an ``N``/``S`` key; when
the names are only fuzzy, the first names are exact or reordered, so they share a first name: ``F``/``T``.

The French phonetic key (``phonetic``) is a small rule set written for French surnames (soundex-like,
but with French spellings): ph→f, qu/c/ck→k, c before e/i/y→s, g before e/i/y→j, eau/au→o, ai/ei→e,
ault→o, h and final silent consonants (d, t, s, x, z) and final e dropped, y→i, z→s, w→v, doubled letters
collapsed. It is deliberately coarse: it only feeds blocking and a "probable" reason, never "certain".
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import jellyfish

from ceres.core.text import fold

# Particles dropped from names for comparison ("de la Fontaine" = "La Fontaine" = "Fontaine").
PARTICLES = frozenset(
    {"de", "du", "des", "d", "le", "la", "les", "l", "van", "von", "der", "den", "del", "della", "di", "da", "dos"}
)
CERTAIN = "certain"
PROBABLE = "probable"


def _words(text: str) -> list[str]:
    return fold(text).split()


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


def normalize_first_names(text: str) -> list[str]:
    """First names in order. Commas and spaces separate first names; a hyphenated name stays one name
    ("Jean-Pierre" -> ["jeanpierre"], "Jean Pierre" -> ["jean", "pierre"])."""
    result = []
    for chunk in re.split(r"[\s,;]+", (text or "").strip()):
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
    keys = {f"N:{n}:{date}" for n in names}
    keys |= {f"P:{phonetic(n)}:{date}" for n in (facts.birth_name, facts.usage_name) if n.strip()}
    first_names = first_name_heads(facts.first_names_list) | set(facts.first_names_list) | set(facts.first_name_parts)
    keys |= {f"F:{f}:{date}" for f in first_names}
    if swapped_date(facts.birth_date):
        unordered = _unordered_date_key(facts.birth_date)
        keys |= {f"S:{n}:{unordered}" for n in names}
        keys |= {f"T:{f}:{unordered}" for f in first_names}
    return {k[:MAX_KEY_LENGTH] for k in keys}


@dataclass(frozen=True)
class Match:
    level: str | None  # "certain", "probable" or None
    reasons: list[str] = field(default_factory=list)

    def __bool__(self):
        return self.level is not None


NO_MATCH = Match(None, [])


def _max_typos(a: str, b: str) -> int:
    return 1 if max(len(a), len(b)) <= 7 else 2


def _close(a: str, b: str) -> bool:
    if not a or not b or min(len(a), len(b)) < 3:
        return False
    return jellyfish.damerau_levenshtein_distance(a, b) <= _max_typos(a, b)


def _compare_names(a: IdentityFacts, b: IdentityFacts) -> tuple[str | None, str]:
    """('exact'|'usage'|'fuzzy'|None, French reason)."""
    if a.birth_forms & b.birth_forms:
        return "exact", "même nom de naissance"
    if (a.usage_forms & b.birth_forms) or (a.birth_forms & b.usage_forms):
        return "usage", "le nom d'usage de l'un est le nom de naissance de l'autre"
    if a.usage_forms & b.usage_forms:
        return "usage", "même nom d'usage"
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
    fa, fb = a.first_names_list, b.first_names_list
    if not fa or not fb:
        return None, ""
    if first_name_heads(fa) & first_name_heads(fb):
        return "exact", "même premier prénom"
    pa, pb = a.first_name_parts, b.first_name_parts
    if fa[0] in fb or fb[0] in fa or pa[0] in pb or pb[0] in pa:
        return "order", "mêmes prénoms dans un autre ordre"
    if phonetic(fa[0]) == phonetic(fb[0]) or _close(fa[0], fb[0]):
        return "fuzzy", "premiers prénoms proches"
    return None, ""


def compare(a: IdentityFacts, b: IdentityFacts) -> Match:
    """Certain: same normalised birth name + first first name + birth date, compatible birth place.
    Probable: names close (phonetic, small edit distance, usage vs birth name) or first names in another
    order, with the same birth date or day/month swapped. Never certain on a fuzzy criterion."""
    if a.birth_date is None or b.birth_date is None:
        return NO_MATCH
    if a.birth_date == b.birth_date:
        date_kind, date_reason = "same", "même date de naissance"
    elif swapped_date(a.birth_date) == b.birth_date:
        date_kind, date_reason = "swapped", "dates de naissance avec jour et mois inversés"
    else:
        return NO_MATCH
    name_kind, name_reason = _compare_names(a, b)
    if name_kind is None:
        return NO_MATCH
    first_kind, first_reason = _compare_first_names(a, b)
    if first_kind is None:
        return NO_MATCH
    # Two fuzzy criteria together are too weak (siblings, twins, chance).
    if name_kind == "fuzzy" and first_kind == "fuzzy":
        return NO_MATCH
    place_known = bool(a.birth_place_code and b.birth_place_code)
    place_same = place_known and a.birth_place_code == b.birth_place_code
    reasons = [name_reason, first_reason, date_reason]
    if place_same:
        reasons.append("même lieu de naissance")
    elif place_known:
        reasons.append("lieux de naissance différents")
    if date_kind == "same" and name_kind == "exact" and first_kind == "exact" and (place_same or not place_known):
        return Match(CERTAIN, reasons)
    return Match(PROBABLE, reasons)
