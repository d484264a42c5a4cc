"""What a user notices: declarations reviewed by the UD, real homonymy reasons, the same refusals at entry and at
import, twins no longer certain, birth places of the date on the candidate file."""

import datetime as dt

import pytest
from django.urls import reverse

from ceres.candidats import services
from ceres.candidats.importers import import_candidats
from ceres.candidats.models import Civilite, DoublonPotentiel
from tests.candidats.factories import CandidatFactory
from tests.comptes.factories import UserFactory
from tests.referentiels.factories import CommuneFactory, PaysFactory

BIRTH = dt.date(1980, 5, 1)
HEADER = (
    "civilite;nom_naissance;prenoms;date_naissance;commune_naissance_insee;pays_naissance;ville_naissance_etranger"
)


@pytest.fixture
def ain():
    return CommuneFactory(code_insee="01053", name="Bourg-en-Bresse", departement_code="01")


@pytest.fixture
def agent():
    return UserFactory(agent_ud=True)


def data(place, **overrides):
    values = {
        "civility": Civilite.MONSIEUR,
        "birth_name": "Dupont",
        "first_names": "Jean Marc",
        "birth_date": BIRTH,
        "birth_commune": place,
        "commune": place,  # residence in the Ain: the file is in the scope of the Ain UD
    }
    return values | overrides


class TestDeclarationsForTheUd:
    def test_twins_are_only_probable_and_the_confirmation_is_kept_with_who_made_it(self, ain, agent):
        twin = CandidatFactory(birth_name="Dupont", first_names="Jean Luc", birth_date=BIRTH, birth_commune=ain)
        with pytest.raises(services.DoublonsProbables) as exc:
            services.candidat_create(data=data(ain), by=agent)
        assert "même premier prénom, prénoms suivants différents (jumeaux ?)" in exc.value.matches[0][1].reasons
        created = services.candidat_create(data=data(ain), by=agent, ignore_probables=True)
        pair = DoublonPotentiel.objects.get()
        assert {pair.candidat_a, pair.candidat_b} == {twin, created}
        assert (pair.status, pair.declared_by) == (DoublonPotentiel.Statut.AUTRE_PERSONNE, agent)

    def test_a_trivial_homonymy_reason_is_refused_and_a_real_one_is_shown_to_the_ud(self, ain, agent, client):
        CandidatFactory(birth_name="DUPONT", first_names="jean-marc", birth_date=BIRTH, birth_commune=ain, commune=ain)
        with pytest.raises(services.DoublonCertain) as exc:
            services.candidat_create(data=data(ain, first_names="Jean-Marc"), by=agent, homonym_reason="x")
        assert "au moins 20 lettres et 3 mots" in exc.value.reason_errors[0]
        reason = "Deux personnes distinctes : pièces d'identité vérifiées au centre"
        services.candidat_create(data=data(ain, first_names="Jean-Marc"), by=agent, homonym_reason=reason)
        pair = DoublonPotentiel.objects.get()
        assert (pair.status, pair.declared_reason) == (DoublonPotentiel.Statut.HOMONYMIE, reason)
        ud = UserFactory(agent_ud=True, ud__departement__code="01")
        client.force_login(ud)
        page = client.get(reverse("candidats:doublons")).content.decode()
        assert "Homonymie déclarée (à vérifier)" in page and "pièces d&#x27;identité vérifiées au centre" in page

    def test_the_homonymy_box_stays_with_its_error_on_the_page(self, ain, client):
        CandidatFactory(birth_name="Dupont", first_names="Jean-Marc", birth_date=BIRTH, birth_commune=ain)
        user = UserFactory(agent_ud=True)
        client.force_login(user)
        form = {
            "civility": "M",
            "birth_name": "Dupont",
            "first_names": "Jean-Marc",
            "birth_date": "1980-05-01",
            "birth_commune": ain.pk,
            "doublon-homonym_reason": "x",
        }
        page = client.post(reverse("candidats:create"), form).content.decode()
        assert "Ce candidat existe déjà" in page and "au moins 20 lettres et 3 mots" in page


class TestSameRefusalsEverywhere:
    def test_unprintable_name_refused_on_the_page(self, ain, client):
        client.force_login(UserFactory(agent_ud=True))
        form = {"civility": "M", "birth_name": "Dupont\u202e", "first_names": "Jean 😀", "birth_date": "1980-05-01"}
        page = client.post(reverse("candidats:create"), form | {"birth_commune": ain.pk}).content.decode()
        assert "Le nom de naissance contient un caractère non imprimable sur le parchemin" in page
        assert "U+202E" in page and "emoji" in page

    def test_import_refuses_what_the_page_refuses(self, ain):
        PaysFactory(code="99352", name="Algérie", start_date=dt.date(1962, 7, 5))
        lines = [
            HEADER,
            "M;Benali;Karim;12/03/1958;;99352;Oran",
            "M;Иванов;Ivan;12/03/1980;01053;;",
            "MME;Durand;Léa\u200b;12/03/1980;01053;;",
            "MME;Durand;Léa;12/03/1980;01053;;",
        ]
        report = import_candidats("\n".join(lines).encode(), wet_run=True)
        reasons = {item.line: item.reason for item in report.rejected}
        assert "ne désignait aucun pays le 12/03/1958" in reasons[2]
        assert "alphabet cyrillique" in reasons[3]
        assert "U+200B" in reasons[4]
        assert report.created == 1


class TestBirthPlaceOfTheDate:
    def test_candidate_file_prints_the_departement_of_the_birth_date(self, client):
        oran = CommuneFactory(
            code_insee="92110", name="Oran", departement_code="92", start_date=dt.date(1943, 1, 1),
            end_date=dt.date(1962, 7, 5),
        )  # fmt: skip
        candidat = CandidatFactory(birth_date=dt.date(1950, 4, 2), birth_commune=oran, birth_country=None)
        assert candidat.birth_place_label == "Oran (Algérie, département d'Oran)"
        client.force_login(UserFactory(admin_national=True))
        page = client.get(reverse("candidats:detail", args=[candidat.public_id])).content.decode()
        assert "Oran (Algérie, département d&#x27;Oran)" in page and "Hauts-de-Seine" not in page
