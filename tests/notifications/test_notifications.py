"""Notifications: each event reaches the people concerned once, in CERES and by e-mail when they want it."""

import datetime as dt
from unittest import mock

import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from ceres.centres import services as centres_services
from ceres.centres.enums import DecisionAgrement
from ceres.examens import rules as examens_rules
from ceres.examens.enums import StatutSession
from ceres.examens.services import session_return, session_transition
from ceres.notifications import services
from ceres.notifications.enums import Canal, EtatEnvoi, Sorte
from ceres.notifications.models import Notification
from ceres.notifications.tasks import requeue_pending
from tests.centres.factories import AgrementFactory, MembreCentreFactory
from tests.comptes.factories import UserFactory
from tests.examens.factories import MembreConvoqueFactory, SessionExamenFactory
from tests.jurys.factories import HabilitationFactory
from tests.referentiels.factories import TitreProfessionnelFactory, UniteDepartementaleFactory

TODAY = dt.date(2026, 12, 3)


def _session_with_people(status):
    session = SessionExamenFactory(status=status)
    MembreConvoqueFactory.create_batch(2, session=session)  # a jury habilitated on every day (re-checked on the way)
    members = [MembreCentreFactory(centre=session.centre).user for _ in range(2)]
    ud_agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
    UserFactory(agent_ud=True)  # another département's UD: never told
    return session, members, ud_agent


class TestSessionEvents:
    def test_returned_session_tells_each_centre_member_once_with_the_reason(self, django_capture_on_commit_callbacks):
        session, members, ud_agent = _session_with_people(StatutSession.RESULTATS_SAISIS)
        with django_capture_on_commit_callbacks(execute=True):
            session_return(session=session, by=ud_agent, reason="PV non signé par le président du jury")
        notes = Notification.objects.filter(kind=Sorte.SESSION_RENVOYEE)
        assert sorted(n.user_id for n in notes) == sorted(u.pk for u in members)
        assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in members)
        assert "PV non signé par le président du jury" in mail.outbox[0].body
        assert all(n.email_status == EtatEnvoi.ENVOYE for n in Notification.objects.all())

    def test_submitted_results_tell_the_ud_of_the_session_only(self, django_capture_on_commit_callbacks):
        session, members, ud_agent = _session_with_people(StatutSession.EN_COURS)
        with django_capture_on_commit_callbacks(execute=True):
            session_transition(
                session=session, target=StatutSession.RESULTATS_SAISIS, by=members[0], actor=examens_rules.CENTRE
            )
        assert [n.user for n in Notification.objects.all()] == [ud_agent]
        assert [m.to for m in mail.outbox] == [[ud_agent.email]]
        assert "Résultats à valider" in mail.outbox[0].subject

    def test_validated_session_by_preference_stays_in_ceres(self, django_capture_on_commit_callbacks):
        session, members, ud_agent = _session_with_people(StatutSession.RESULTATS_SAISIS)
        services.preferences_save(user=members[0], channels={Sorte.SESSION_VALIDEE: Canal.APPLICATION})
        with django_capture_on_commit_callbacks(execute=True):
            session_transition(session=session, target=StatutSession.VALIDEE, by=ud_agent, actor=examens_rules.UD)
        assert Notification.objects.filter(kind=Sorte.SESSION_VALIDEE).count() == 2
        assert [m.to for m in mail.outbox] == [[members[1].email]]  # the other one chose CERES only


def test_agrement_decision_is_mandatory_email_even_if_the_centre_prefers_ceres(django_capture_on_commit_callbacks):
    agrement = AgrementFactory()
    member = MembreCentreFactory(centre=agrement.centre).user
    services.preferences_save(user=member, channels={Sorte.AGREMENT_DECIDE: Canal.APPLICATION})
    agent = UserFactory(admin_national=True)
    with django_capture_on_commit_callbacks(execute=True):
        centres_services.agrement_decide(
            agrement=agrement, decision=DecisionAgrement.REFUSEE, reason="Plateau technique incomplet", by=agent
        )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "Plateau technique incomplet" in mail.outbox[0].body


@time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
def test_end_alerts_are_sent_once_per_deadline(django_capture_on_commit_callbacks):
    ending = AgrementFactory(valide=True, start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 2, 1))
    AgrementFactory(valide=True, start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 9, 1))  # not yet
    centre_user = MembreCentreFactory(centre=ending.centre).user
    # Habilitated until the end of life (01/01/2025): extended 24 months, effective end 31/12/2026 or 01/01/2027.
    old_title = TitreProfessionnelFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2025, 1, 1))
    extended = HabilitationFactory(titre=old_title, start_date=dt.date(2021, 1, 1))
    juror_user = UserFactory(membre_jury=True)
    extended.membre.user = juror_user
    extended.membre.save()
    HabilitationFactory(date_fixe=True, end_date=dt.date(2027, 8, 1))  # ends in 8 months: no alert yet
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("alertes_echeances", "--wet-run", verbosity=0)
    agrement_notes = Notification.objects.filter(kind=Sorte.ECHEANCE_AGREMENT)
    assert [n.user for n in agrement_notes] == [centre_user]
    habilitation_notes = Notification.objects.filter(kind=Sorte.ECHEANCE_HABILITATION)
    assert juror_user in [n.user for n in habilitation_notes]
    assert "prolongée après la fin de vie" in habilitation_notes.get(user=juror_user).body
    assert len(mail.outbox) == Notification.objects.count()  # the second run sent nothing more


@time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC))
def test_end_alerts_read_the_title_last_day_once(django_capture_on_commit_callbacks):
    # Title ending 01/02/2027 (exclusive, docs/decisions/0003): its last valid day is 31/01/2027; an agrément typed to
    # end that day runs to the end of life (nothing to renew), and the delays count from that day.
    titre = TitreProfessionnelFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2027, 2, 1))
    agrement = AgrementFactory(valide=True, titre=titre, start_date=dt.date(2024, 1, 1), end_date=dt.date(2027, 1, 31))
    MembreCentreFactory(centre=agrement.centre)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("alertes_echeances", "--wet-run", verbosity=0)
    agrement_note = Notification.objects.get(kind=Sorte.ECHEANCE_AGREMENT)
    assert "court jusqu'à la fin de vie du titre" in agrement_note.body
    assert "renouvellement" not in agrement_note.body
    title_note = Notification.objects.get(kind=Sorte.ECHEANCE_TITRE)
    assert (
        "Les sessions du délai de prolongation (12 mois, jusqu'au 31/01/2028, pour les candidats éligibles) doivent "
        "être enregistrées dans CERES avant le 01/02/2027 ; les CFA et les CRP peuvent en créer jusqu'au 31/01/2029"
    ) in title_note.body


def test_a_failed_email_is_retried_and_sent_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("relais injoignable")):
        with django_capture_on_commit_callbacks(execute=True):
            services.notify([user], kind=Sorte.SESSION_VALIDEE, key="essai:1", title="Essai", body="Corps")
    note = Notification.objects.get()
    assert (note.email_status, note.email_attempts) == (EtatEnvoi.A_ENVOYER, 1)
    assert "relais injoignable" in note.email_error
    assert requeue_pending() == 1
    assert requeue_pending() == 0
    note.refresh_from_db()
    assert note.email_status == EtatEnvoi.ENVOYE and len(mail.outbox) == 1


def test_the_page_lists_marks_read_and_saves_preferences(client):
    user = UserFactory()
    services.notify([user], kind=Sorte.SESSION_VALIDEE, key="essai:2", title="Session validée : essai", body="Ok")
    services.notify([UserFactory()], kind=Sorte.SESSION_VALIDEE, key="essai:3", title="Pas pour vous", body="Non")
    client.force_login(user)
    html = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Session validée : essai" in html and "Pas pour vous" not in html
    assert "1</strong> notification non lue" in html
    client.post(reverse("notifications:notification_list"))
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    client.post(
        reverse("notifications:notification_list"),
        {
            "preferences": "1",
            f"canal_{Sorte.ECHEANCE_TITRE}": Canal.APPLICATION,
            f"canal_{Sorte.AGREMENT_DECIDE}": "x",
        },
    )
    assert services.channel_for(user, Sorte.ECHEANCE_TITRE) == Canal.APPLICATION
    assert services.channel_for(user, Sorte.AGREMENT_DECIDE) == Canal.EMAIL  # mandatory


def test_an_email_sent_again_after_a_crash_carries_the_same_message_id(django_capture_on_commit_callbacks):
    """A worker killed after the SMTP send but before marking the row sends it again: same Message-ID, so mail
    clients show one message (issue #15)."""
    from ceres.notifications.tasks import send_notification_email

    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify([user], kind=Sorte.SESSION_VALIDEE, key="essai:2", title="Essai", body="Corps")
    note = Notification.objects.get()
    Notification.objects.filter(pk=note.pk).update(email_status=EtatEnvoi.A_ENVOYER)  # the crash lost the mark
    send_notification_email.call(note.pk)
    first, second = mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith(f"<notification.{note.pk}.")
