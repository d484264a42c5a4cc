from tests.jurys.factories import HabilitationFactory


def test_f():
    h = HabilitationFactory()
    assert h.membre.birth_name_key
    h2 = HabilitationFactory(date_fixe=True)
    assert h2.end_date.year == 2027
