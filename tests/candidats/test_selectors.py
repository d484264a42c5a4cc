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


def test_search_by_first_name_ignores_accents_case_and_hyphens():
    admin = UserFactory(admin_national=True)
    lea = CandidatFactory(birth_name="Martin", first_names="Léa-Marie, Anne")
    jp = CandidatFactory(birth_name="Martin", first_names="Jean Pierre")
    CandidatFactory(birth_name="Martin", first_names="Paul")
    assert list(candidats_search(admin, first_name="lea")) == [lea]
    assert list(candidats_search(admin, first_name="ANNE")) == [lea]
    assert list(candidats_search(admin, first_name="Jean-Pierre")) == [jp]
    assert list(candidats_search(admin, q="martin", first_name="jean pierre")) == [jp]
    assert candidats_search(admin, first_name=" ").count() == 3


def test_name_search_leaves_out_names_of_the_range_without_the_prefix():
    """Under a linguistic collation the index range of a prefix may hold other names ("br i…" for "bri"): they are
    left out and the range is read on until the page is full (simulated here with a wider range)."""
    from ceres.candidats.models import Candidat
    from ceres.candidats.selectors import NameSearch

    others = [CandidatFactory(birth_name=f"Bra{c}") for c in "abc"]
    wanted = [CandidatFactory(birth_name=f"Bri{c}") for c in "ab"]
    wider = Candidat.objects.filter(name_key__gte="br", name_key__lt="brj")
    search = NameSearch([(wider, "name_key", "id")], related=(), prefix="bri")
    assert list(search[0:2]) == wanted
    assert search.bounded_count(1) == 2  # "more than one": both found past the three other names
    assert search.count() == 2
    assert all(c not in search[0:5] for c in others)


def test_duplicate_pairs_shown_when_both_files_are_in_scope_and_not_absorbed():
    from ceres.candidats.models import Candidat, DoublonPotentiel
    from ceres.candidats.selectors import doublons_visible_for

    ain = DepartementFactory(code="01")
    agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=ain))
    admin = UserFactory(admin_national=True)
    here = [CandidatFactory(commune=CommuneFactory(departement_code="01")) for _ in range(4)]
    away = CandidatFactory(commune=CommuneFactory(departement_code="69"))

    def pair(x, y):
        low, high = sorted((x, y), key=lambda c: c.pk)
        return DoublonPotentiel.objects.create(candidat_a=low, candidat_b=high, level="probable")

    inside, across, old = pair(here[0], here[1]), pair(here[0], away), pair(here[2], here[3])
    Candidat.objects.filter(pk=here[3].pk).update(merged_into=here[2])  # absorbed outside the merge service
    assert list(doublons_visible_for(agent)) == [inside]
    assert set(doublons_visible_for(admin)) == {inside, across}
    assert set(doublons_visible_for(agent, to_review=False)) == {inside, old}


def test_a_file_absorbed_by_a_merge_leaves_the_scoped_search_and_list():
    from ceres.candidats import services
    from ceres.candidats.models import CandidatAcces

    ain = DepartementFactory(code="01")
    agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=ain))
    survivor, absorbed = (
        CandidatFactory(birth_name="Dupont", commune=CommuneFactory(departement_code="01")) for _ in range(2)
    )
    assert set(candidats_search(agent, q="dup")) == {survivor, absorbed}
    services.candidat_merge(survivor=survivor, absorbed=absorbed, by=agent, reason="Même personne")
    assert list(candidats_search(agent, q="dup")) == [survivor]
    assert list(candidats_search(agent)) == [survivor]
    assert set(candidats_search(agent, q="dup", include_merged=True)) == {survivor, absorbed}
    assert not CandidatAcces.objects.filter(candidat=absorbed, active=True).exists()
    assert absorbed in candidats_visible_for(agent)  # still opened by its number (its page points to the survivor)
