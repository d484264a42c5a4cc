"""Commune search page and the reusable CommuneField / PaysField."""

import datetime as dt

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.urls import reverse

from ceres.core.forms import DsfrForm
from ceres.referentiels.forms import CommuneField, PaysField, commune_errors_on, pays_errors_on
from tests.referentiels.factories import CommuneFactory, PaysFactory

ARLOD_STATUT = "fusionnée le 01/01/1971 dans Bellegarde-sur-Valserine (01033), aujourd'hui Valserhône (01033)"


@pytest.fixture
def arlod():
    return CommuneFactory(arlod=True)


class TestSearchPage:
    def test_anonymous_sees_results_with_the_successor(self, client, arlod):
        response = client.get(reverse("referentiels:commune_search"), {"q": "arlod", "date": "1965-06-01"})
        assert response.status_code == 200
        page = BeautifulSoup(response.content, "html.parser")
        assert page.h1.get_text(strip=True) == "Rechercher une commune"
        row = [td.get_text(strip=True) for td in page.select("tbody tr td")]
        assert row[:3] == ["Arlod", "01018", "F" + ARLOD_STATUT[1:]]

    def test_no_result_at_that_date(self, client, arlod):
        response = client.get(reverse("referentiels:commune_search"), {"q": "arlod", "date": "1990-01-01"})
        assert "Aucune commune ne correspond à cette date" in response.content.decode()

    def test_date_before_the_cog_is_explained(self, client, arlod):
        response = client.get(reverse("referentiels:commune_search"), {"q": "arlod", "date": "1938-05-02"})
        page = BeautifulSoup(response.content, "html.parser")
        assert page.select_one("tbody td").get_text(strip=True) == "Arlod"
        assert (
            "Le Code officiel géographique commence le 01/01/1943 : les noms affichés sont ceux en vigueur à cette"
            " date, les plus proches connus du 02/05/1938." in page.get_text(" ", strip=True)
        )
        later = client.get(reverse("referentiels:commune_search"), {"q": "arlod", "date": "1965-06-01"})
        assert "Code officiel géographique commence" not in later.content.decode()

    def test_a_full_page_says_there_are_more(self, client):
        for n in range(51):
            CommuneFactory(code_insee=f"12{n:03d}", name=f"Villeneuve-{n}")
        page = BeautifulSoup(
            client.get(reverse("referentiels:commune_search"), {"q": "villeneuve"}).content, "html.parser"
        )
        assert page.select_one("#resultats").get_text(strip=True) == "Les 50 premiers résultats"
        assert len(page.select("tbody tr")) == 50
        assert "précisez le nom, le code ou la date" in page.get_text()

    def test_autocomplete_script_carries_the_csp_nonce(self, client):
        response = client.get(reverse("referentiels:commune_search"))
        page = BeautifulSoup(response.content, "html.parser")
        [script] = page.select('script[src$="referentiels/autocomplete.js"]')
        assert script["nonce"]
        assert page.select_one("[data-ceres-autocomplete]")["data-api-url"] == reverse("api:communes")


class BirthForm(DsfrForm):
    birth_date = forms.DateField(label="Date de naissance")
    birth_commune = CommuneField(label="Commune de naissance", date_field="birth_date", required=False)
    birth_country = PaysField(label="Pays de naissance", required=False)

    def clean(self):
        cleaned = super().clean()
        for message in commune_errors_on(cleaned.get("birth_commune"), cleaned.get("birth_date")):
            self.add_error("birth_commune", message)
        for message in pays_errors_on(cleaned.get("birth_country"), cleaned.get("birth_date")):
            self.add_error("birth_country", message)
        return cleaned


class TestCommuneField:
    def test_renders_text_input_hidden_pk_and_label(self, arlod):
        html = BirthForm(initial={"birth_commune": arlod.pk}).as_div()
        page = BeautifulSoup(html, "html.parser")
        widget = page.select_one("[data-ceres-autocomplete]")
        assert widget["data-date-field"] == "birth_date"
        assert widget.select_one("input[type=hidden]")["value"] == str(arlod.pk)
        text = widget.select_one("input[role=combobox]")
        assert text["value"] == f"Arlod (01018) — {ARLOD_STATUT}"
        assert page.select_one('label[for="id_birth_commune_recherche"]') is not None
        # Screen readers: the combobox controls a named listbox, collapsed until proposals arrive.
        listbox = widget.select_one("[role=listbox]")
        assert text["aria-controls"] == listbox["id"] and text["aria-expanded"] == "false"
        assert listbox["aria-label"] == "Propositions" and listbox.has_attr("hidden")

    def test_valid_at_the_birth_date(self, arlod):
        form = BirthForm(data={"birth_date": "1965-06-01", "birth_commune": str(arlod.pk)})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["birth_commune"] == arlod

    def test_commune_that_no_longer_existed_is_refused(self, arlod):
        form = BirthForm(data={"birth_date": "1990-01-01", "birth_commune": str(arlod.pk)})
        assert not form.is_valid()
        assert form.errors["birth_commune"] == [
            "La commune « Arlod » n'existait plus sous ce nom le 01/01/1990 (jusqu'au 31/12/1970)."
        ]

    def test_unknown_pk(self):
        form = BirthForm(data={"birth_date": "1990-01-01", "birth_commune": "999999"})
        assert not form.is_valid()
        assert "Choisissez une commune dans la liste proposée" in form.errors["birth_commune"][0]

    def test_country_not_yet_existing(self):
        algerie = PaysFactory(code="99352", name="Algérie", start_date=dt.date(1962, 7, 5))
        form = BirthForm(data={"birth_date": "1950-01-01", "birth_country": str(algerie.pk)})
        assert not form.is_valid()
        assert form.errors["birth_country"] == [
            "Le pays ou territoire « Algérie » n'existait pas encore sous ce nom le 01/01/1950 (depuis le 05/07/1962)."
        ]


class SiteForm(DsfrForm):
    commune = CommuneField(label="Commune du site", current_only=True)


class TestCurrentOnly:
    def test_proposals_and_value_limited_to_today(self, arlod):
        valserhone = CommuneFactory(code_insee="01033", name="Valserhône", start_date=dt.date(2019, 1, 1))
        page = BeautifulSoup(SiteForm().as_div(), "html.parser")
        assert page.select_one("[data-ceres-autocomplete]")["data-date"] == dt.date.today().isoformat()
        assert SiteForm(data={"commune": str(valserhone.pk)}).is_valid()
        form = SiteForm(data={"commune": str(arlod.pk)})
        assert not form.is_valid()
        assert form.errors["commune"] == [
            f"« Arlod » (01018) n'est plus une commune : {ARLOD_STATUT}. Choisissez une commune actuelle"
            " (communes déléguées, associées et arrondissements municipaux acceptés)."
        ]
