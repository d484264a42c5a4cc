"""Issue 11 through the pages: convocation following the first day, past dates, late results, the jury re-checked at
every step, impartiality entered at registration, confirmation steps for destructive actions."""

import datetime as dt
import io

import pdfplumber
import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ceres.core.models import JournalEntry
from ceres.examens import rules
from ceres.examens.enums import StatutSession
from ceres.examens.models import Inscription, MembreConvoque, SessionExamen
from ceres.examens.services.creation import session_transition
from ceres.jurys.enums import StatutHabilitation
from ceres.notifications.enums import Sorte
from ceres.notifications.models import Notification
from ceres.referentiels.models import Parametre
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import AgrementFactory, CentreFactory, MembreCentreFactory, SiteFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory, SessionExamenFactory
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory
from tests.referentiels.factories import DepartementFactory, TitreProfessionnelFactory, UniteDepartementaleFactory

NOW = dt.datetime(2026, 12, 3, 9, 0)
TODAY = NOW.date()
travel = time_machine.travel(NOW, tick=False)


def text(response) -> str:
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as doc:
        return " ".join(" ".join(page.extract_text() for page in doc.pages).split())


def french(day: dt.date) -> str:
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    return f"{'1er' if day.day == 1 else day.day} {months[day.month - 1]} {day.year}"


def form_values(response) -> dict:
    """What the browser would send back: every input and select of the page's main form, as rendered."""
    soup = BeautifulSoup(response.content, "html.parser")
    form = soup.select_one("main form[method=post]")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken":
            continue
        if field.name == "select":
            if field.has_attr("multiple"):
                continue
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.name == "textarea":
            data[name] = field.text
        else:
            data[name] = field.get("value", "")
    return data


@pytest.fixture
def world():
    dep = DepartementFactory(code="01")
    ud = UniteDepartementaleFactory(departement=dep)
    titre = TitreProfessionnelFactory(with_ccps=2, intitule="Assistant de direction")
    centre = CentreFactory(departement=dep, name="Formapro Ain")
    site = SiteFactory(centre=centre)
    agrement = AgrementFactory(centre=centre, site=site, titre=titre, valide=True)
    gestionnaire = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=gestionnaire, centre=centre)
    agent = UserFactory(agent_ud=True, ud=ud)
    return dict(titre=titre, centre=centre, site=site, agrement=agrement, gestionnaire=gestionnaire, agent=agent)


def session_for(world, **kwargs) -> SessionExamen:
    return SessionExamenFactory(agrement=world["agrement"], responsable=world["gestionnaire"], **kwargs)


# --- 1. Convocation = first session day at 08:00 until the user sets it -------------------------------------------


@travel
def test_change_only_the_dates_the_convocation_and_the_letter_follow(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world["gestionnaire"])
    page = client.get(reverse("examens:session_create"))
    data = form_values(page)
    assert data["convocation_date"] == "2026-12-03" and data["convocation_time"] == "08:00"
    # The user picks the title, type and site, and changes only the dates.
    data.update(titre=world["titre"].pk, type="titre", site=world["site"].pk)
    data.update(start_date="2027-01-15", end_date="2027-01-15")
    response = client.post(reverse("examens:session_create"), data)
    assert response.status_code == 302, text(response)
    session = SessionExamen.objects.get()
    assert (session.convocation_date, session.convocation_time) == (dt.date(2027, 1, 15), dt.time(8, 0))
    assert not session.convocation_explicit
    detail = text(client.get(response["Location"]))
    assert "Convocation : 15/01/2027 à 08:00 (premier jour de la session)" in detail

    # Moved again on the edit page, dates only: still the first day.
    edit_url = reverse("examens:session_update", args=[session.public_id])
    data = form_values(client.get(edit_url))
    data.update(start_date="2027-01-20", end_date="2027-01-21")
    assert client.post(edit_url, data).status_code == 302
    session.refresh_from_db()
    assert (session.convocation_date, session.convocation_time) == (dt.date(2027, 1, 20), dt.time(8, 0))

    # The candidate's convocation letter says so.
    InscriptionFactory(session=session)
    MembreConvoqueFactory(session=session)
    MembreConvoqueFactory(session=session)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("examens:convocations_send", args=[session.public_id]))
    candidate = session.inscriptions.get().candidat
    [letter] = [m for m in mail.outbox if m.to == [candidate.email]]
    assert "Présentez-vous le 20 janvier 2027 à 08h00" in pdf_text(letter.attachments[0][1])


@travel
def test_an_explicit_convocation_is_kept_and_checked(client, world):
    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    client.force_login(world["gestionnaire"])
    edit_url = reverse("examens:session_update", args=[session.public_id])
    data = form_values(client.get(edit_url))
    data.update(convocation_date="2027-01-14", convocation_time="17:00")
    assert client.post(edit_url, data).status_code == 302
    session.refresh_from_db()
    assert session.convocation_explicit

    # Dates moved by one day: the convocation set by the user stays (two days before is within the parameter).
    data = form_values(client.get(edit_url))
    assert data["convocation_shown"] == ""
    data.update(start_date="2027-01-16", end_date="2027-01-16")
    assert client.post(edit_url, data).status_code == 302
    session.refresh_from_db()
    assert (session.convocation_date, session.convocation_time) == (dt.date(2027, 1, 14), dt.time(17, 0))

    # Too early for the national parameter: refused with the reason; the parameter is national.
    data.update(start_date="2027-01-25", end_date="2027-01-25")
    refused = client.post(edit_url, data)
    assert refused.status_code == 200
    assert "précède de 11 jours le premier jour de la session (25/01/2027)" in text(refused)
    assert "3 jours au plus (paramètre national)" in text(refused)
    Parametre.objects.create(code="CONVOCATION_AVANCE_MAX_JOURS", value=15)
    assert client.post(edit_url, data).status_code == 302


@travel
def test_existing_convocations_before_the_first_day_are_listed_not_rewritten(client, world):
    wrong = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15), convocation_date=TODAY)
    session_for(world, start_date=dt.date(2027, 2, 1), end_date=dt.date(2027, 2, 1))  # on its first day: not listed
    other = SessionExamenFactory(  # another centre, another UD
        start_date=dt.date(2027, 1, 15), convocation_date=TODAY, agrement__centre__departement__code="69"
    )
    url = reverse("examens:convocations_qualite")
    for user in (world["gestionnaire"], world["agent"]):
        client.force_login(user)
        page = text(client.get(url))
        assert str(wrong) in page and "03/12/2026 à 08:00" in page and "43 j" in page and "au-delà de 3 j" in page
        assert other.centre.name not in page
        assert "01/02/2027" not in page
    wrong.refresh_from_db()
    assert wrong.convocation_date == TODAY


# --- 2. Dates in the past ----------------------------------------------------------------------------------------


@travel
def test_centre_cannot_create_or_move_a_session_into_the_past(client, world):
    client.force_login(world["gestionnaire"])
    data = form_values(client.get(reverse("examens:session_create")))
    data.update(titre=world["titre"].pk, type="titre", site=world["site"].pk)
    data.update(start_date="2026-12-02", end_date="2026-12-02")
    refused = client.post(reverse("examens:session_create"), data)
    assert refused.status_code == 200 and not SessionExamen.objects.exists()
    assert "La session commencerait le 02/12/2026, date déjà passée" in text(refused)
    assert "l'unité départementale peut l'enregistrer avec un motif" in text(refused)

    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    edit_url = reverse("examens:session_update", args=[session.public_id])
    data = form_values(client.get(edit_url))
    data.update(start_date="2026-11-30", end_date="2026-11-30")
    assert "date déjà passée" in text(client.post(edit_url, data))


@travel
def test_ud_agent_records_a_past_session_with_a_journaled_reason(client, world):
    client.force_login(world["agent"])
    choice = client.get(reverse("examens:session_create"))
    assert "Enregistrer une session passée" in text(choice) and "Formapro Ain" in text(choice)
    url = reverse("examens:session_create") + f"?centre={world['centre'].public_id}"
    data = form_values(client.get(url))
    data.update(titre=world["titre"].pk, type="titre", site=world["site"].pk, responsable=world["gestionnaire"].pk)
    data.update(start_date="2026-11-20", end_date="2026-11-20", convocation_date="2026-11-20")
    refused = client.post(url, data)
    assert "indiquez le motif de l'enregistrement d'une session passée" in text(refused)
    data["reason"] = "Session tenue le 20/11, saisie oubliée par le centre (PV reçu)."
    assert client.post(url, data).status_code == 302
    session = SessionExamen.objects.get()
    assert session.start_date == dt.date(2026, 11, 20) and session.created_by == world["agent"]
    entry = JournalEntry.objects.get(operation="session_create")
    assert entry.reason == data["reason"]


@travel
def test_late_results_are_flagged_on_the_list(client, world):
    late = session_for(world, start_date=dt.date(2026, 11, 2), end_date=dt.date(2026, 11, 2))
    late.status = StatutSession.EN_COURS
    late.save()
    session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    client.force_login(world["agent"])
    page = text(client.get(reverse("examens:session_list")))
    assert page.count("Résultats en retard") == 1 and "Résultats en retard de 16 j" in page


# --- 3. The jury re-checked at every step -------------------------------------------------------------------------


def withdraw_first_juror(client, session, agent) -> str:
    """The UD withdraws the habilitation of a convened juror through its page."""
    row = session.jury.select_related("membre").first()
    habilitation = row.membre.habilitations.get()
    client.force_login(agent)
    url = reverse("jurys:habilitation_status", args=[habilitation.public_id])
    response = client.post(url, {"status": StatutHabilitation.RETIREE, "reason": "Plus en activité"})
    assert response.status_code == 302, text(response)
    return str(row.membre)


def convened_session(world, status, **kwargs):
    session = session_for(world, start_date=TODAY, end_date=TODAY, status=status, **kwargs)
    for _ in range(2):
        membre = MembreJuryFactory(ud=UniteDepartementaleFactory(departement=world["agent"].ud.departement))
        HabilitationFactory(membre=membre, titre=session.titre)
        MembreConvoque.objects.create(session=session, membre=membre, convocation_sent_at=timezone.now())
    return session


@travel
def test_withdrawn_habilitation_blocks_opening_with_the_reason(client, world):
    session = convened_session(world, StatutSession.CONVOCATIONS_ENVOYEES)
    InscriptionFactory(session=session)
    name = withdraw_first_juror(client, session, world["agent"])
    client.force_login(world["gestionnaire"])
    response = client.post(
        reverse("examens:session_transition", args=[session.public_id]), {"target": "en_cours"}, follow=True
    )
    page = text(response)
    assert "Impossible d'ouvrir la session : le jury n'a plus deux membres habilités" in page
    assert name in page and "retirée" in page
    session.refresh_from_db()
    assert session.status == StatutSession.CONVOCATIONS_ENVOYEES


@travel
def test_withdrawing_a_convened_juror_names_the_sessions_and_warns_their_centre(client, world):
    session = convened_session(world, StatutSession.CONVOCATIONS_ENVOYEES)
    membre = session.jury.select_related("membre").first().membre
    habilitation = membre.habilitations.get()
    client.force_login(world["agent"])
    page = text(client.get(reverse("jurys:habilitation_status", args=[habilitation.public_id])))
    assert "Ce membre est convoqué à 1 session de ce titre" in page
    assert f"{session.start_date:%d/%m/%Y} — Formapro Ain" in page
    response = client.post(
        reverse("jurys:habilitation_status", args=[habilitation.public_id]),
        {"status": StatutHabilitation.SUSPENDUE, "reason": "Enquête en cours"},
        follow=True,
    )
    assert "leurs centres ont été prévenus" in text(response)
    note = Notification.objects.get(user=world["gestionnaire"], kind=Sorte.JURE_INDISPONIBLE)
    assert f"{membre.first_names} {membre.birth_name}" in note.title and "suspendue" in note.body
    assert "Enquête" not in note.body  # the UD's reason stays with the UD and the juror (decision 0008)
    assert note.link == reverse("examens:session_detail", args=[session.public_id])
    # A session already validated needs nobody: its centre is not disturbed.
    other = convened_session(world, StatutSession.VALIDEE)
    other_habilitation = other.jury.first().membre.habilitations.get()
    client.post(
        reverse("jurys:habilitation_status", args=[other_habilitation.public_id]),
        {"status": StatutHabilitation.RETIREE, "reason": "Départ"},
    )
    assert Notification.objects.filter(kind=Sorte.JURE_INDISPONIBLE).count() == 1


@travel
@pytest.mark.parametrize(
    ("status", "target"),
    [
        (StatutSession.CONVOCATIONS_ENVOYEES, StatutSession.EN_COURS),
        (StatutSession.EN_COURS, StatutSession.RESULTATS_SAISIS),
        (StatutSession.RESULTATS_SAISIS, StatutSession.VALIDEE),
    ],
)
def test_every_transition_relying_on_the_jury_rechecks_it_whoever_asks(world, status, target):
    """Not only the pages' services: a direct transition (a task, a future path) is refused the same way."""
    session = convened_session(world, status)
    habilitation = session.jury.first().membre.habilitations.get()
    habilitation.status = StatutHabilitation.SUSPENDUE
    habilitation.save(update_fields=["status"])
    actor = rules.UD if target == StatutSession.VALIDEE else rules.CENTRE
    with pytest.raises(ValidationError) as refused:
        session_transition(session=session, target=target, by=world["agent"], actor=actor)
    assert "le jury n'a plus deux membres habilités" in " ".join(refused.value.messages)
    session.refresh_from_db()
    assert session.status == status


@travel
def test_withdrawn_habilitation_blocks_results_entry_and_submission(client, world):
    session = convened_session(world, StatutSession.EN_COURS)
    ins = InscriptionFactory(session=session)
    ccp1, ccp2 = session.titre.ccps.order_by("order")
    client.force_login(world["gestionnaire"])
    results_url = reverse("examens:resultats", args=[session.public_id, ins.public_id])
    values = {f"ccp_{ccp1.pk}": "obtenu", f"ccp_{ccp2.pk}": "obtenu", "entretien_final": "favorable"}
    assert client.post(results_url, values).status_code == 302
    name = withdraw_first_juror(client, session, world["agent"])
    client.force_login(world["gestionnaire"])
    refused = client.post(results_url, values)
    assert "Impossible de saisir les résultats" in text(refused) and name in text(refused)
    response = client.post(
        reverse("examens:resultats_submit", args=[session.public_id]), {"pv_signed": "on"}, follow=True
    )
    page = text(response)
    assert "Impossible de transmettre les résultats" in page and name in page and "retirée" in page
    session.refresh_from_db()
    assert session.status == StatutSession.EN_COURS


@travel
def test_withdrawn_habilitation_blocks_ud_validation(client, world):
    session = convened_session(world, StatutSession.RESULTATS_SAISIS)
    ins = InscriptionFactory(session=session)
    Inscription.objects.filter(pk=ins.pk).update(decision="echec")
    name = withdraw_first_juror(client, session, world["agent"])
    url = reverse("examens:session_validate", args=[session.public_id])
    page = text(client.get(url))
    assert "Impossible de valider la session" in page and name in page
    refused = client.post(url, {"pv_number": "PV-1"})
    assert refused.status_code == 200
    assert "Impossible de valider la session" in text(refused) and "retirée" in text(refused)
    session.refresh_from_db()
    assert session.status == StatutSession.RESULTATS_SAISIS


# --- 4. Impartiality entered at registration, flagged when composing the jury ----------------------------------


@travel
def test_trainer_entered_at_registration_is_refused_and_links_are_flagged(client, world):
    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    trainer = HabilitationFactory(titre=session.titre, membre__ud=world["agent"].ud).membre  # a juror of the region
    colleague = HabilitationFactory(titre=session.titre, membre__employer_siret="73282932000074").membre
    namesake = HabilitationFactory(
        titre=session.titre, membre__birth_name="Durand", membre__first_names="Paul Louis"
    ).membre
    alice = CandidatFactory(birth_name="Martin", first_names="Alice")
    bruno = CandidatFactory(birth_name="Leroy", first_names="Bruno")
    client.force_login(world["gestionnaire"])
    url = reverse("examens:inscription_add", args=[session.public_id])
    search = text(client.get(url, {"q": "Martin", "first_name": "Alice", "birth_date": alice.birth_date.isoformat()}))
    assert "Formateur ou accompagnateur, s'il est juré" in search
    for candidat, extra in (
        (alice, {"trainer": trainer.public_id, "employer_siret": "73282932000074", "employer_name": "Boulangerie"}),
        (bruno, {"trainer_name": "Paul DURAND"}),
    ):
        data = {
            "candidat": candidat.public_id,
            "route": "formation_continue",
            "training_start_date": "2025-09-01",
            "identity_checked": "on",
        }
        response = client.post(url, {**data, **extra})
        assert response.status_code == 302, text(response)
    assert Inscription.objects.get(candidat=bruno).trainer_name == "Paul DURAND"

    jury_url = reverse("examens:jury", args=[session.public_id])
    page = text(client.get(jury_url))
    assert f"Ajouter {trainer}" not in page  # refusal: not proposed
    assert f"Même employeur que {alice}" in page
    assert f"Formateur ou accompagnateur de {bruno}" in page
    refused = text(client.post(jury_url, {"membre": trainer.public_id}, follow=True))
    assert f"{trainer} : ce juré a formé ou accompagné {alice}, inscrit(e) à la session." in refused
    added = text(client.post(jury_url, {"membre": colleague.public_id}, follow=True))
    assert f"{colleague} a été ajouté(e) au jury" in added and f"Même employeur que {alice}" in added
    assert session.jury.filter(membre=namesake).count() == 0


# --- 7. Destructive actions ask first ------------------------------------------------------------------------


@travel
def test_unregister_remove_juror_cancel_and_return_ask_first_with_a_reason(client, world):
    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    ins = InscriptionFactory(session=session)
    row = MembreConvoqueFactory(session=session)
    client.force_login(world["gestionnaire"])

    url = reverse("examens:inscription_delete", args=[session.public_id, ins.public_id])
    page = text(client.get(url))
    assert f"{ins.candidat} sera désinscrit(e) de la session" in page and "Confirmer la désinscription" in page
    assert "Indiquez le motif" in text(client.post(url, {"reason": " "}))
    assert Inscription.objects.filter(pk=ins.pk).exists()
    assert client.post(url, {"reason": "Abandon de formation"}).status_code == 302
    assert not Inscription.objects.filter(pk=ins.pk).exists()
    assert JournalEntry.objects.get(operation="inscription_delete").reason == "Abandon de formation"

    url = reverse("examens:jury_remove", args=[session.public_id, row.membre.public_id])
    assert f"{row.membre} sera retiré(e) du jury" in text(client.get(url))
    assert "Indiquez le motif" in text(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "Indisponible"}).status_code == 302
    assert not session.jury.exists()
    assert JournalEntry.objects.get(operation="jury_remove").reason == "Indisponible"

    url = reverse("examens:session_cancel", args=[session.public_id])
    assert "sera annulée" in text(client.get(url))
    assert "Indiquez le motif" in text(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "Pas assez de candidats"}).status_code == 302
    session.refresh_from_db()
    assert session.status == StatutSession.ANNULEE and session.status_reason == "Pas assez de candidats"


@travel
def test_ud_returns_a_session_after_confirming(client, world):
    session = session_for(world, start_date=dt.date(2026, 11, 2), status=StatutSession.RESULTATS_SAISIS)
    client.force_login(world["agent"])
    url = reverse("examens:session_return", args=[session.public_id])
    assert "sera renvoyée au centre" in text(client.get(url))
    assert "Indiquez le motif" in text(client.post(url, {"reason": ""}))
    assert client.post(url, {"reason": "PV non signé"}).status_code == 302
    session.refresh_from_db()
    assert session.status == StatutSession.RENVOYEE and session.status_reason == "PV non signé"


# --- 5 and 6. One reading of a title's last day, months counted from it -------------------------------------------


def test_habilitation_ending_on_the_last_valid_day_is_extended_on_its_page(client, world):
    # Title ending 29/02/2028 (exclusive): last valid day 28/02/2028. A habilitation typed to end that day runs
    # "until the end of life", like an agrément, and is extended 24 months from that day: 28/02/2030.
    titre = TitreProfessionnelFactory(start_date=dt.date(2023, 3, 1), end_date=dt.date(2028, 2, 29))
    habilitation = HabilitationFactory(
        titre=titre,
        membre__ud=world["agent"].ud,
        until_end_of_life=False,
        end_date=dt.date(2028, 2, 28),
    )
    client.force_login(world["agent"])
    page = text(client.get(reverse("jurys:habilitation_detail", args=[habilitation.public_id])))
    assert "Prolongée jusqu'au 28/02/2030 : fin de vie du titre le 29/02/2028" in page


@travel
def test_cfa_session_until_the_last_day_counted_from_the_title_last_valid_day(client, world):
    titre = TitreProfessionnelFactory(start_date=dt.date(2023, 3, 1), end_date=dt.date(2028, 2, 29))
    centre = CentreFactory(departement=world["centre"].departement, type="cfa")
    site = SiteFactory(centre=centre)
    AgrementFactory(centre=centre, site=site, titre=titre, valide=True, end_date=dt.date(2028, 2, 28))
    user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=user, centre=centre)
    client.force_login(user)
    data = form_values(client.get(reverse("examens:session_create")))
    data.update(titre=titre.pk, type="titre", site=site.pk, start_date="2030-03-01", end_date="2030-03-01")
    refused = text(client.post(reverse("examens:session_create"), data))
    assert "même un CFA ou un CRP ne peut organiser de session que jusqu'au 28/02/2030 (24 mois après)" in refused
    data.update(start_date="2030-02-28", end_date="2030-02-28", convocation_date="2030-02-28")
    response = client.post(reverse("examens:session_create"), data)
    assert response.status_code == 302, text(response)
    assert SessionExamen.objects.get().in_prolongation
