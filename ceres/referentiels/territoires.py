"""The département or territory a commune code belonged to ON A DATE (pure: repository data, no database).

A commune code prefix names today's département; a birth place must print the one of the birth date (DOMAIN §2:
"the département printed beside a birth commune is the one of the birth date"). Sources:
- loi n° 64-707 du 10 juillet 1964, effective 01/01/1968: the Seine (75) and the Seine-et-Oise (78) replaced by
  Paris, Hauts-de-Seine, Seine-Saint-Denis, Val-de-Marne, Essonne, Yvelines, Val-d'Oise (INSEE COG: communes of
  today's 91-95 carry 75xxx/78xxx codes until 31/12/1967);
- loi n° 75-356 du 15 mai 1975, effective 01/01/1976: Corse (20) split into Corse-du-Sud (2A) and Haute-Corse (2B);
- INSEE COG `v_commune_outremer_depuis_1943` and `v_tom_depuis_1943`: codes 91-94 are the départements of Algeria
  until 05/07/1962 (91 Alger, 92 Oran, 93 Constantine, 94 Territoires du Sud), 95 Morocco until 02/03/1956,
  96 Tunisia until 20/03/1956; overseas collectivities 975-989;
- loi n° 55-1082 du 7 août 1955 (département de Bône cut from Constantine), then décret n° 56-641 du 28 juin 1956
  (twelve départements, more in 1957-1958): the INSEE codes keep the 1943 départements, so after 07/08/1955 the
  département of an Algerian commune is not known from the data and only "Algérie" is printed
  (docs/decisions: printed form of historical birth places);
- renamed départements (décrets): Charente-Inférieure → Charente-Maritime (04/09/1941), Seine-Inférieure →
  Seine-Maritime (18/01/1955), Loire-Inférieure → Loire-Atlantique (09/03/1957), Basses-Pyrénées →
  Pyrénées-Atlantiques (10/10/1969), Basses-Alpes → Alpes-de-Haute-Provence (13/04/1970), Côtes-du-Nord →
  Côtes-d'Armor (27/02/1990).
"""

from __future__ import annotations

import csv
import datetime
from functools import lru_cache
from pathlib import Path

D = datetime.date
DATA_DIR = Path(__file__).parent / "data" / "territoire"

ALGERIE_FIN = D(1962, 7, 5)  # last COG day of the Algerian commune codes is 04/07/1962
ALGERIE_DEPARTEMENTS_CONNUS = D(1955, 8, 7)
ALGERIE = {
    "91": "département d'Alger",
    "92": "département d'Oran",
    "93": "département de Constantine",
    "94": "Territoires du Sud",
}
# (code, first day of the NEXT name, name before that day), oldest first for each code.
HISTORIQUE = {
    "75": [(D(1968, 1, 1), "Seine")],
    "78": [(D(1968, 1, 1), "Seine-et-Oise")],
    "20": [(D(1976, 1, 1), "Corse")],
    "95": [(D(1968, 1, 1), "Maroc")],  # Moroccan codes end on 02/03/1956, Val-d'Oise ones start in 1968
    "96": [(D(1968, 1, 1), "Tunisie")],  # Tunisian codes end on 20/03/1956
    "17": [(D(1941, 9, 4), "Charente-Inférieure")],
    "76": [(D(1955, 1, 18), "Seine-Inférieure")],
    "44": [(D(1957, 3, 9), "Loire-Inférieure")],
    "64": [(D(1969, 10, 10), "Basses-Pyrénées")],
    "04": [(D(1970, 4, 13), "Basses-Alpes")],
    "22": [(D(1990, 2, 27), "Côtes-du-Nord")],
}
# Overseas collectivities and former territories (not départements, not in v_departement_2026).
COLLECTIVITES = {
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
    "981": "Île des Faisans",
    "984": "Terres australes et antarctiques françaises",
    "985": "Mayotte",
    "986": "Wallis-et-Futuna",
    "987": "Polynésie française",
    "988": "Nouvelle-Calédonie",
    "989": "La Passion-Clipperton",
}
# Territory of a country-like unit (Algeria, Morocco, Tunisia before independence): what the birth country is.
PAYS_DU_TERRITOIRE = {"91": "Algérie", "92": "Algérie", "93": "Algérie", "94": "Algérie", "95": "Maroc"}
PAYS_DU_TERRITOIRE |= {"96": "Tunisie"}


@lru_cache(maxsize=1)
def current_names() -> dict[str, str]:
    """Today's départements (INSEE COG 2026, the file the référentiels are loaded from) and collectivities."""
    with open(DATA_DIR / "v_departement_2026.csv", encoding="utf-8", newline="") as fh:
        names = {row["DEP"]: row["LIBELLE"] for row in csv.DictReader(fh)}
    return names | COLLECTIVITES


def departement_code(code_insee: str) -> str:
    """Département (or overseas collectivity) part of a commune code: 3 characters for 97x/98x, else 2."""
    return code_insee[:3] if code_insee[:2] in ("97", "98") else code_insee[:2]


def algerie(code: str, day: datetime.date | None) -> bool:
    """Codes 91-94 are Algeria before the 1968 reform (no commune carried them between 1962 and 1968)."""
    return code in ALGERIE and day is not None and day < D(1968, 1, 1)


def departement_on(code: str, day: datetime.date | None, current_name: str = "") -> str:
    """Name of the département (or territory) `code` on `day`: "Seine" for 75 in 1960, "Algérie, département
    d'Oran" for 92 in 1950, "Algérie" for 92 in 1960, "Hauts-de-Seine" for 92 in 1980. `day` None: today.
    `current_name`: today's name as the database holds it, when the caller has it."""
    if algerie(code, day):
        return f"Algérie, {ALGERIE[code]}" if day < ALGERIE_DEPARTEMENTS_CONNUS else "Algérie"
    if day is not None:
        for until, name in HISTORIQUE.get(code, []):
            if day < until:
                return name
    return current_name or current_names().get(code, "")
