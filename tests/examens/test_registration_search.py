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
