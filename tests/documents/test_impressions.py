"""Print log page: every printed copy of the sessions in scope, filtered by nature and period."""

import datetime as dt

from bs4 import BeautifulSoup
from django.urls import reverse

from ceres.documents import services
from tests.comptes.factories import UserFactory
from tests.documents.factories import PrintableCertificationFactory, ud_agent


def text(response) -> str:
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def rows(response) -> list[list[str]]:
    table = BeautifulSoup(response.content, "html.parser").select("tbody tr")
    return [[" ".join(td.get_text(" ").split()) for td in tr.select("td")] for tr in table]


def test_print_log_lists_the_copies_in_scope_and_filters_them(client):
    cert = PrintableCertificationFactory()
    agent = ud_agent(cert.session)
    original = services.parchemin_issue(certification=cert, by=agent)
    duplicata = services.parchemin_reprint(certification=cert, by=agent, reason="perte")
    client.force_login(agent)
    url = reverse("documents:impressions")

    page = text(client.get(url))
    assert "2 impressions" in page and "Journal des impressions" in page
    assert duplicata.number == original.number  # one number, two printed copies: two rows, the newest first
    assert [row[1:3] for row in rows(client.get(url))] == [
        [original.number, "Duplicata n° 1 (perte)"],
        [original.number, "Original"],
    ]
    assert cert.candidat.display_name in page
    page = text(client.get(url, {"nature": "duplicata"}))
    assert "1 impression" in page and "Duplicata" in page
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert "0 impression" in text(client.get(url, {"start": tomorrow.isoformat()}))

    client.force_login(UserFactory(agent_ud=True))  # another UD: nothing of this session
    assert "0 impression" in text(client.get(url))
    client.force_login(UserFactory(gestionnaire_centre=True))
    assert client.get(url).status_code == 403
