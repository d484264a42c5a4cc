"""Registration search: a centre finds a person another centre created with the exact name, a first name and the
birth date (one file per person for life), and its own candidates by name as before."""

import datetime as dt

from django.urls import reverse

from tests.candidats.factories import CandidatFactory
from tests.centres.factories import MembreCentreFactory
from tests.examens.factories import SessionExamenFactory


def test_centre_finds_another_centres_file_with_name_first_name_and_birth_date(client):
    session = SessionExamenFactory()
    user = MembreCentreFactory(centre=session.centre).user
    elsewhere = CandidatFactory(birth_name="Lambert", first_names="Hugo", birth_date=dt.date(1990, 4, 2))
    CandidatFactory(birth_name="Lambert", first_names="Hugo", birth_date=dt.date(1991, 4, 2))  # another person
    client.force_login(user)
    url = reverse("examens:inscription_add", args=[session.public_id])
    response = client.get(url, {"q": "Lambert", "first_name": "Hugo", "birth_date": "1990-04-02"})
    assert response.status_code == 200
    html = response.content.decode()
    assert str(elsewhere.public_id) in html
    assert html.count("Lambert") >= 1 and "1991" not in html


def test_registering_a_file_opened_elsewhere_requires_the_identity_attestation(client):
    """Issue #16: registering was enough to open another centre's candidate (contact data, results)."""
    from ceres.core.journal import journal_for

    session = SessionExamenFactory()
    user = MembreCentreFactory(centre=session.centre).user
    elsewhere = CandidatFactory(birth_name="Lambert", first_names="Hugo", birth_date=dt.date(1990, 4, 2))
    client.force_login(user)
    url = reverse("examens:inscription_add", args=[session.public_id])
    data = {"candidat": elsewhere.public_id, "route": "formation_continue", "training_start_date": "2025-09-01"}
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "pièce d&#x27;identité du candidat" in refused.content.decode()
    assert not session.inscriptions.exists()
    assert client.post(url, {**data, "identity_checked": "on"}).status_code == 302
    inscription = session.inscriptions.get()
    entry = journal_for(inscription).get(operation="inscription_create")
    assert entry.changes["identite_verifiee_par_le_centre"] is True
    # Once registered, the centre sees the file: a second session needs no new attestation.
    other = SessionExamenFactory(centre=session.centre, site=session.site, titre=session.titre)
    second = client.post(reverse("examens:inscription_add", args=[other.public_id]), data)
    assert second.status_code == 302


def test_the_path_hides_where_and_how_the_person_sat_elsewhere(client):
    from tests.examens.factories import InscriptionFactory

    mine = InscriptionFactory()
    other = InscriptionFactory(candidat=mine.candidat, decision="reussite")
    user = MembreCentreFactory(centre=mine.session.centre).user
    client.force_login(user)
    html = client.get(reverse("examens:parcours", args=[mine.candidat.public_id])).content.decode()
    assert mine.session.centre.name in html
    assert other.session.centre.name not in html
    assert "Hors de votre périmètre" in html
