import pytest

from ceres.core.text import fold, search_key
from ceres.core.validators import siret_errors

pytestmark = pytest.mark.no_django_db


def test_fold_removes_accents_case_and_separators():
    assert fold("L'Abergement-Clémenciat") == "l abergement clemenciat"


def test_search_key_expands_saint_and_drops_leading_article():
    assert search_key("st etienne") == "saint etienne"
    assert search_key("L'Abergement-Clémenciat") == "abergement clemenciat"
    assert search_key("Le") == "le"


def test_siret_check_digit():
    assert siret_errors("11000007200014") == []  # Ministère du Travail
    assert siret_errors("11000007200015") == ["Le SIRET est invalide : sa clé de contrôle ne correspond pas."]
    assert siret_errors("123") == ["Le SIRET doit comporter 14 chiffres."]


def test_fold_spells_out_ligatures_whatever_the_case():
    assert fold("ŒUVRE Æ cœur") == "oeuvre ae coeur"
