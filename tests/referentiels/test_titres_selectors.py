import datetime as dt

import pytest

from ceres.referentiels import selectors
from ceres.referentiels.models import Parametre, TitreProfessionnel
from ceres.referentiels.rules import Statut
from tests.referentiels.factories import TitreProfessionnelFactory

TODAY = dt.date(2026, 11, 28)
DATES = [
    (None, None),
    (dt.date(2024, 7, 29), dt.date(2029, 7, 29)),
    (None, dt.date(2025, 9, 1)),
    (None, dt.date(2026, 11, 28)),
    (None, dt.date(2024, 11, 29)),
    (None, dt.date(2024, 11, 28)),
    (dt.date(2016, 2, 22), dt.date(2021, 2, 22)),
    (dt.date(2027, 3, 3), None),
    (dt.date(2021, 2, 22), None),
]


@pytest.mark.parametrize("statut", [s for s, _ in Statut.FILTERS] + [Statut.INCONNU])
def test_query_matches_the_pure_rule(statut):
    for start, end in DATES:
        TitreProfessionnelFactory(start_date=start, end_date=end)
    in_query = set(TitreProfessionnel.objects.filter(selectors.statut_q(statut, TODAY)).values_list("pk", flat=True))
    by_rule = {t.pk for t in TitreProfessionnel.objects.all() if selectors.cycle_de_vie(t, TODAY).statut == statut}
    assert in_query == by_rule


def test_prolongation_follows_the_national_parameter():
    titre = TitreProfessionnelFactory(start_date=None, end_date=dt.date(2025, 9, 1))
    assert selectors.cycle_de_vie(titre, TODAY).statut == Statut.PROLONGATION
    Parametre.objects.create(code="PROLONGATION_CFA_CRP_MOIS", label="CFA/CRP", value=12)
    assert selectors.cycle_de_vie(titre, TODAY).statut == Statut.TERMINE
    assert not TitreProfessionnel.objects.filter(selectors.statut_q(Statut.PROLONGATION, TODAY)).exists()
