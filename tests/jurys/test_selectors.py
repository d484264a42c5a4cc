import datetime as dt

import pytest

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from ceres.jurys import selectors
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory, UniteDepartementaleFactory

FIN_DE_VIE = dt.date(2028, 8, 1)


@pytest.fixture
def titre():
    return TitreProfessionnelFactory(start_date=dt.date(2023, 8, 1), end_date=FIN_DE_VIE)


def names(rows):
    return [r.membre.birth_name for r in rows]


class TestJurorsToConvene:
    def test_habilitation_until_end_of_life_is_extended_24_months(self, titre):
        HabilitationFactory(titre=titre, until_end_of_life=True, membre__birth_name="Prolongé")
        HabilitationFactory(titre=titre, date_fixe=True, membre__birth_name="Fixe")  # until 2027-01-01
        for day in (dt.date(2029, 6, 1), dt.date(2030, 7, 31)):
            rows = selectors.jurors_to_convene(titre=titre, days=[day])
            assert names(rows) == ["Prolongé"]
            assert rows[0].effective_end == dt.date(2030, 7, 31)
            assert rows[0].extended
            assert "fin de vie du titre le 01/08/2028" in rows[0].explanation
        assert selectors.jurors_to_convene(titre=titre, days=[dt.date(2030, 8, 1)]) == []

    def test_end_typed_on_the_last_valid_day_is_extended_like_until_end_of_life(self, titre):
        last_valid_day = FIN_DE_VIE - dt.timedelta(days=1)
        HabilitationFactory(
            titre=titre, until_end_of_life=False, end_date=last_valid_day, membre__birth_name="Dernier jour"
        )
        HabilitationFactory(
            titre=titre,
            until_end_of_life=False,
            end_date=last_valid_day - dt.timedelta(days=1),
            membre__birth_name="Veille",
        )
        assert names(selectors.jurors_to_convene(titre=titre, days=[dt.date(2030, 7, 31)])) == ["Dernier jour"]
        assert selectors.jurors_to_convene(titre=titre, days=[dt.date(2030, 8, 1)]) == []

    def test_fixed_end_before_end_of_life_is_not_extended(self, titre):
        HabilitationFactory(titre=titre, date_fixe=True, membre__birth_name="Fixe")
        assert names(selectors.jurors_to_convene(titre=titre, days=[dt.date(2027, 1, 1)])) == ["Fixe"]
        assert selectors.jurors_to_convene(titre=titre, days=[dt.date(2027, 1, 2)]) == []

    def test_all_days_must_be_covered_and_suspended_excluded(self, titre):
        HabilitationFactory(titre=titre, date_fixe=True, membre__birth_name="Fixe")
        HabilitationFactory(titre=titre, suspendue=True, membre__birth_name="Suspendu")
        assert selectors.jurors_to_convene(titre=titre, days=[dt.date(2026, 12, 31), dt.date(2027, 1, 2)]) == []

    def test_habilitation_is_valid_on_other_versions_of_the_title(self, titre):
        nouvelle = TitreProfessionnelFactory(predecessor=titre, start_date=FIN_DE_VIE, end_date=dt.date(2033, 8, 1))
        autre = TitreProfessionnelFactory()
        HabilitationFactory(titre=titre, membre__birth_name="Ancien")
        assert names(selectors.jurors_to_convene(titre=nouvelle, days=[dt.date(2029, 1, 10)])) == ["Ancien"]
        assert selectors.jurors_to_convene(titre=autre, days=[dt.date(2029, 1, 10)]) == []

    def test_trainer_is_excluded_employer_links_are_not(self, titre):
        # docs/decisions/0007: training a candidate is a refusal; an employer link is a warning (examens).
        formateur = HabilitationFactory(titre=titre, membre__birth_name="Formateur").membre
        HabilitationFactory(titre=titre, membre__birth_name="Collègue", membre__employer_name="Boulangerie Martin")
        HabilitationFactory(titre=titre, membre__birth_name="Siret", membre__employer_siret="73282932000074")
        HabilitationFactory(titre=titre, membre__birth_name="Libre")
        rows = selectors.jurors_to_convene(
            titre=titre,
            days=[dt.date(2026, 5, 4)],
            trainer_membre_ids=[formateur.pk],
        )
        assert names(rows) == ["Collègue", "Libre", "Siret"]

    def test_centre_departement_first_then_neighbours_then_region(self, titre):
        centre_dep = DepartementFactory()
        voisin = DepartementFactory(region=centre_dep.region)
        region = DepartementFactory(region=centre_dep.region)
        loin = DepartementFactory()
        centre_dep.neighbours.add(voisin)
        for dep, name in ((loin, "Loin"), (region, "Région"), (voisin, "Voisin"), (centre_dep, "Local")):
            HabilitationFactory(
                titre=titre, membre__birth_name=name, membre__ud=UniteDepartementaleFactory(departement=dep)
            )
        rows = selectors.jurors_to_convene(titre=titre, days=[dt.date(2026, 5, 4)], departement=centre_dep)
        assert names(rows) == ["Local", "Voisin", "Région", "Loin"]
        assert [r.distance_label for r in rows] == [
            "Même département",
            "Département limitrophe",
            "Même région",
            "Autre région",
        ]
        assert {r.recent_sessions for r in rows} == {0}


class TestScopes:
    def test_ud_sees_its_files_juror_sees_themself(self):
        ud = UniteDepartementaleFactory()
        mine = MembreJuryFactory(ud=ud)
        other = MembreJuryFactory()
        agent = User.objects.create(email="ud@x.test", role=Role.AGENT_UD, ud=ud)
        juror_user = User.objects.create(email="j@x.test", role=Role.MEMBRE_JURY)
        other.user = juror_user
        other.save()
        admin = User.objects.create(email="a@x.test", role=Role.ADMIN_NATIONAL)
        centre = User.objects.create(email="c@x.test", role=Role.GESTIONNAIRE_CENTRE)
        assert list(selectors.membres_visible_for(agent)) == [mine]
        assert list(selectors.membres_visible_for(juror_user)) == [other]
        assert set(selectors.membres_visible_for(admin)) == {mine, other}
        assert list(selectors.membres_visible_for(centre)) == []
        assert list(selectors.membres_manageable_by(admin)) == []


def test_recent_sessions_counted_from_convocations(titre):
    from tests.examens.factories import MembreConvoqueFactory, SessionExamenFactory

    busy = HabilitationFactory(titre=titre, membre__birth_name="Occupé").membre
    HabilitationFactory(titre=titre, membre__birth_name="Disponible")
    for day in (dt.date(2026, 3, 1), dt.date(2026, 9, 1), dt.date(2024, 1, 10)):  # the last one is too old
        MembreConvoqueFactory(session=SessionExamenFactory(start_date=day), membre=busy)
    rows = selectors.jurors_to_convene(titre=titre, days=[dt.date(2026, 12, 1)], today=dt.date(2026, 11, 28))
    assert [(r.membre.birth_name, r.recent_sessions) for r in rows] == [("Disponible", 0), ("Occupé", 2)]


def test_convocation_errors_explain_why_a_juror_cannot_sit(titre):
    habilitation = HabilitationFactory(
        titre=titre, date_fixe=True, membre__birth_name="Fixe", membre__first_names="Paul"
    )
    membre = habilitation.membre
    assert selectors.membre_convocation_errors(membre=membre, titre=titre, days=[dt.date(2026, 6, 1)]) == []
    assert selectors.membre_convocation_errors(membre=membre, titre=titre, days=[dt.date(2029, 6, 1)]) == [
        "Paul FIXE : l'habilitation prend fin le 01/01/2027 (session le 01/06/2029)."
    ]
    assert selectors.membre_convocation_errors(
        membre=membre, titre=titre, days=[dt.date(2026, 6, 1)], trainer_membre_ids=[membre.pk]
    ) == ["Paul FIXE : ce juré a formé ou accompagné un candidat inscrit à la session."]
    assert selectors.membre_convocation_errors(
        membre=membre, titre=TitreProfessionnelFactory(), days=[dt.date(2026, 6, 1)]
    ) == ["Paul FIXE n'est pas habilité(e) pour ce titre."]
