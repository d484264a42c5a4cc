"""National parameters: the national administrator sees every deadline CERES reads and changes it on a page;
the change applies at once and is journaled with its author and reason."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceres.core.journal import journal_for
from ceres.referentiels import parametres, rules, services
from ceres.referentiels.models import Parametre
from tests.comptes.factories import UserFactory

CODE = "DELAI_PROLONGATION_MOIS"


@pytest.fixture
def admin():
    return UserFactory(admin_national=True)


def _rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in soup.select("tbody tr")]


class TestRules:
    pytestmark = pytest.mark.no_django_db

    def test_bounds(self):
        assert rules.parametre_problems(0, "mois") == []
        assert rules.parametre_problems(120, "mois") == []
        assert rules.parametre_problems(-1, "mois") == ["La valeur ne peut pas être négative (-1 mois)."]
        assert rules.parametre_problems(121, "mois") == ["121 mois dépasse dix ans (120 mois) : vérifiez la saisie."]


class TestService:
    def test_first_edit_creates_the_row_and_journals_it(self, admin):
        assert parametres.get(CODE) == 12
        row = services.parametre_update(code=CODE, value=18, reason="Arrêté du 1er janvier 2027", by=admin)
        assert parametres.get(CODE) == 18
        assert row.label == parametres.DEFAUTS[CODE].label
        entry = journal_for(row).get()
        assert entry.actor == admin
        assert entry.action == "create"
        assert entry.reason == "Arrêté du 1er janvier 2027"
        assert entry.changes["value"] == {"avant": None, "après": 18}

    def test_later_edit_journals_before_and_after(self, admin):
        services.parametre_update(code=CODE, value=18, by=admin)
        services.parametre_update(code=CODE, value=6, by=admin)
        last = journal_for(Parametre.objects.get(code=CODE)).order_by("-created_at", "-id").first()
        assert last.action == "update"
        assert last.changes == {"value": {"avant": 18, "après": 6}}

    def test_same_value_writes_no_journal_line(self, admin):
        services.parametre_update(code=CODE, value=18, by=admin)
        services.parametre_update(code=CODE, value=18, by=admin)
        assert journal_for(Parametre.objects.get(code=CODE)).count() == 1

    def test_refusals_are_explained(self, admin):
        with pytest.raises(ValidationError) as error:
            services.parametre_update(code=CODE, value=-3, by=admin)
        assert error.value.messages == ["La valeur ne peut pas être négative (-3 mois)."]
        with pytest.raises(ValidationError) as error:
            services.parametre_update(code="INCONNU", value=3, by=admin)
        assert error.value.messages == ["Le paramètre « INCONNU » n'existe pas."]
        assert not Parametre.objects.exists()


class TestPages:
    def test_list_shows_every_parameter_with_its_default(self, client, admin):
        Parametre.objects.create(code=CODE, label="x", value=18)
        client.force_login(admin)
        rows = _rows(client.get(reverse("referentiels:parametre_list")))
        assert len(rows) == len(parametres.DEFAUTS)
        row = next(r for r in rows if CODE in r[0])
        assert row[1:3] == ["18 mois modifiée", "12 mois"]
        untouched = next(r for r in rows if "DELAI_REPASSAGE_MOIS" in r[0])
        assert untouched[1:3] == ["12 mois", "12 mois"]

    def test_edit_applies_at_once(self, client, admin):
        client.force_login(admin)
        url = reverse("referentiels:parametre_update", kwargs={"code": CODE})
        form = BeautifulSoup(client.get(url).content, "html.parser")
        assert form.find("input", {"name": "value"})["value"] == "12"
        assert form.find("label", {"for": "id_value"}).get_text(" ", strip=True).startswith("Valeur (en mois)")
        response = client.post(url, {"value": "24", "reason": "Note de version 1.3"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("referentiels:parametre_list")
        assert "24 mois" in response.content.decode()
        assert parametres.get(CODE) == 24
        assert journal_for(Parametre.objects.get(code=CODE)).get().reason == "Note de version 1.3"

    def test_invalid_value_shows_the_reason(self, client, admin):
        client.force_login(admin)
        url = reverse("referentiels:parametre_update", kwargs={"code": CODE})
        response = client.post(url, {"value": "200"})
        assert response.status_code == 200
        assert "200 mois dépasse dix ans" in response.content.decode()
        response = client.post(url, {"value": "-1"})
        assert "La valeur ne peut pas être négative (-1 mois)." in response.content.decode()
        response = client.post(url, {"value": "douze"})
        assert "Saisissez un nombre entier." in response.content.decode()
        assert parametres.get(CODE) == 12

    def test_other_roles_are_told_why(self, client):
        client.force_login(UserFactory(agent_dreets=True))
        response = client.get(reverse("referentiels:parametre_list"))
        assert response.status_code == 403
        text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
        assert "Les paramètres nationaux sont réservés à l'administration nationale." in text

    def test_menu_entry_for_the_national_administrator(self, client, admin):
        client.force_login(admin)
        assert reverse("referentiels:parametre_list") in client.get("/").content.decode()


def test_edit_page_shows_the_history(client, admin):
    services.parametre_update(code=CODE, value=18, reason="Arrêté du 1er janvier 2027", by=admin)
    client.force_login(admin)
    text = BeautifulSoup(
        client.get(reverse("referentiels:parametre_update", kwargs={"code": CODE})).content, "html.parser"
    )
    panel = text.select_one(".ceres-historique").get_text(" ", strip=True)
    assert "Arrêté du 1er janvier 2027" in panel and "18" in panel
