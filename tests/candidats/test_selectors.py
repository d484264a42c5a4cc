from ceres.candidats.selectors import candidats_search, candidats_visible_for
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory
from tests.referentiels.factories import CommuneFactory, DepartementFactory, UniteDepartementaleFactory


class TestScope:
    def test_centre_sees_files_it_created_or_registered_in_its_sessions(self):
        inscription = InscriptionFactory()
        centre = inscription.session.centre
        user = UserFactory(gestionnaire_centre=True)
        MembreCentreFactory(user=user, centre=centre)
        created = CandidatFactory(created_by_centre=centre)
        CandidatFactory()  # elsewhere
        assert set(candidats_visible_for(user)) == {inscription.candidat, created}

    def test_ud_sees_residents_and_candidates_of_its_centres(self):
        ain = DepartementFactory(code="01")
        agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=ain))
        resident = CandidatFactory(commune=CommuneFactory(departement_code="01"))
        registered = InscriptionFactory().candidat  # the session factory's centre is in 01
        CandidatFactory(commune=CommuneFactory(departement_code="69"))
        assert set(candidats_visible_for(agent)) == {resident, registered}

    def test_jury_and_anonymous_see_nothing(self, django_user_model):
        CandidatFactory()
        assert not candidats_visible_for(UserFactory(membre_jury=True)).exists()
        assert not candidats_visible_for(None).exists()


def test_search_excludes_absorbed_files_unless_asked():
    admin = UserFactory(admin_national=True)
    survivor = CandidatFactory(birth_name="Dupont")
    CandidatFactory(birth_name="Dupont", merged_into=survivor)
    assert list(candidats_search(admin, q="dupont")) == [survivor]
    assert candidats_search(admin, q="DUPONT", include_merged=True).count() == 2
