"""Issue 11, the same cases on the other paths and with other values: the REST API (same convocation default, same
rules, same refusals as the pages), tests starting before 08:00, convocations stored by the old default, suspension
as well as withdrawal, another establishment of the same company, a juror on the centre's staff, confirmation pages
that count what will happen, late results on the UD's validation list."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ceres.centres.models import MembreCentre
from ceres.examens.enums import StatutSession
from ceres.examens.models import Inscription, MembreConvoque, SessionExamen
from ceres.jurys.enums import StatutHabilitation
from tests.api.helpers import ApiClient, centre_key
from tests.candidats.factories import CandidatFactory
from tests.centres.factories import MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, MembreConvoqueFactory
from tests.examens.test_sessions_round2 import (
    TODAY,
    convened_session,
    form_values,
    french,
    pdf_text,
    session_for,
    text,
    travel,
    world,  # noqa: F401 (fixture)
)
from tests.jurys.factories import HabilitationFactory, MembreJuryFactory

SESSIONS = "/api/v1/sessions/"


@pytest.fixture
def api(world):  # noqa: F811
    MembreCentre.objects.filter(user=world["gestionnaire"]).update(is_admin=True)  # administrators create keys
    _, token = centre_key(centre=world["centre"], user=world["gestionnaire"])
    return ApiClient(token)


def body(place, **over):
    return {"titre": str(place["titre"].public_id), "site": str(place["site"].public_id), **over}


def messages_of(response) -> list[str]:
    return [e["message"] for e in response.json()["erreurs"]]


# --- 1. The API: convocation following the first day, kept and checked once set ------------------------------------


@travel
def test_api_session_created_today_then_only_its_dates_changed(api, world, django_capture_on_commit_callbacks):  # noqa: F811
    created = api.post(SESSIONS, body(world, debut="2027-01-15", fin="2027-01-15"))
    assert created.status_code == 201, created.json()
    session = created.json()
    assert (session["date_convocation"], session["heure_convocation"]) == ("2027-01-15", "08:00")
    assert session["convocation_fixee"] is False

    moved = api.patch(f"{SESSIONS}{session['id']}/", {"debut": "2027-02-01", "fin": "2027-02-02"})
    assert moved.status_code == 200, moved.json()
    assert (moved.json()["date_convocation"], moved.json()["heure_convocation"]) == ("2027-02-01", "08:00")

    # The candidate's letter, read through the API, says so; so does the one sent by e-mail.
    row = SessionExamen.objects.get()
    inscription = InscriptionFactory(session=row)
    MembreConvoqueFactory(session=row)
    MembreConvoqueFactory(session=row)
    letter = api.get(f"/api/v1/inscriptions/{inscription.public_id}/convocation.pdf")
    assert letter.status_code == 200
    assert "Présentez-vous le 1er février 2027 à 08h00" in pdf_text(letter.content)
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(f"{SESSIONS}{session['id']}/convocations/").status_code == 202
    [sent] = [m for m in mail.outbox if m.to == [inscription.candidat.email]]
    assert "Présentez-vous le 1er février 2027 à 08h00" in pdf_text(sent.attachments[0][1])


@travel
def test_api_a_time_alone_with_new_dates_is_on_the_new_first_day(api, world):  # noqa: F811
    session = api.post(SESSIONS, body(world, debut="2027-01-15", fin="2027-01-15")).json()
    moved = api.patch(
        f"{SESSIONS}{session['id']}/", {"debut": "2027-02-01", "fin": "2027-02-01", "heure_convocation": "07:30"}
    )
    assert moved.status_code == 200, moved.json()
    out = moved.json()
    assert (out["date_convocation"], out["heure_convocation"], out["convocation_fixee"]) == (
        "2027-02-01",
        "07:30",
        True,
    )
    # Set by the client: kept when the dates move again, then checked with the page's sentence.
    again = api.patch(f"{SESSIONS}{session['id']}/", {"debut": "2027-02-03", "fin": "2027-02-03"})
    assert again.status_code == 200 and again.json()["date_convocation"] == "2027-02-01"
    refused = api.patch(f"{SESSIONS}{session['id']}/", {"debut": "2027-02-10", "fin": "2027-02-10"})
    assert refused.status_code == 400
    assert any(
        "La convocation (01/02/2027) précède de 9 jours le premier jour de la session (10/02/2027)" in m
        and "3 jours au plus (paramètre national)" in m
        for m in messages_of(refused)
    )


@travel
def test_api_refuses_what_the_page_refuses_with_the_same_sentences(api, world, client):  # noqa: F811
    cases = [
        (  # after the start of the tests
            {
                "debut": "2027-01-15",
                "fin": "2027-01-15",
                "date_convocation": "2027-01-15",
                "heure_convocation": "09:00",
            },
            "ne peut pas être postérieure au début des épreuves (15/01/2027 à 08:00)",
        ),
        (  # more than the national parameter before the first day
            {"debut": "2027-01-15", "fin": "2027-01-15", "date_convocation": "2027-01-05"},
            "précède de 10 jours le premier jour de la session (15/01/2027)",
        ),
        (  # in the past, for a centre
            {"debut": "2026-12-01", "fin": "2026-12-01"},
            "La session commencerait le 01/12/2026, date déjà passée",
        ),
    ]
    client.force_login(world["gestionnaire"])
    page = form_values(client.get(reverse("examens:session_create")))
    page.update(titre=world["titre"].pk, type="titre", site=world["site"].pk)
    for over, sentence in cases:
        response = api.post(SESSIONS, body(world, **over))
        assert response.status_code == 400
        [api_message] = [m for m in messages_of(response) if sentence in m]
        fields = {"debut": "start_date", "fin": "end_date", "date_convocation": "convocation_date"}
        data = {**page, **{fields.get(k, "convocation_time"): v for k, v in over.items()}}
        assert api_message in text(client.post(reverse("examens:session_create"), data))
    assert not SessionExamen.objects.exists()
    session = api.post(SESSIONS, body(world, debut="2027-01-15", fin="2027-01-15")).json()
    refused = api.patch(f"{SESSIONS}{session['id']}/", {"debut": "2026-11-30", "fin": "2026-11-30"})
    assert any("La session commencerait le 30/11/2026, date déjà passée" in m for m in messages_of(refused))


# --- 1. Tests starting before 08:00, on the page with and without JavaScript (the server side here) ----------------


@travel
def test_tests_starting_at_7_30_bring_the_untouched_convocation(client, world):  # noqa: F811
    client.force_login(world["gestionnaire"])
    data = form_values(client.get(reverse("examens:session_create")))
    data.update(titre=world["titre"].pk, type="titre", site=world["site"].pk)
    data.update(start_date="2027-01-15", end_date="2027-01-15", start_time="07:30")
    response = client.post(reverse("examens:session_create"), data)
    assert response.status_code == 302, text(response)
    session = SessionExamen.objects.get()
    assert (session.convocation_date, session.convocation_time, session.convocation_explicit) == (
        dt.date(2027, 1, 15),
        dt.time(7, 30),
        False,
    )
    edit_url = reverse("examens:session_update", args=[session.public_id])
    data = form_values(client.get(edit_url))
    data.update(start_date="2027-01-20", end_date="2027-01-20", start_time="09:00")
    assert client.post(edit_url, data).status_code == 302
    session.refresh_from_db()
    assert (session.convocation_date, session.convocation_time) == (dt.date(2027, 1, 20), dt.time(8, 0))


# --- 1. A convocation stored by the old default: neither sent nor printed, the page says why -----------------------


@travel
def test_a_wrong_stored_convocation_is_neither_sent_nor_printed(client, world):  # noqa: F811
    session = session_for(
        world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15), convocation_date=TODAY
    )
    SessionExamen.objects.filter(pk=session.pk).update(convocation_explicit=True)  # as the migration marked it
    inscription = InscriptionFactory(session=session)
    MembreConvoqueFactory(session=session)
    MembreConvoqueFactory(session=session)
    client.force_login(world["gestionnaire"])
    detail = reverse("examens:session_detail", args=[session.public_id])
    reason = "La convocation (03/12/2026) précède de 43 jours le premier jour de la session (15/01/2027)"
    assert reason in text(client.get(detail))
    refused = text(client.post(reverse("examens:convocations_send", args=[session.public_id]), follow=True))
    assert reason in refused and "Corrigez la date de convocation" in refused
    assert not mail.outbox and not session.envois.exists()
    pdf = client.get(reverse("examens:convocation_candidat", args=[session.public_id, inscription.public_id]))
    assert pdf.status_code == 302 and reason in text(client.get(pdf["Location"]))
    # Set right by the user: sent and printed.
    edit_url = reverse("examens:session_update", args=[session.public_id])
    data = form_values(client.get(edit_url))
    data.update(convocation_date="2027-01-15", convocation_time="08:00")
    assert client.post(edit_url, data).status_code == 302
    pdf = client.get(reverse("examens:convocation_candidat", args=[session.public_id, inscription.public_id]))
    assert pdf.status_code == 200
    assert f"Présentez-vous le {french(dt.date(2027, 1, 15))} à 08h00" in pdf_text(pdf.content)


# --- 3. Suspension as well as withdrawal, on the pages and through the API -----------------------------------------


def suspend_first_juror(client, session, agent) -> str:
    row = session.jury.select_related("membre").first()
    client.force_login(agent)
    url = reverse("jurys:habilitation_status", args=[row.membre.habilitations.get().public_id])
    response = client.post(url, {"status": StatutHabilitation.SUSPENDUE, "reason": "Enquête en cours"})
    assert response.status_code == 302, text(response)
    return str(row.membre)


@travel
def test_suspended_habilitation_blocks_opening_on_the_page_and_the_api(client, world, api):  # noqa: F811
    session = convened_session(world, StatutSession.CONVOCATIONS_ENVOYEES)
    InscriptionFactory(session=session)
    name = suspend_first_juror(client, session, world["agent"])
    client.force_login(world["gestionnaire"])
    page = text(
        client.post(
            reverse("examens:session_transition", args=[session.public_id]), {"target": "en_cours"}, follow=True
        )
    )
    assert "Impossible d'ouvrir la session" in page and f"{name} : l'habilitation est suspendue." in page
    refused = api.post(f"{SESSIONS}{session.public_id}/ouverture/")
    assert refused.status_code == 400
    assert messages_of(refused)[0].startswith("Impossible d'ouvrir la session : le jury n'a plus deux membres")
    assert f"{name} : l'habilitation est suspendue." in messages_of(refused)
    session.refresh_from_db()
    assert session.status == StatutSession.CONVOCATIONS_ENVOYEES


@travel
def test_suspended_habilitation_blocks_results_through_the_api(client, world, api):  # noqa: F811
    session = convened_session(world, StatutSession.EN_COURS)
    inscription = InscriptionFactory(session=session)
    name = suspend_first_juror(client, session, world["agent"])
    refused = api.put(
        f"/api/v1/inscriptions/{inscription.public_id}/resultats/",
        {"ccps": {"1": "obtenu", "2": "obtenu"}, "entretien_final": "favorable"},
    )
    assert refused.status_code == 400
    assert messages_of(refused)[0].startswith("Impossible de saisir les résultats")
    assert f"{name} : l'habilitation est suspendue." in messages_of(refused)
    refused = api.post(f"{SESSIONS}{session.public_id}/transmission/", {"pv_signe": True})
    assert messages_of(refused)[0].startswith("Impossible de transmettre les résultats")
    assert f"{name} ne peut plus siéger." in messages_of(refused)
    assert api.get(f"{SESSIONS}{session.public_id}/").json()["anomalies_jury"][0] == f"{name} ne peut plus siéger."


@travel
def test_suspended_habilitation_blocks_bulk_validation_naming_the_juror(client, world):  # noqa: F811
    session = convened_session(world, StatutSession.RESULTATS_SAISIS)
    Inscription.objects.filter(pk=InscriptionFactory(session=session).pk).update(decision="echec")
    name = suspend_first_juror(client, session, world["agent"])
    page = text(
        client.post(
            reverse("examens:validations"), {"sessions": [session.public_id], f"pv-{session.public_id}": "PV-9"}
        )
    )
    assert "Impossible de valider la session" in page and f"{name} : l'habilitation est suspendue." in page
    session.refresh_from_db()
    assert session.status == StatutSession.RESULTATS_SAISIS


# --- 4. Impartiality with other values: another establishment, the centre's staff, the API ----------------------


@travel
def test_links_through_another_establishment_or_the_centre_staff_are_flagged(client, world):  # noqa: F811
    centre = world["centre"]
    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    siren = centre.siret[:9]
    other_site = HabilitationFactory(titre=session.titre, membre__employer_siret=siren + "99999").membre
    staff_user = UserFactory(gestionnaire_centre=True)
    MembreCentreFactory(user=staff_user, centre=centre)
    staff = HabilitationFactory(titre=session.titre, membre__user=staff_user, membre__employer_name="").membre
    colleague = HabilitationFactory(titre=session.titre, membre__employer_siret="55208131700011").membre
    InscriptionFactory(session=session, employer_siret="55208131799999", candidat__birth_name="Martin")
    client.force_login(world["gestionnaire"])
    page = text(client.get(reverse("examens:jury", args=[session.public_id])))
    assert f"{other_site} Employé(e) par le centre qui organise la session" in page
    assert f"{staff} Membre de l'équipe du centre qui organise la session" in page
    assert f"{colleague} Même employeur que" in page


@travel
def test_api_registration_records_the_trainer_and_the_jury_is_checked(api, world):  # noqa: F811
    session = session_for(world, start_date=dt.date(2027, 1, 15), end_date=dt.date(2027, 1, 15))
    trainer = HabilitationFactory(titre=session.titre).membre
    namesake = HabilitationFactory(titre=session.titre, membre__birth_name="Durand", membre__first_names="Paul").membre
    alice, bruno = (
        CandidatFactory(created_by_centre=world["centre"]),
        CandidatFactory(created_by_centre=world["centre"]),
    )
    url = f"{SESSIONS}{session.public_id}/inscriptions/"
    common = {"voie_acces": "formation_continue", "debut_formation": "2025-09-01"}
    created = api.post(url, {**common, "candidat": {"numero": alice.numero}, "formateur": str(trainer.public_id)})
    assert created.status_code == 201, created.json()
    assert created.json()["formateur"] == str(trainer.public_id)
    created = api.post(url, {**common, "candidat": {"numero": bruno.numero}, "formateur_nom": "Paul Durand"})
    assert created.status_code == 201 and created.json()["formateur_nom"] == "Paul Durand"
    unknown = api.post(
        url, {**common, "candidat": {"numero": bruno.numero}, "formateur": str(MembreJuryFactory().public_id)}
    )
    assert unknown.status_code == 400 and unknown.json()["erreurs"][0]["champ"] == "formateur"

    available = api.get(f"{SESSIONS}{session.public_id}/jures-a-convoquer/").json()
    assert str(trainer.public_id) not in {j["membre"] for j in available}
    [flagged] = [j for j in available if j["membre"] == str(namesake.public_id)]
    assert flagged["avertissements"][0].startswith(f"Formateur ou accompagnateur de {bruno}")
    refused = api.post(f"{SESSIONS}{session.public_id}/jury/", {"membre": str(trainer.public_id)})
    assert refused.status_code == 400
    assert f"{trainer} : ce juré a formé ou accompagné {alice}, inscrit(e) à la session." in messages_of(refused)
    added = api.post(f"{SESSIONS}{session.public_id}/jury/", {"membre": str(namesake.public_id)})
    assert added.status_code == 201
    assert added.json()["avertissements_jury"][0].startswith(f"{namesake} : Formateur ou accompagnateur de {bruno}")


# --- 7. Confirmation pages count what will happen ----------------------------------------------------------------


@travel
def test_confirmation_pages_say_who_was_convened_and_what_is_left(client, world):  # noqa: F811
    session = convened_session(world, StatutSession.CONVOCATIONS_ENVOYEES)
    session.start_date = session.end_date = session.convocation_date = dt.date(2027, 1, 15)
    session.save()
    ins = InscriptionFactory(session=session, convocation_sent_at=timezone.now())
    client.force_login(world["gestionnaire"])
    cancel = text(client.get(reverse("examens:session_cancel", args=[session.public_id])))
    assert "Elle compte 1 candidat inscrit et 2 membres du jury." in cancel
    assert (
        "3 personnes ont déjà reçu sa convocation : CERES ne les prévient pas, informez-les de l'annulation." in cancel
    )
    row = session.jury.select_related("membre").first()
    remove = text(client.get(reverse("examens:jury_remove", args=[session.public_id, row.membre.public_id])))
    assert "Sa convocation lui a été envoyée le 03/12/2026" in remove
    assert "Le jury comptera ensuite 1 membre habilité, moins que les 2 exigés" in remove
    unregister = text(client.get(reverse("examens:inscription_delete", args=[session.public_id, ins.public_id])))
    assert f"{ins.candidat} sera désinscrit(e)" in unregister and "envoyée le 03/12/2026" in unregister
    assert MembreConvoque.objects.filter(session=session).count() == 2  # GET changes nothing


# --- 2. Late results on the UD's validation list, and in the API; the UD records only past sessions -------------


@travel
def test_late_results_on_the_validation_list_and_the_api(client, world, api):  # noqa: F811
    session = convened_session(world, StatutSession.RESULTATS_SAISIS)
    SessionExamen.objects.filter(pk=session.pk).update(
        start_date=dt.date(2026, 11, 2), end_date=dt.date(2026, 11, 2), convocation_date=dt.date(2026, 11, 2),
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 27, 10, 0)),
    )  # fmt: skip
    client.force_login(world["agent"])
    assert "Résultats transmis avec 10 j de retard" in text(client.get(reverse("examens:validations")))
    assert api.get(f"{SESSIONS}{session.public_id}/").json()["retard_resultats"] == (
        "Résultats transmis avec 10 j de retard"
    )


@travel
def test_ud_cannot_record_a_session_to_come(client, world):  # noqa: F811
    client.force_login(world["agent"])
    url = reverse("examens:session_create") + f"?centre={world['centre'].public_id}"
    data = form_values(client.get(url))
    data.update(titre=world["titre"].pk, type="titre", site=world["site"].pk, responsable=world["gestionnaire"].pk)
    data.update(start_date="2027-01-15", end_date="2027-01-15", reason="Pour aider le centre")
    refused = text(client.post(url, data))
    assert "date à venir : c'est le centre qui crée ses sessions" in refused
    assert not SessionExamen.objects.exists()
