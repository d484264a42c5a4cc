import datetime as dt

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from ceres.jurys import demo, selectors
from ceres.jurys.models import Habilitation, MembreJury
from tests.referentiels.factories import (
    CommuneFactory,
    DepartementFactory,
    TitreProfessionnelFactory,
    UniteDepartementaleFactory,
)


def test_demo_seed_is_idempotent_and_shows_the_extension():
    for code in ("01", "69"):
        UniteDepartementaleFactory(departement=DepartementFactory(code=code))
    CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")
    CommuneFactory(code_insee="01053", name="Bourg-en-Bresse", departement_code="01")
    catl = TitreProfessionnelFactory(
        code_rncp="RNCP37396", start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1)
    )
    TitreProfessionnelFactory(code_rncp="RNCP38667", end_date=dt.date(2029, 7, 29))
    TitreProfessionnelFactory(code_rncp="RNCP37098", end_date=dt.date(2028, 1, 25))
    user = User.objects.create(email="jury@ceres.demo", role=Role.MEMBRE_JURY)

    first = demo.seed()
    assert first == {"membres de jury": 5, "membres créés": 5, "habilitations créées": 10}
    assert demo.seed() == {"membres de jury": 5, "membres créés": 0, "habilitations créées": 0}
    assert MembreJury.objects.get(user=user).habilitations.count() == 2
    rows = selectors.jurors_to_convene(titre=catl, days=[dt.date(2030, 7, 31)])
    assert sorted(r.membre.former_id for r in rows) == ["DEMO-J1", "DEMO-J3"]
    assert Habilitation.objects.filter(status="suspendue").count() == 1
