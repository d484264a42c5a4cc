"""Title pickers: a title is found by its code, its RNCP number or words of its name, never from a 753-row list."""

import datetime as dt

from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.jurys.forms import HabilitationForm
from tests.referentiels.factories import TitreProfessionnelFactory


def _search(client, q, **params):
    response = client.get(reverse("api:titres"), {"q": q, **params})
    assert response.status_code == 200
    return [r["libelle"] for r in response.json()["results"]]


def test_found_by_words_code_and_rncp_number(client):
    TitreProfessionnelFactory(intitule="Conseiller de vente", code_rncp="RNCP37098", code_titre="TP-01281")
    TitreProfessionnelFactory(intitule="Assistant de direction", code_rncp="RNCP38667", code_titre="TP-01293")
    TitreProfessionnelFactory(intitule="", code_rncp="RNCP39282")
    assert _search(client, "vente") == ["Conseiller de vente"]
    assert _search(client, "conseil VENTE") == ["Conseiller de vente"]  # word starts, any case
    assert _search(client, "ente") == []  # not inside a word
    assert _search(client, "TP-01293") == ["Assistant de direction"]
    assert _search(client, "tp 1293") == ["Assistant de direction"]
    assert _search(client, "38667") == ["Assistant de direction"]
    assert _search(client, "RNCP3928") == ["RNCP39282 (intitulé non renseigné)"]
    details = client.get(reverse("api:titres"), {"q": "vente"}).json()["results"][0]["details"]
    assert "RNCP37098" in details and "TP-01281" in details


def test_a_date_keeps_the_versions_not_yet_ended(client):
    TitreProfessionnelFactory(
        intitule="Maçon", code_rncp="RNCP435", start_date=dt.date(2015, 1, 1), end_date=dt.date(2020, 1, 1)
    )
    TitreProfessionnelFactory(intitule="Maçon", code_rncp="RNCP35309", end_date=None)
    assert len(_search(client, "macon")) == 2
    assert len(_search(client, "macon", date="2026-12-03")) == 1


def test_the_habilitation_form_offers_a_search_box_not_a_select_and_refuses_a_nameless_title():
    named = TitreProfessionnelFactory(intitule="Conseiller de vente", code_rncp="RNCP37098")
    nameless = TitreProfessionnelFactory(intitule="", code_rncp="RNCP39282")
    html = str(HabilitationForm()["titre"])
    assert BeautifulSoup(html, "html.parser").find("select") is None
    assert 'role="combobox"' in html
    assert "Conseiller de vente (RNCP37098)" in str(HabilitationForm(initial={"titre": named.pk})["titre"])
    form = HabilitationForm(data={"titre": nameless.pk, "start_date": "2026-01-01", "decision_date": "2026-01-01"})
    assert not form.is_valid()
    assert "Choisissez un titre dans la liste proposée" in form.errors["titre"][0]
