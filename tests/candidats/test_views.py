import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.candidats import services
from ceres.candidats.models import Candidat, DoublonPotentiel
from ceres.candidats.selectors import doublons_detect
from ceres.core.journal import journal_for
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import CentreFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory, DepartementFactory, UniteDepartementaleFactory

BIRTH = dt.date(1980, 5, 1)


@pytest.fixture
def rhone():
    dep = DepartementFactory(code="69", name="Rhône")
    return UniteDepartementaleFactory(departement=dep)


@pytest.fixture
def lyon():
    return CommuneFactory(code_insee="69123", name="Lyon", departement_code="69")


@pytest.fixture
def centre(rhone):
    return CentreFactory(departement=rhone.departement)


@pytest.fixture
def gestionnaire(client, centre):
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    client.force_login(user)
    return user


@pytest.fixture
def agent_ud(client, rhone):
    user = UserFactory(agent_ud=True, ud=rhone)
    client.force_login(user)
    return user


def form_data(lyon, **overrides):
    data = {
        "civility": "M",
        "birth_name": "DUPONT",
        "first_names": "Jean-Pierre",
        "birth_date": "1980-05-01",
        "birth_commune": str(lyon.pk),
        "email": "jp@exemple.fr",
    }
    data.update(overrides)
    return data


def text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


class TestCreate:
    def test_creates_file_for_current_centre(self, client, gestionnaire, centre, lyon):
        response = client.post(reverse("candidats:create"), form_data(lyon))
        candidat = Candidat.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("candidats:detail", args=[candidat.public_id])
        assert candidat.created_by_centre == centre

    def test_done_when_certain_duplicate_offers_existing_file(self, client, gestionnaire, centre, lyon):
        existing = CandidatFactory(
            birth_name="Dupont",
            first_names="jean pierre",
            birth_date=BIRTH,
            birth_commune=lyon,
            created_by_centre=centre,
        )
        response = client.post(reverse("candidats:create"), form_data(lyon))
        assert response.status_code == 200
        page = text(response)
        assert "Ce candidat existe déjà" in page
        assert f"Dossier n° {existing.numero}" in page
        assert reverse("candidats:detail", args=[existing.public_id]) in response.content.decode()
        assert Candidat.objects.count() == 1

    def test_homonym_declaration(self, client, gestionnaire, lyon):
        CandidatFactory(birth_name="Dupont", first_names="Jean Pierre", birth_date=BIRTH, birth_commune=lyon)
        data = form_data(lyon, **{"doublon-homonym_reason": "Jumeaux, pièces d'identité vérifiées"})
        response = client.post(reverse("candidats:create"), data)
        assert response.status_code == 302
        assert Candidat.objects.filter(homonym_declared_reason__startswith="Jumeaux").exists()

    def test_probable_duplicate_is_listed_then_creation_can_be_confirmed(self, client, gestionnaire, lyon):
        CandidatFactory(birth_name="Dupond", first_names="Jean-Pierre", birth_date=BIRTH, birth_commune=lyon)
        response = client.post(reverse("candidats:create"), form_data(lyon))
        assert "Des dossiers ressemblent à ce candidat" in text(response)
        assert "noms de même prononciation" in text(response)
        assert Candidat.objects.count() == 1
        response = client.post(reverse("candidats:create"), form_data(lyon, **{"doublon-confirm_new": "on"}))
        assert response.status_code == 302
        assert Candidat.objects.count() == 2

    def test_form_errors_are_french(self, client, gestionnaire):
        response = client.post(
            reverse("candidats:create"),
            {"civility": "M", "birth_name": "X", "first_names": "Y", "birth_date": "1980-05-01"},
        )
        assert "Indiquez la commune de naissance" in text(response)


class TestSearchAndDetail:
    def test_search_uses_identity_normalisation(self, client, gestionnaire, centre):
        candidat = CandidatFactory(birth_name="de La Fontaine", first_names="Hélène", created_by_centre=centre)
        CandidatFactory(birth_name="Martin", created_by_centre=centre)
        CandidatFactory(birth_name="Fontaine")  # another centre's candidate: out of scope
        response = client.get(reverse("candidats:list"), {"q": "FONTAINE"})
        assert candidat.numero in text(response)
        assert "1 dossier" in text(response)
        by_number = client.get(reverse("candidats:list"), {"q": candidat.numero}, headers={"HX-Request": "true"})
        assert "<html" not in by_number.content.decode()
        assert candidat.numero in text(by_number)

    def test_detail_read_is_journaled(self, client, gestionnaire, centre):
        candidat = CandidatFactory(created_by_centre=centre)
        response = client.get(reverse("candidats:detail", args=[candidat.public_id]))
        assert response.status_code == 200
        entry = journal_for(candidat).get(action="view")
        assert entry.actor == gestionnaire

    def test_update_keeps_previous_identity(self, client, agent_ud, lyon):
        candidat = services.candidat_create(
            data={
                "civility": "MME",
                "birth_name": "Martin",
                "first_names": "Sophie",
                "birth_date": BIRTH,
                "birth_commune": lyon,
                "commune": lyon,
            },
            by=agent_ud,
        )
        response = client.post(
            reverse("candidats:update", args=[candidat.public_id]),
            form_data(
                lyon,
                civility="MME",
                birth_name="Martin",
                usage_name="Durand",
                first_names="Sophie",
                commune=str(lyon.pk),
            ),
        )
        assert response.status_code == 302
        candidat.refresh_from_db()
        assert candidat.usage_name == "Durand"


class TestMergeAndDuplicates:
    def test_merge_page_keeps_everything_on_survivor(self, client, agent_ud, lyon):
        survivor = CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=BIRTH, commune=lyon)
        absorbed = CandidatFactory(birth_name="Dupond", first_names="Jean", birth_date=BIRTH, commune=lyon)
        url = reverse("candidats:merge", args=[survivor.public_id])
        preview = client.get(url, {"avec": str(absorbed.public_id)})
        assert f"Dossier absorbé n° {absorbed.numero}" in text(preview)
        response = client.post(url, {"other": absorbed.numero, "reason": "Même personne", "confirm": "on"})
        assert response.status_code == 302
        absorbed.refresh_from_db()
        assert absorbed.merged_into == survivor
        page = text(client.get(reverse("candidats:detail", args=[survivor.public_id])))
        assert "Identité d'un dossier absorbé par fusion" in page
        assert "Dupond" in page and "Dupont" in page
        assert "Dupond Jean, 01/05/1980" in page and "1980-05-01" not in page

    def test_merge_page_journals_the_read_of_both_files(self, client, agent_ud, lyon):
        survivor = CandidatFactory(commune=lyon)
        other = CandidatFactory(commune=lyon)
        client.get(reverse("candidats:merge", args=[survivor.public_id]), {"avec": str(other.public_id)})
        for candidat in (survivor, other):
            assert [(e.action, e.actor) for e in journal_for(candidat)] == [("view", agent_ud)]

    def test_pair_with_a_file_absorbed_by_another_merge_leaves_the_list(self, client, agent_ud, lyon):
        a = CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=BIRTH, commune=lyon)
        b = CandidatFactory(birth_name="Dupond", first_names="Jean", birth_date=BIRTH, commune=lyon)
        c = CandidatFactory(birth_name="Dupons", first_names="Jean", birth_date=BIRTH, commune=lyon)
        services.doublons_store(list(doublons_detect()))
        assert "3 paires à traiter" in text(client.get(reverse("candidats:doublons")))
        services.candidat_merge(survivor=a, absorbed=b, by=agent_ud, reason="Même personne")
        page = text(client.get(reverse("candidats:doublons")))
        assert "1 paire à traiter" in page
        assert c.numero in page and b.numero not in page

    def test_merge_requires_confirmation(self, client, agent_ud, lyon):
        survivor = CandidatFactory(commune=lyon)
        absorbed = CandidatFactory(commune=lyon)
        url = reverse("candidats:merge", args=[survivor.public_id])
        response = client.post(url, {"other": absorbed.numero, "reason": "x"})
        assert "cochez la confirmation" in text(response)
        assert Candidat.objects.filter(merged_into__isnull=False).count() == 0

    def test_duplicates_page_and_set_aside(self, client, agent_ud, lyon):
        CandidatFactory(birth_name="Dupont", first_names="Jean", birth_date=BIRTH, commune=lyon)
        CandidatFactory(birth_name="Dupond", first_names="Jean", birth_date=BIRTH, commune=lyon)
        services.doublons_store(list(doublons_detect()))
        page = client.get(reverse("candidats:doublons"))
        assert "1 paire à traiter" in text(page)
        pair = DoublonPotentiel.objects.get()
        assert 'name="reason"' in page.content.decode()
        response = client.post(
            reverse("candidats:doublon_ecarter", args=[pair.public_id]), {"reason": "Jumeaux, pièces vérifiées"}
        )
        assert response.status_code == 302
        pair.refresh_from_db()
        assert pair.status == DoublonPotentiel.Statut.ECARTE
        assert journal_for(pair.candidat_a).get(operation="doublon écarté").reason == "Jumeaux, pièces vérifiées"
        assert "Aucun doublon probable à traiter" in text(client.get(reverse("candidats:doublons")))


def test_detail_links_to_the_path_view_when_it_exists(client, gestionnaire, centre):
    candidat = CandidatFactory(created_by_centre=centre)
    page = client.get(reverse("candidats:detail", args=[candidat.public_id])).content.decode()
    assert "Parcours du candidat" in page


class TestMatchOutsideScope:
    """Another centre's candidate: the user sees who it is (number, name, birth date) but cannot open the file."""

    def alert(self, response):
        return " ".join(BeautifulSoup(response.content, "html.parser").select_one(".fr-alert").get_text().split())

    def test_certain_match_explains_how_to_register_the_existing_file(self, client, gestionnaire, rhone, lyon):
        other_centre = CentreFactory(departement=rhone.departement)
        existing = CandidatFactory(
            birth_name="Dupont",
            first_names="Jean Pierre",
            birth_date=BIRTH,
            birth_commune=lyon,
            created_by_centre=other_centre,
            email="secret@exemple.fr",
            address="12 rue Cachée",
        )
        response = client.post(reverse("candidats:create"), form_data(lyon))
        alert = self.alert(response)
        assert f"Dossier n° {existing.numero}" in alert and "DUPONT" in alert and "01/05/1980" in alert
        assert reverse("candidats:detail", args=[existing.public_id]) not in response.content.decode()
        assert "vous ne pouvez pas l'ouvrir" in alert
        assert "« Inscrire un candidat »" in alert and "nom de naissance et sa date de naissance" in alert
        assert "Lyon" not in alert and "secret@exemple.fr" not in text(response) and "Cachée" not in text(response)
        assert Candidat.objects.count() == 1

    def test_probable_match_shows_only_name_birth_date_and_number(self, client, gestionnaire, rhone, lyon):
        villeurbanne = CommuneFactory(code_insee="69266", name="Villeurbanne", departement_code="69")
        other = CandidatFactory(
            birth_name="Dupond",
            first_names="Jean-Pierre",
            birth_date=BIRTH,
            birth_commune=villeurbanne,
            created_by_centre=CentreFactory(departement=rhone.departement),
        )
        alert = self.alert(client.post(reverse("candidats:create"), form_data(lyon)))
        assert f"Dossier n° {other.numero}" in alert and "DUPOND" in alert and "01/05/1980" in alert
        assert "Villeurbanne" not in alert
        assert "vous ne pouvez pas l'ouvrir" not in alert  # only for certain matches

    def test_visible_match_keeps_its_link_and_details(self, client, gestionnaire, centre, lyon):
        existing = CandidatFactory(
            birth_name="Dupont",
            first_names="Jean Pierre",
            birth_date=BIRTH,
            birth_commune=lyon,
            created_by_centre=centre,
        )
        response = client.post(reverse("candidats:create"), form_data(lyon))
        alert = self.alert(response)
        assert "Lyon" in alert and "vous ne pouvez pas l'ouvrir" not in alert
        assert reverse("candidats:detail", args=[existing.public_id]) in response.content.decode()


def test_detail_links_to_the_candidate_path(client, gestionnaire, centre):
    candidat = CandidatFactory(created_by_centre=centre)
    page = client.get(reverse("candidats:detail", args=[candidat.public_id])).content.decode()
    assert reverse("examens:parcours", kwargs={"candidat_public_id": candidat.public_id}) in page


def test_candidate_list_runs_no_query_per_row(client, gestionnaire, centre, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def files(n):
        for _ in range(n):
            CandidatFactory(created_by_centre=centre, commune=CommuneFactory(), abroad=False)
        CandidatFactory(created_by_centre=centre, abroad=True)

    url = reverse("candidats:list")
    files(2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    files(20)
    with django_assert_max_num_queries(len(few)):
        page = text(client.get(url))
    assert "24 dossiers" in page


def test_detail_shows_the_address_lines_or_a_single_dash(client, agent_ud, lyon, centre):
    def address(candidat):
        page = client.get(reverse("candidats:detail", args=[candidat.public_id]))
        dt_tag = BeautifulSoup(page.content, "html.parser").find("dt", string="Adresse")
        return " ".join(dt_tag.find_next_sibling("dd").get_text(" ").split())

    assert address(CandidatFactory(commune=lyon, address="", postal_code="")) == "Lyon"
    assert address(CandidatFactory(commune=lyon, address="3 rue Neuve", postal_code="69001")) == (
        "3 rue Neuve 69001 Lyon"
    )
    assert address(CandidatFactory(address="", postal_code="", commune=None, created_by_centre=centre)) == "—"


def test_opening_a_file_in_the_back_office_is_journaled(client, lyon):
    from tests.jurys.factories import MembreJuryFactory

    admin = UserFactory(admin_national=True, is_staff=True, is_superuser=True)
    client.force_login(admin)
    candidat = CandidatFactory(commune=lyon)
    membre = MembreJuryFactory()
    for obj, url in [
        (candidat, reverse("admin:candidats_candidat_change", args=[candidat.pk])),
        (membre, reverse("admin:jurys_membrejury_change", args=[membre.pk])),
    ]:
        assert client.get(url).status_code == 200
        assert [(e.action, e.actor) for e in journal_for(obj).filter(action="view")] == [("view", admin)]


class TestHostileMergeForm:
    @pytest.mark.parametrize("field", ["other", "reason"])
    def test_nul_bytes_in_the_merge_form_get_a_french_400(self, client, agent_ud, lyon, field):
        # Before: a NUL byte in the merge form answered 500 (PostgreSQL refuses NUL in text).
        survivor = CandidatFactory(commune=lyon)
        absorbed = CandidatFactory(commune=lyon)
        client.raise_request_exception = False
        data = {"other": absorbed.numero, "reason": "Même personne", "confirm": "on"} | {field: "a\x00b"}
        response = client.post(reverse("candidats:merge", args=[survivor.public_id]), data)
        assert response.status_code == 400
        assert "La demande contient un caractère nul" in text(response)
        absorbed.refresh_from_db()
        assert absorbed.merged_into is None
