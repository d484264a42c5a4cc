import csv
import datetime as dt
import html as htmllib
import io

import pytest
from django.urls import reverse

from ceres.comptes.enums import Role
from ceres.comptes.models import User
from ceres.core.models import JournalEntry
from ceres.jurys.models import MembreJury
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import CommuneFactory, TitreProfessionnelFactory, UniteDepartementaleFactory


def text(response) -> str:
    return htmllib.unescape(response.content.decode())


@pytest.fixture
def ud():
    return UniteDepartementaleFactory()


@pytest.fixture
def agent(ud):
    return User.objects.create(email="agent@ud.test", role=Role.AGENT_UD, ud=ud)


@pytest.fixture
def titre():
    return TitreProfessionnelFactory(
        intitule="Chargé d'accueil touristique", start_date=dt.date(2023, 8, 1), end_date=dt.date(2028, 8, 1)
    )


def test_habilitation_screen_shows_both_dates_and_why(client, agent, ud, titre):
    habilitation = HabilitationFactory(titre=titre, membre__ud=ud)
    client.force_login(agent)
    html = text(client.get(reverse("jurys:habilitation_detail", args=[habilitation.public_id])))
    assert "Jusqu'à la fin de vie du titre (01/08/2028)" in html
    assert '<dd id="fin-effective">31/07/2030</dd>' in html
    assert (
        "Prolongée jusqu'au 31/07/2030 : fin de vie du titre le 01/08/2028, sessions CFA/CRP possibles 24 mois "
        "au-delà." in html
    )
    fixed = HabilitationFactory(titre=titre, membre__ud=ud, date_fixe=True)
    html = text(client.get(reverse("jurys:habilitation_detail", args=[fixed.public_id])))
    assert '<dd id="fin-effective">01/01/2027</dd>' in html
    assert "non prolongée" in html


def test_reading_a_file_is_journaled(client, agent, ud, titre):
    membre = HabilitationFactory(titre=titre, membre__ud=ud).membre
    client.force_login(agent)
    html = text(client.get(reverse("jurys:membre_detail", args=[membre.public_id])))
    assert "31/07/2030" in html
    entry = JournalEntry.objects.get(action="view")
    assert entry.actor == agent
    assert entry.object_id == str(membre.public_id)


def test_create_then_duplicate_proposes_the_existing_file(client, agent):
    client.force_login(agent)
    data = {
        "civility": "MME",
        "birth_name": "Dupont",
        "first_names": "Marie",
        "birth_date": "1975-03-12",
        "birth_commune": CommuneFactory(code_insee="69123", name="Lyon").pk,
        "email": "marie@exemple.fr",
    }
    response = client.post(reverse("jurys:membre_create"), data)
    membre = MembreJury.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jurys:membre_detail", args=[membre.public_id])
    response = client.post(reverse("jurys:membre_create"), data | {"birth_name": "DUPONT"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce membre de jury existe déjà" in html
    assert reverse("jurys:membre_detail", args=[membre.public_id]) in html
    assert MembreJury.objects.count() == 1


def test_habilitation_form_then_suspend(client, agent, ud, titre):
    membre = MembreJuryFactory(ud=ud)
    client.force_login(agent)
    response = client.post(
        reverse("jurys:habilitation_create", args=[membre.public_id]),
        {"titre": titre.pk, "start_date": "2024-01-01", "until_end_of_life": "on", "decision_date": "2023-12-15"},
    )
    habilitation = membre.habilitations.get()
    assert response["Location"] == reverse("jurys:habilitation_detail", args=[habilitation.public_id])
    url = reverse("jurys:habilitation_status", args=[habilitation.public_id])
    html = text(client.post(url, {"status": "suspendue", "reason": ""}))
    assert "Indiquez le motif" in html
    client.post(url, {"status": "suspendue", "reason": "Enquête"})
    habilitation.refresh_from_db()
    assert habilitation.status == "suspendue"


def test_jurors_to_convene_page_and_csv_for_a_centre_user(client, titre):
    HabilitationFactory(titre=titre, membre__birth_name="Prolongé", membre__first_names="Léa")
    HabilitationFactory(titre=titre, date_fixe=True, membre__birth_name="Fixe")
    user = User.objects.create(email="c@centre.test", role=Role.GESTIONNAIRE_CENTRE)
    client.force_login(user)
    url = reverse("jurys:a_convoquer")
    params = {"titre": titre.pk, "start_date": "2030-07-30", "end_date": "2030-07-31"}
    html = text(client.get(url, params))
    assert "PROLONGÉ" in html
    assert "FIXE" not in html
    assert "Prolongée jusqu'au 31/07/2030" in html
    partial = text(client.get(url, params, headers={"HX-Request": "true"}))
    assert "<html" not in partial and "PROLONGÉ" in partial
    assert "Aucun membre de jury" in text(client.get(url, params | {"start_date": "2030-08-01", "end_date": ""}))
    response = client.get(url, params | {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Nom"
    assert rows[1][:2] == ["PROLONGÉ", "Léa"]
    assert rows[1][9] == "31/07/2030"
    # No birth data for centre users.
    assert "Date de naissance" not in rows[0] and "naissance" not in html.lower()


def test_juror_sees_own_habilitations_with_effective_end(client, titre):
    user = User.objects.create(email="j@jury.test", role=Role.MEMBRE_JURY)
    HabilitationFactory(titre=titre, membre__user=user)
    client.force_login(user)
    html = text(client.get(reverse("jurys:mon_espace")))
    assert "Mes habilitations" in html
    assert "31/07/2030" in html
    assert "Prolongée jusqu'au 31/07/2030" in html


@pytest.mark.parametrize(
    "dates, expected",
    [
        ({"start_date": "2025-01-01"}, "Indiquez une date de fin ou cochez « jusqu'à la fin de vie du titre »."),
        (
            {"start_date": "2025-01-01", "end_date": "2024-12-31"},
            "La fin (31/12/2024) précède le début (01/01/2025).",
        ),
    ],
)
def test_habilitation_form_explains_wrong_dates_in_french(client, agent, ud, titre, dates, expected):
    membre = MembreJuryFactory(ud=ud)
    client.force_login(agent)
    response = client.post(reverse("jurys:habilitation_create", args=[membre.public_id]), {"titre": titre.pk} | dates)
    html = text(response)
    assert response.status_code == 200
    assert expected in html
    assert "contrainte" not in html.lower() and "constraint" not in html.lower()
    assert not membre.habilitations.exists()


def test_birth_in_a_commune_and_a_country_is_refused_in_french(client, agent):
    from tests.referentiels.factories import PaysFactory

    client.force_login(agent)
    data = {
        "civility": "M",
        "birth_name": "Martin",
        "first_names": "Paul",
        "birth_date": "1970-05-02",
        "birth_commune": CommuneFactory(code_insee="69123", name="Lyon").pk,
        "birth_country": PaysFactory(name="Italie").pk,
    }
    html = text(client.post(reverse("jurys:membre_create"), data))
    assert "Indiquez soit une commune de naissance en France, soit un pays de naissance, pas les deux." in html
    assert "contrainte" not in html.lower()
    assert not MembreJury.objects.exists()


def test_duplicate_managed_by_another_ud_is_named_but_not_linked(client, agent):
    lyon = CommuneFactory(code_insee="69123", name="Lyon")
    autre_ud = UniteDepartementaleFactory()
    existing = MembreJuryFactory(
        ud=autre_ud, birth_name="Dupont", first_names="Marie", birth_date=dt.date(1975, 3, 12), birth_commune=lyon
    )
    client.force_login(agent)
    data = {
        "civility": "MME",
        "birth_name": "Dupont",
        "first_names": "Marie",
        "birth_date": "1975-03-12",
        "birth_commune": lyon.pk,
    }
    html = text(client.post(reverse("jurys:membre_create"), data))
    assert "Ce membre de jury existe déjà" in html
    assert reverse("jurys:membre_detail", args=[existing.public_id]) not in html
    assert f"Cette fiche est gérée par {autre_ud}" in html
    assert MembreJury.objects.count() == 1


def test_jurors_to_convene_csv_is_inert_in_a_spreadsheet(client, titre):
    # Before: a juror named =HYPERLINK(...) was exported as a live formula in the centre's spreadsheet.
    HabilitationFactory(
        titre=titre,
        membre__birth_name="Piège",
        membre__first_names='=HYPERLINK("http://evil.test","Cliquez")',
        membre__phone="+33 6 00 00 00 00",
    )
    client.force_login(User.objects.create(email="c@centre.test", role=Role.GESTIONNAIRE_CENTRE))
    params = {"titre": titre.pk, "start_date": "2030-07-30", "end_date": "2030-07-31", "export": "csv"}
    response = client.get(reverse("jurys:a_convoquer"), params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == '\'=HYPERLINK("http://evil.test","Cliquez")'
    assert rows[1][3] == "'+33 6 00 00 00 00"


def test_a_file_confirmed_as_another_person_reaches_the_uds_review(client, agent):
    """Issue #12: a probable pair confirmed as "another person" was only in the journal."""
    client.force_login(agent)
    data = {
        "civility": "MME",
        "birth_name": "Dupont",
        "first_names": "Marie",
        "birth_date": "1975-03-12",
        "birth_commune": CommuneFactory(code_insee="69123", name="Lyon").pk,
    }
    client.post(reverse("jurys:membre_create"), data)
    similar = data | {"birth_name": "Dupond"}
    assert client.post(reverse("jurys:membre_create"), similar).status_code == 200  # proposed, not created
    assert client.post(reverse("jurys:membre_create"), similar | {"confirm_other_person": "on"}).status_code == 302
    listing = text(client.get(reverse("jurys:membre_list")))
    assert "1 homonymie de jurés à vérifier" in listing
    page = text(client.get(reverse("jurys:homonymies")))
    assert "Marie DUPOND" in page and "Marie DUPONT" in page and agent.email in page
    homonymie = MembreJury.objects.get(birth_name="Dupond").homonymies.get()
    response = client.post(reverse("jurys:homonymies"), {"homonymie": homonymie.public_id})
    assert response.status_code == 302
    homonymie.refresh_from_db()
    assert homonymie.reviewed_by == agent
    assert "Aucune homonymie à vérifier" in text(client.get(reverse("jurys:homonymies")))
    # Another UD's agent does not see it; a forged id is a 404, not a 500.
    other = User.objects.create(email="autre@ud.test", role=Role.AGENT_UD, ud=UniteDepartementaleFactory())
    client.force_login(other)
    assert "Aucune homonymie" in text(client.get(reverse("jurys:homonymies")))
    assert client.post(reverse("jurys:homonymies"), {"homonymie": "pas-un-uuid"}).status_code == 404
