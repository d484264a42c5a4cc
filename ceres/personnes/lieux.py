"""THE birth place of a person, as named on the birth date: used by every screen, document, export and API.

A birth commune is stored as one name period of the INSEE history (``referentiels.Commune``), a birth abroad as a
country period (``referentiels.Pays``) plus the town typed by the agent. What is printed is the name in force on
the birth date and the département or territory of that date (``referentiels.territoires.departement_on``):
"Boulogne-Billancourt (Seine)" for a birth in 1960, "Oran (Algérie, département d'Oran)" in 1950, "Cotonou
(Dahomey)" in 1970. Printed form: docs/decisions/0009-lieu-de-naissance-imprime.md.

The stored period is normally the one valid on the birth date (forms and imports refuse any other), so the lookup
costs no query; an older file pointing to another period of the same code is looked up once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ceres.personnes.rules import birth_place_text, valid_on
from ceres.referentiels.models import Commune, Pays
from ceres.referentiels.territoires import departement_on


@dataclass(frozen=True)
class LieuNaissance:
    nom: str  # commune as named on the birth date, or the town abroad as typed
    territoire: str  # département or territory of that date, or the country as named then
    code: str  # INSEE code of the commune, or of the country (99xxx, 98xxx for a former territory)
    etranger: bool

    @property
    def texte(self) -> str:
        return birth_place_text(self.nom, self.territoire)

    def __str__(self) -> str:
        return self.texte


def _commune_on(commune: Commune, day: datetime.date | None) -> Commune:
    if valid_on(commune, day):
        return commune
    rows = Commune.objects.filter(code_insee=commune.code_insee, kind=commune.kind).valid_on(day)
    return rows.order_by("-start_date").first() or commune


def _pays_on(pays: Pays, day: datetime.date | None) -> Pays:
    if valid_on(pays, day):
        return pays
    return Pays.objects.filter(code=pays.code).valid_on(day).order_by("-start_date").first() or pays


def lieu_naissance_de(
    *, commune: Commune | None = None, pays: Pays | None = None, ville: str = "", le: datetime.date | None = None
) -> LieuNaissance | None:
    """Birth place as named on `le` (the birth date); None when neither commune nor country is known."""
    if commune is not None:
        row = _commune_on(commune, le)
        return LieuNaissance(row.name, departement_on(row.departement_code, le), row.code_insee, False)
    if pays is not None:
        row = _pays_on(pays, le)
        return LieuNaissance((ville or "").strip(), row.name, row.code, True)
    return None


def lieu_naissance(personne) -> LieuNaissance | None:
    """Birth place of a candidate or a juror (anything with the ``personnes.Identite`` fields)."""
    return lieu_naissance_de(
        commune=personne.birth_commune if personne.birth_commune_id else None,
        pays=personne.birth_country if personne.birth_country_id else None,
        ville=getattr(personne, "birth_town_abroad", ""),
        le=personne.birth_date,
    )


def lieu_naissance_texte(personne, default: str = "") -> str:
    lieu = lieu_naissance(personne)
    return lieu.texte if lieu else default
