"""Issue 3 acceptance: « Editing any record shows who changed what in its history ».

Each test edits one kind of record through its web page, as the role that may edit it, then opens the record's detail
page as a UD agent or the national administrator and reads, in the « Historique » panel, the field, the value before,
the value after and the author. Forms are filled from what the edit page itself shows (like a user would).
"""

import datetime as dt

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from ceres.examens.enums import StatutSession
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.examens.factories import SessionExamenFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import CommuneFactory, PaysFactory, TitreProfessionnelFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_values(html: str, action_contains: str = "") -> dict:
    """Values a browser would submit for the page's main form (not the header's logout/centre forms)."""
    soup = BeautifulSoup(html, "html.parser")
    forms = [f for f in soup.select("main form[method=post], #content form[method=post]") if f.find("button")]
    if action_contains:
        forms = [f for f in forms if action_contains in (f.get("action") or "")]
    form = forms[0] if forms else soup.select("form[method=post]")[-1]
    data = {}
    for field in form.select("input[name], select[name], textarea[name]"):
        name = field["name"]
        if field.name == "select":
            selected = field.select_one("option[selected]")
            data[name] = selected["value"] if selected else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data


def errors(response) -> list[str]:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return [e.get_text(" ", strip=True) for e in soup.select(".fr-error-text, .fr-alert--error, .errorlist")]


def history_rows(html: str) -> list[dict]:
    """The « Historique » panel rows: author, action, and the changed fields as {label: (before, after)}."""
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.select_one("section.ceres-historique")
    assert panel is not None, "pas de panneau « Historique » sur la page"
    rows = []
    for tr in panel.select("tbody tr"):
        cells = tr.find_all("td")
        fields = {}
        for li in cells[3].select("li"):
            label = li.strong.get_text(strip=True)
            fields[label] = (li.find("del").get_text(strip=True), li.find("ins").get_text(strip=True))
        rows.append({"author": cells[1].get_text(strip=True), "action": cells[2].get_text(" ", strip=True), **fields})
    return rows


def change_seen(html: str, label: str) -> tuple[str, str, str]:
    """(before, after, author) of the latest change of field `label` shown in the panel."""
    for row in history_rows(html):
        if label in row:
            return (*row[label], row["author"])
    raise AssertionError(f"« {label} » absent de l'historique : {history_rows(html)}")


def test_centre_creation_is_in_its_history(world):
    """Centres have no edit page: their creation (by the DREETS agent) is what the history shows."""
    dreets = world.users["agent_dreets"]
    page = client_for(dreets).get(reverse("centres:centre_create"))
    data = form_values(page.content.decode())
    data.update(name="Centre Historique", siret="73282932000074", type="greta", departement=str(world.departement.pk))
    response = client_for(dreets).post(reverse("centres:centre_create"), data)
    assert response.status_code == 302, errors(response)

    detail = client_for(world.users["agent_ud"]).get(response["Location"])
    html = detail.content.decode()
    assert change_seen(html, "raison sociale") == ("—", "Centre Historique", dreets.email)
    # Readable values: the choice label and the related object's name, not raw codes or ids.
    assert change_seen(html, "type de centre")[1] == "GRETA"
    assert change_seen(html, "département")[1] == str(world.departement)
    assert "identifiant public" not in html and "clé de recherche" not in html
    # A DREETS agent does not get the panel (history is for UD agents and national administrators).
    assert "ceres-historique" not in client_for(dreets).get(response["Location"]).content.decode()


def test_agrement_decision_is_in_its_history(world):
    dreets = world.users["agent_dreets"]
    centre = CentreFactory(departement=world.departement)
    agrement = AgrementFactory(centre=centre, site=SiteFactory(centre=centre))
    url = reverse("centres:agrement_decide", args=[agrement.public_id])
    data = form_values(client_for(dreets).get(url).content.decode())
    data.update(decision="refusee", decision_date=dt.date.today().isoformat(), reason="Plateau technique insuffisant")
    response = client_for(dreets).post(url, data)
    assert response.status_code == 302, errors(response)

    detail = client_for(world.users["admin_national"]).get(
        reverse("centres:agrement_detail", args=[agrement.public_id])
    )
    html = detail.content.decode()
    rows = history_rows(html)
    assert any("Plateau technique insuffisant" in row["action"] for row in rows)
    before, after, author = change_seen(html, "décision")
    assert (before, after, author) == ("En instruction", "Refusée", dreets.email)


def test_juror_edit_is_in_its_history(world):
    agent = world.users["agent_ud"]
    membre = MembreJuryFactory(ud=world.ud, profession="Soudeur", birth_country=PaysFactory())
    url = reverse("jurys:membre_update", args=[membre.public_id])
    data = form_values(client_for(agent).get(url).content.decode())
    data["profession"] = "Chaudronnier"
    response = client_for(agent).post(url, data)
    assert response.status_code == 302, errors(response)

    detail = client_for(world.users["admin_national"]).get(reverse("jurys:membre_detail", args=[membre.public_id]))
    assert change_seen(detail.content.decode(), "profession") == ("Soudeur", "Chaudronnier", agent.email)


def test_habilitation_suspension_is_in_its_history(world):
    agent = world.users["agent_ud"]
    habilitation = HabilitationFactory(membre=MembreJuryFactory(ud=world.ud))
    url = reverse("jurys:habilitation_status", args=[habilitation.public_id])
    data = form_values(client_for(agent).get(url).content.decode())
    data.update(status="suspendue", reason="Absence répétée aux sessions")
    response = client_for(agent).post(url, data)
    assert response.status_code == 302, errors(response)

    detail = client_for(agent).get(reverse("jurys:habilitation_detail", args=[habilitation.public_id]))
    before, after, author = change_seen(detail.content.decode(), "statut")
    assert (before, after, author) == ("Active", "Suspendue", agent.email)


def test_candidate_edit_is_in_its_history(world):
    agent = world.users["agent_ud"]
    # A resident of the agent's département: in a UD agent's scope.
    candidat = CandidatFactory(phone="0600000000", commune=CommuneFactory(departement_code=world.departement.code))
    url = reverse("candidats:update", args=[candidat.public_id])
    page = client_for(agent).get(url)
    assert page.status_code == 200
    data = form_values(page.content.decode())
    data["phone"] = "0611223344"
    response = client_for(agent).post(url, data)
    assert response.status_code == 302, errors(response)

    detail = client_for(world.users["admin_national"]).get(reverse("candidats:detail", args=[candidat.public_id]))
    assert change_seen(detail.content.decode(), "téléphone") == ("0600000000", "0611223344", agent.email)


def test_session_edit_is_in_its_history(world):
    gestionnaire = world.users["gestionnaire_centre"]
    centre = CentreFactory(departement=world.departement)
    MembreCentreFactory(user=gestionnaire, centre=centre)
    agrement = AgrementFactory(
        centre=centre, site=SiteFactory(centre=centre), titre=TitreProfessionnelFactory(with_ccps=2), valide=True
    )
    session = SessionExamenFactory(
        agrement=agrement, responsable=gestionnaire, planned_candidates=8, status=StatutSession.EN_PREPARATION
    )
    url = reverse("examens:session_update", args=[session.public_id])
    page = client_for(gestionnaire).get(url)
    assert page.status_code == 200
    data = form_values(page.content.decode())
    data["planned_candidates"] = "12"
    response = client_for(gestionnaire).post(url, data)
    assert response.status_code == 302, errors(response)

    detail = client_for(world.users["agent_ud"]).get(reverse("examens:session_detail", args=[session.public_id]))
    before, after, author = change_seen(detail.content.decode(), "nombre de candidats prévus")
    assert (before, after, author) == ("8", "12", gestionnaire.email)
