"""Text normalisation shared by search (communes, titles) and identity matching."""

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-'’‘`´_.,/()]+")
LEADING_ARTICLES = ("l", "le", "la", "les", "aux", "los")
# Common abbreviations typed by users, expanded before matching.
ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("œ", "oe").replace("æ", "ae")


def fold(text: str) -> str:
    """Lowercase, accents removed, separators (space, hyphen, apostrophe…) turned into single spaces."""
    text = strip_accents((text or "").lower())  # lower() first: « Œ » becomes « œ », then « oe »
    return _SEPARATORS.sub(" ", text).strip()


def search_key(text: str, *, drop_article: bool = True) -> str:
    """Key for prefix search: folded, abbreviations expanded, leading article dropped."""
    words = [ABBREVIATIONS.get(w, w) for w in fold(text).split()]
    if drop_article and len(words) > 1 and words[0] in LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)
