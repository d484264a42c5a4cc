"""The COG starts on 01/01/1943: people born earlier (jurors, older candidates) keep a birth commune and country."""

import datetime as dt

from ceres.referentiels.forms import commune_errors_on, pays_errors_on
from ceres.referentiels.models import Commune, Pays
from tests.referentiels.factories import CommuneFactory, PaysFactory

BORN = dt.date(1938, 5, 2)


def test_names_in_use_in_1943_are_valid_before():
    lyon = CommuneFactory(code_insee="69123", name="Lyon", start_date=dt.date(1943, 1, 1))
    maroc = PaysFactory(code="99350", name="Maroc", start_date=dt.date(1943, 1, 1))
    assert commune_errors_on(lyon, BORN) == []
    assert pays_errors_on(maroc, BORN) == []
    assert list(Commune.objects.valid_on(BORN)) == [lyon]
    assert list(Pays.objects.valid_on(BORN)) == [maroc]


def test_names_created_later_are_still_refused():
    nouvelle = CommuneFactory(code_insee="01999", name="Nouvelle", start_date=dt.date(1965, 1, 1))
    assert commune_errors_on(nouvelle, BORN) == [
        "La commune « Nouvelle » n'existait pas encore sous ce nom le 02/05/1938 (depuis le 01/01/1965)."
    ]
    assert not Commune.objects.valid_on(BORN).exists()
