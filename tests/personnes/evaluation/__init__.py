"""The labelled evaluation set of duplicate pairs (built by construire.py from the INSEE history) and its scoring.

Used by tests/personnes/test_evaluation.py (thresholds of issue #12) and by bench/doublons.py (figures printed
beside the synthetic set). ``load_referentiel()`` writes the Commune and Pays rows the pairs need in the current
database; ``score(levels)`` computes recall and precision from the level found for each pair.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
# Families whose true duplicates differ only in spelling or in equivalent geography: expected *certain*.
CERTAIN_FAMILIES = ("orthographe", "geographie")


def pairs() -> list[dict]:
    return json.loads((HERE / "paires.json").read_text(encoding="utf-8"))


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def load_referentiel() -> tuple[dict, dict]:
    """Create the référentiel rows of the set; returns {(code, kind, start): Commune}, {(code, start): Pays}."""
    from ceres.referentiels.models import Commune, Pays

    data = json.loads((HERE / "communes.json").read_text(encoding="utf-8"))
    communes = {}
    for row in data["communes"]:
        fields = {k: v for k, v in row.items() if k not in ("code_insee", "kind", "start_date")}
        fields["end_date"] = _date(fields["end_date"])
        commune, _ = Commune.objects.update_or_create(
            code_insee=row["code_insee"], kind=row["kind"], start_date=_date(row["start_date"]), defaults=fields
        )
        communes[(row["code_insee"], row["kind"], row["start_date"])] = commune
    countries = {}
    for row in data["pays"]:
        pays, _ = Pays.objects.update_or_create(
            code=row["code"],
            start_date=_date(row["start_date"]),
            defaults={
                "name": row["name"],
                "official_name": row.get("official_name") or "",
                "name_key": row["name_key"],
                "end_date": _date(row["end_date"]),
            },
        )
        countries[(row["code"], row["start_date"])] = pays
    return communes, countries


def identity(side: dict, communes: dict, countries: dict) -> dict:
    """Service data of one side of a pair (Candidat fields)."""
    data = {k: side[k] for k in ("civility", "birth_name", "usage_name", "first_names")}
    data["birth_date"] = dt.date.fromisoformat(side["birth_date"])
    data["birth_commune"] = communes[tuple(side["commune"])] if "commune" in side else None
    data["birth_country"] = countries[tuple(side["pays"])] if "pays" in side else None
    data["birth_town_abroad"] = side.get("birth_town_abroad", "")
    return data


def facts(side: dict):
    from ceres.personnes.identite import IdentityFacts

    place = side["commune"][0] if "commune" in side else side["pays"][0]
    return IdentityFacts(
        birth_name=side["birth_name"],
        first_names=side["first_names"],
        birth_date=dt.date.fromisoformat(side["birth_date"]),
        usage_name=side.get("usage_name", ""),
        birth_place_code=place,
    )


@dataclass
class Score:
    pairs: int
    true_pairs: int
    certain_recall: float  # on true duplicates of the spelling and geography families
    any_recall: float  # certain or probable, on every true duplicate
    certain_precision: float  # true duplicates among the pairs found certain
    any_precision: float
    misses: list[str]  # what went wrong, pair by pair (French, for the test report)

    def lines(self) -> list[str]:
        return [
            f"{self.pairs} paires ({self.true_pairs} vrais doublons, {self.pairs - self.true_pairs} autres personnes)",
            f"rappel « certain » (orthographe, géographie) : {self.certain_recall:.1%}",
            f"rappel « certain » + « probable » (tous les vrais doublons) : {self.any_recall:.1%}",
            f"précision « certain » : {self.certain_precision:.1%} ; « certain » + « probable » : "
            f"{self.any_precision:.1%}",
        ]


def score(all_pairs: list[dict], levels: list[str | None]) -> Score:
    certain_expected = [i for i, p in enumerate(all_pairs) if p["meme_personne"] and p["famille"] in CERTAIN_FAMILIES]
    true = [i for i, p in enumerate(all_pairs) if p["meme_personne"]]
    certain_found = [i for i, level in enumerate(levels) if level == "certain"]
    any_found = [i for i, level in enumerate(levels) if level]
    misses = []
    for i, pair in enumerate(all_pairs):
        level = levels[i]
        if pair["meme_personne"] and pair["famille"] in CERTAIN_FAMILIES and level != "certain":
            misses.append(f"{pair['cas']} : {level or 'rien'} au lieu de certain")
        elif pair["meme_personne"] and not level:
            misses.append(f"{pair['cas']} : rien trouvé")
        elif not pair["meme_personne"] and level == "certain":
            misses.append(f"{pair['cas']} : certain pour deux personnes différentes")

    def ratio(part, whole):
        return len(part) / len(whole) if whole else 1.0

    return Score(
        pairs=len(all_pairs),
        true_pairs=len(true),
        certain_recall=ratio([i for i in certain_expected if levels[i] == "certain"], certain_expected),
        any_recall=ratio([i for i in true if levels[i]], true),
        certain_precision=ratio([i for i in certain_found if all_pairs[i]["meme_personne"]], certain_found),
        any_precision=ratio([i for i in any_found if all_pairs[i]["meme_personne"]], any_found),
        misses=misses,
    )
