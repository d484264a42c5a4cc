"""The labelled evaluation set (tests/personnes/evaluation, 200+ pairs from the INSEE history): thresholds of #12.

Two measures, on the same pairs:
- the comparison alone (``compare`` with the geography of birth places), pair by pair;
- the whole duplicate check as the page, the import and the API run it (``doublons_find``: blocking keys in
  the index, then the comparison), after creating the first file of every pair: the keys must find the pair.
"""

import pytest

from ceres.candidats import selectors, services
from ceres.personnes.geographie import Geographie
from ceres.personnes.identite import compare
from tests.personnes import evaluation


@pytest.fixture
def referentiel(db):
    return evaluation.load_referentiel()


def assert_thresholds(result: evaluation.Score):
    report = "\n".join(result.lines() + result.misses)
    assert result.pairs >= 150, report
    assert result.certain_recall >= 0.99, report
    assert result.any_recall >= 0.98, report
    assert result.certain_precision >= 0.99, report


def test_comparison_meets_the_thresholds(referentiel):
    pairs = evaluation.pairs()
    places = Geographie()
    levels = [compare(evaluation.facts(p["a"]), evaluation.facts(p["b"]), places).level for p in pairs]
    assert_thresholds(evaluation.score(pairs, levels))


def test_every_family_is_represented():
    pairs = evaluation.pairs()
    labels = {p["cas"].split(" : ")[0] for p in pairs}
    for expected in (
        "fusion",
        "devenue commune déléguée",
        "devenue commune associée",
        "commune associée",
        "chaîne",
        "arrondissement",
        "pays renommé",
        "nom et prénom inversés",
        "nom composé et l'une de ses parties",
        "date à un jour près",
        "jumeaux",
        "communes sœurs",
        "Saint / St",
    ):
        assert expected in labels


def test_the_duplicate_check_finds_the_same_pairs(referentiel):
    """Create the first file of each pair, then check the second one as the page would: same verdict."""
    communes, countries = referentiel
    pairs = evaluation.pairs()
    firsts = [
        services.candidat_insert(services.Candidat(**evaluation.identity(p["a"], communes, countries))) for p in pairs
    ]
    levels = []
    for pair, first in zip(pairs, firsts, strict=True):
        found = selectors.doublons_find(evaluation.facts(pair["b"]))
        levels.append(next((match.level for candidat, match in found if candidat.pk == first.pk), None))
    assert_thresholds(evaluation.score(pairs, levels))
