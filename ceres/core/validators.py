"""Validators for French administrative identifiers (pure functions + Django validators)."""

import re

from django.core.exceptions import ValidationError

_INSEE_RE = re.compile(r"^(\d{2}|2[AB])\d{3}$")
# La Poste's SIRET is the historical exception to the Luhn key (SIREN 356 000 000).
_LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siret_errors(value: str) -> list[str]:
    value = (value or "").replace(" ", "")
    if not re.fullmatch(r"\d{14}", value):
        return ["Le SIRET doit comporter 14 chiffres."]
    if value.startswith(_LA_POSTE_SIREN):
        if sum(int(c) for c in value) % 5 != 0:
            return ["Le SIRET est invalide : sa clé de contrôle ne correspond pas."]
        return []
    if not luhn_ok(value):
        return ["Le SIRET est invalide : sa clé de contrôle ne correspond pas."]
    return []


def validate_siret(value: str) -> None:
    errors = siret_errors(value)
    if errors:
        raise ValidationError(errors[0], code="siret")
