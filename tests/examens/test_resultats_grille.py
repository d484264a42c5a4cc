"""Whole-session results grid: one row per candidate, each row checked and saved on its own through the service of
the candidate's page (a refused row keeps what was typed and says why in French, the others are saved)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.core.journal import journal_for
from ceres.examens.enums import Decision, StatutSession
from ceres.examens.models import Inscription
from tests.candidats.factories import CandidatFactory
from tests.examens.factories import InscriptionFactory
from tests.examens.test_sessions_round2 import convened_session, session_for, text, travel, world  # noqa: F401


def row_of(response, candidat) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    [row] = [tr for tr in soup.select("tbody tr") if str(candidat) in tr.th.get_text()]
    return " ".join(row.get_text(" ").split()), row


@pytest.fixture
def grid(world):  # noqa: F811
    session = convened_session(world, StatutSession.EN_COURS)
    names = ("Arnaud", "Blanc", "Chevalier", "Durand")
    rows = {n: InscriptionFactory(session=session, candidat=CandidatFactory(birth_name=n)) for n in names}
    ccp1, ccp2 = session.titre.ccps.order_by("order")
    return session, rows, ccp1, ccp2


def field(ins, name):
    return f"r{ins.pk}-{name}"


@travel
def test_a_refused_row_keeps_its_values_and_reason_the_others_are_saved(client, world, grid):  # noqa: F811
    session, rows, ccp1, ccp2 = grid
    client.force_login(world["gestionnaire"])
    url = reverse("examens:resultats_grille", args=[session.public_id])
    page = client.get(url)
    assert page.status_code == 200
    labels = [label.get_text() for label in BeautifulSoup(page.content, "html.parser").select("label.fr-sr-only")]
    assert f"{ccp1} — {rows['Arnaud'].candidat}" in labels  # every cell names its column and its candidate

    data = {}
    for ins in rows.values():  # what the browser sends back: every row, as shown
        data.update({field(ins, f"ccp_{ccp1.pk}"): "", field(ins, f"ccp_{ccp2.pk}"): ""})
        data.update(
            {field(ins, "entretien_final"): "sans_objet", field(ins, "absence"): "", field(ins, "incidents"): ""}
        )
    a, b, c, d = rows.values()
    data.update({field(a, f"ccp_{ccp1.pk}"): "obtenu", field(a, f"ccp_{ccp2.pk}"): "obtenu"})
    data[field(a, "entretien_final")] = "favorable"
    data[field(b, f"ccp_{ccp1.pk}") : "obtenu"] if False else None
    data[field(b, f"ccp_{ccp1.pk}")] = "obtenu"  # CCP2 left empty: refused by the form
    data.update({field(c, f"ccp_{ccp1.pk}"): "obtenu", field(c, f"ccp_{ccp2.pk}"): "obtenu"})  # no entretien final
    data.update({field(d, f"ccp_{ccp1.pk}"): "obtenu", field(d, f"ccp_{ccp2.pk}"): "non_obtenu"})

    response = client.post(url, data)
    assert response.status_code == 200
    page = text(response)
    assert "Résultats enregistrés pour 2 candidats." in page and "2 lignes non enregistrées" in page
    for ins in rows.values():
        ins.refresh_from_db()
    assert (a.decision, d.decision) == (Decision.REUSSITE, Decision.REUSSITE_PARTIELLE)
    assert b.decision == c.decision == ""
    assert journal_for(a).filter(operation="results_record").count() == 1

    b_text, b_row = row_of(response, b.candidat)
    assert "Ce champ est obligatoire" in b_text and str(ccp2) in b_text
    assert b_row.select_one(f"#id_{field(b, f'ccp_{ccp1.pk}')} option[selected]")["value"] == "obtenu"  # kept
    assert b_row.select_one("select")["aria-describedby"] == f"erreurs-{b.public_id}"
    c_text, _ = row_of(response, c.candidat)
    assert "l'entretien final est obligatoire pour délivrer le titre" in c_text
    a_text, _ = row_of(response, a.candidat)
    assert "Réussite" in a_text and "obligatoire" not in a_text

    # The refused rows corrected and sent again: saved, the saved ones untouched (no second journal entry).
    data[field(b, f"ccp_{ccp2.pk}")] = "non_obtenu"
    data[field(c, "entretien_final")] = "defavorable"
    response = client.post(url, data)
    assert response.status_code == 302
    assert "Résultats enregistrés pour 2 candidats." in text(client.get(response["Location"]))
    assert journal_for(a).filter(operation="results_record").count() == 1
    decisions = dict(Inscription.objects.filter(session=session).values_list("candidat__birth_name", "decision"))
    assert decisions == {
        "Arnaud": Decision.REUSSITE,
        "Blanc": Decision.REUSSITE_PARTIELLE,
        "Chevalier": Decision.REUSSITE_PARTIELLE,  # both CCPs, unfavourable entretien final: no title
        "Durand": Decision.REUSSITE_PARTIELLE,
    }


@travel
def test_a_session_that_blocks_the_entry_refuses_the_grid_at_once(client, world):  # noqa: F811
    session = convened_session(world, StatutSession.CONVOCATIONS_ENVOYEES)
    ins = InscriptionFactory(session=session)
    ccp1, ccp2 = session.titre.ccps.order_by("order")
    client.force_login(world["gestionnaire"])
    url = reverse("examens:resultats_grille", args=[session.public_id])
    assert "ne peuvent pas être saisis sur une session « Convocations envoyées »" in text(client.get(url))
    data = {field(ins, f"ccp_{ccp1.pk}"): "obtenu", field(ins, f"ccp_{ccp2.pk}"): "obtenu"}
    data[field(ins, "entretien_final")] = "favorable"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ne peuvent pas être saisis" in text(response)
    ins.refresh_from_db()
    assert ins.decision == ""


@travel
def test_the_session_page_links_the_grid_to_the_centre(client, world):  # noqa: F811
    session = convened_session(world, StatutSession.EN_COURS)
    InscriptionFactory(session=session)
    client.force_login(world["gestionnaire"])
    assert "Saisir les résultats de toute la session" in text(
        client.get(reverse("examens:session_detail", args=[session.public_id]))
    )
