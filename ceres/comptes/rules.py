"""Pure rules on accounts."""

import unicodedata


def canonical_email(value: str | None) -> str:
    """The one spelling of an e-mail address used to store, look up, lock out and reset accounts.

    Unicode compatibility normalisation then full case folding (NFKC_Casefold, Unicode §3.13 / UAX #31): « ſ »
    (long s) becomes « s », the Kelvin sign « K » becomes « k », fullwidth « ｊｕｒｙ » becomes « jury », « ß » becomes
    « ss ». A dotless « ı » stays dotless: it is another address, and no comparison anywhere may equate it with « i »
    (PostgreSQL's UPPER() does, which is why lookups compare canonical forms exactly, never case-insensitively).
    """
    text = unicodedata.normalize("NFKC", (value or "").strip())
    return unicodedata.normalize("NFKC", text.casefold())
