"""The UD's sessions waiting for validation: the longest waiting first, the selected ones validated in one action
through the validation service (a refused one says why on its row, the others are validated)."""

import datetime as dt

from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from ceres.examens.enums import StatutSession
from ceres.examens.models import SessionExamen
from tests.comptes.factories import UserFactory
from tests.examens.factories import InscriptionFactory, SessionExamenFactory
from tests.examens.test_sessions_round2 import NOW, convened_session, text, travel, world  # noqa: F401
from tests.referentiels.factories import DepartementFactory


def waiting(world, days: int, **kwargs) -> SessionExamen:  # noqa: F811
    session = convened_session(world, StatutSession.RESULTATS_SAISIS, **kwargs)
    InscriptionFactory(session=session)
    SessionExamen.objects.filter(pk=session.pk).update(submitted_at=timezone.make_aware(NOW) - dt.timedelta(days=days))
    return session


def elsewhere() -> SessionExamen:
    """Results submitted in another département (Rhône)."""
    return SessionExamenFactory(
        status=StatutSession.RESULTATS_SAISIS, agrement__centre__departement=DepartementFactory(code="69")
    )


def rows(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(tr.get_text(" ").split()) for tr in soup.select("tbody tr")]


@travel
def test_selected_sessions_are_validated_and_a_refused_one_says_why(client, world):  # noqa: F811
    recent, oldest, middle = waiting(world, 1), waiting(world, 12), waiting(world, 5)
    elsewhere()
    client.force_login(world["agent"])
    url = reverse("examens:validations")

    page = client.get(url)
    listed = rows(page)
    assert len(listed) == 3 and "3 sessions à valider" in text(page)
    assert "12 jours d'attente" in listed[0] and "5 jours d'attente" in listed[1] and "1 jour d'attente" in listed[2]
    assert [str(s.public_id) in page.content.decode() for s in (oldest, middle, recent)] == [True] * 3

    response = client.post(
        url,
        {
            "sessions": [str(oldest.public_id), str(middle.public_id), str(recent.public_id)],
            f"pv-{oldest.public_id}": "PV-01-2026-0001",
            f"pv-{middle.public_id}": "",  # forgotten: refused, the others go through
            f"pv-{recent.public_id}": "PV-01-2026-0003",
        },
    )
    assert response.status_code == 200
    page = text(response)
    assert "2 sessions validées" in page and "1 session non validée" in page
    for session in (oldest, middle, recent):
        session.refresh_from_db()
    assert (oldest.status, oldest.pv_number, oldest.validated_by) == (
        StatutSession.VALIDEE, "PV-01-2026-0001", world["agent"]
    )  # fmt: skip
    assert recent.status == StatutSession.VALIDEE and middle.status == StatutSession.RESULTATS_SAISIS
    [row] = rows(response)
    assert "Le numéro de procès-verbal est obligatoire pour valider la session." in row
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(f"#choix-{middle.public_id}").has_attr("checked")  # still selected, to fix and resend

    response = client.post(url, {"sessions": [str(middle.public_id)], f"pv-{middle.public_id}": "PV-01-2026-0002"})
    assert response.status_code == 302
    assert "Aucune session n'attend votre validation." in text(client.get(url))


@travel
def test_a_session_of_another_departement_cannot_be_slipped_in(client, world):  # noqa: F811
    foreign = elsewhere()
    client.force_login(world["agent"])
    response = client.post(
        reverse("examens:validations"), {"sessions": [str(foreign.public_id)], f"pv-{foreign.public_id}": "PV-1"}
    )
    assert response.status_code == 302
    foreign.refresh_from_db()
    assert foreign.status == StatutSession.RESULTATS_SAISIS
    assert "Cochez au moins une session à valider." in text(client.get(response["Location"]))


@travel
def test_only_ud_agents_validate(client, world):  # noqa: F811
    client.force_login(world["gestionnaire"])
    assert client.get(reverse("examens:validations")).status_code == 403
    client.force_login(UserFactory(admin_national=True))
    assert client.get(reverse("examens:validations")).status_code == 403
