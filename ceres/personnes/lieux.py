"""THE birth place of a person, as named on the birth date: used by every screen, document, export and API.

A birth commune is stored as one name period of the INSEE history (``referentiels.Commune``), a birth abroad as a
country period (``referentiels.Pays``) plus the town typed by the agent. What is printed is the name in force on
the birth date and the département or territory of that date (``referentiels.territoires.departement_on``):
"Boulogne-Billancourt (Seine)" for a birth in 1960, "Oran (Algérie, département d'Oran)" in 1950, "Cotonou
(Dahomey)" in 1970. Printed form: docs/decisions/0009-lieu-de-naissance-imprime.md.

The stored period is normally the one valid on the birth date (forms and imports refuse any other), so the lookup
costs no query; an older file pointing to another period of the same code is looked up once, and a list of persons
looks them all up in one query per referential (``resolve_birth_places``). The result is kept on the instance (a
template asks for the label twice: ``{% if %}`` then the text).
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


def _lieu(commune: Commune | None, pays: Pays | None, ville: str, le: datetime.date | None) -> LieuNaissance | None:
    """The place from the periods valid on `le` (already looked up)."""
    if commune is not None:
        return LieuNaissance(commune.name, departement_on(commune.departement_code, le), commune.code_insee, False)
    if pays is not None:
        return LieuNaissance((ville or "").strip(), pays.name, pays.code, True)
    return None


def lieu_naissance_de(
    *, commune: Commune | None = None, pays: Pays | None = None, ville: str = "", le: datetime.date | None = None
) -> LieuNaissance | None:
    """Birth place as named on `le` (the birth date); None when neither commune nor country is known."""
    if commune is not None:
        return _lieu(_commune_on(commune, le), None, ville, le)
    return _lieu(None, _pays_on(pays, le) if pays is not None else None, ville, le)


MEMO = "_ceres_lieu_naissance"  # instance attribute: (facts it was computed from, LieuNaissance | None)


def _facts(personne) -> tuple:
    return (
        personne.birth_commune_id,
        personne.birth_country_id,
        getattr(personne, "birth_town_abroad", ""),
        personne.birth_date,
    )


def lieu_naissance(personne) -> LieuNaissance | None:
    """Birth place of a candidate or a juror (anything with the ``personnes.Identite`` fields), computed once per
    instance while its birth facts stay the same."""
    facts = _facts(personne)
    memo = personne.__dict__.get(MEMO)
    if memo is not None and memo[0] == facts:
        return memo[1]
    lieu = lieu_naissance_de(
        commune=personne.birth_commune if personne.birth_commune_id else None,
        pays=personne.birth_country if personne.birth_country_id else None,
        ville=getattr(personne, "birth_town_abroad", ""),
        le=personne.birth_date,
    )
    personne.__dict__[MEMO] = (facts, lieu)
    return lieu


def _latest_valid(rows, day: datetime.date | None):
    """The row ``.valid_on(day).order_by("-start_date").first()`` returns on PostgreSQL (no start first)."""
    valid = [row for row in rows if valid_on(row, day)]
    return max(valid, key=lambda row: (row.start_date is None, row.start_date or datetime.date.min), default=None)


def resolve_birth_places(personnes) -> None:
    """Birth places of a page of persons (their ``birth_commune`` / ``birth_country`` already joined) in at most one
    query per referential, instead of one per file whose stored period is not the one of its birth date."""
    personnes = [p for p in personnes if p is not None]
    communes = {
        (p.birth_commune.code_insee, p.birth_commune.kind)
        for p in personnes
        if p.birth_commune_id and not valid_on(p.birth_commune, p.birth_date)
    }
    pays = {
        p.birth_country.code for p in personnes if p.birth_country_id and not valid_on(p.birth_country, p.birth_date)
    }
    periods: dict[tuple, list] = {}
    if communes:
        for row in Commune.objects.filter(code_insee__in={code for code, _ in communes}):
            periods.setdefault(("commune", row.code_insee, row.kind), []).append(row)
    if pays:
        for row in Pays.objects.filter(code__in=pays):
            periods.setdefault(("pays", row.code), []).append(row)
    for p in personnes:
        commune, pays_row, day = p.birth_commune if p.birth_commune_id else None, None, p.birth_date
        if commune is not None and not valid_on(commune, day):
            commune = _latest_valid(periods.get(("commune", commune.code_insee, commune.kind), ()), day) or commune
        if commune is None and p.birth_country_id:
            pays_row = p.birth_country
            if not valid_on(pays_row, day):
                pays_row = _latest_valid(periods.get(("pays", pays_row.code), ()), day) or pays_row
        lieu = _lieu(commune, pays_row, getattr(p, "birth_town_abroad", ""), day)
        p.__dict__[MEMO] = (_facts(p), lieu)


def lieu_naissance_texte(personne, default: str = "") -> str:
    lieu = lieu_naissance(personne)
    return lieu.texte if lieu else default
