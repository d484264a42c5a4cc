"""Statistics: computed into summary tables by `calculer_statistiques`, read by the UD / DREETS / DGEFP pages."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceres.centres.enums import TypeCentre
from ceres.documents.models import Parchemin
from ceres.examens.enums import Decision, ResultatCcpValeur, StatutSession, VoieAcces
from ceres.examens.models import ResultatCcp
from ceres.statistiques import rules
from ceres.statistiques.models import StatJury, StatResultats, StatSessions
from ceres.statistiques.selectors import endings
from ceres.statistiques.services import statistiques_compute
from tests.comptes.factories import UserFactory
from tests.examens.factories import (
    CertificationFactory,
    InscriptionFactory,
    MembreConvoqueFactory,
    SessionExamenFactory,
)
from tests.jurys.factories import HabilitationFactory
from tests.referentiels.factories import TitreProfessionnelFactory, UniteDepartementaleFactory

TZ = timezone.get_current_timezone()


def at(day):
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ)


@pytest.fixture
def scene(db):
    """A validated session of March 2026 (3 candidates, results 5 days after the end, validation 2 days later,
    first print 3 days later), whose convocation preceded the first day; and a session in another département."""
    session = SessionExamenFactory(
        status=StatutSession.RESULTATS_SAISIS,
        start_date=dt.date(2026, 3, 2),
        end_date=dt.date(2026, 3, 4),
        convocation_date=dt.date(2026, 2, 27),
        submitted_at=at(dt.date(2026, 3, 9)),
        validated_at=at(dt.date(2026, 3, 11)),
    )
    reussi = InscriptionFactory(session=session, decision=Decision.REUSSITE)
    partiel = InscriptionFactory(session=session, decision=Decision.REUSSITE_PARTIELLE, route=VoieAcces.VAE)
    InscriptionFactory(session=session, decision=Decision.ABSENT)
    ccp1, ccp2 = session.titre.ccps.all()
    for inscription, values in ((reussi, ("obtenu", "obtenu")), (partiel, ("obtenu", "non_obtenu"))):
        for ccp, value in zip((ccp1, ccp2), values, strict=True):
            ResultatCcp.objects.create(inscription=inscription, ccp=ccp, value=ResultatCcpValeur(value))
    juror = MembreConvoqueFactory(session=session).membre
    session.status = StatutSession.VALIDEE
    session.save(update_fields=["status"])
    cert = CertificationFactory(inscription=reussi, kind="titre", ccp=None)
    with time_machine.travel(at(dt.date(2026, 3, 14)), tick=False):
        Parchemin.objects.create(certification=cert, number="N1", nature="original", template="t", sha256="0" * 64)
    other = SessionExamenFactory(
        start_date=dt.date(2026, 3, 16),
        end_date=dt.date(2026, 3, 16),
        convocation_date=dt.date(2026, 3, 16),
        agrement__centre__departement__code="75",
    )
    InscriptionFactory(session=other)
    return session, other, juror


class TestCompute:
    def test_figures_of_a_session(self, scene):
        session, other, juror = scene
        statistiques_compute()
        row = StatSessions.objects.get(centre=session.centre)
        assert (row.month, row.sessions, row.candidates, row.validated) == (dt.date(2026, 3, 1), 1, 3, 1)
        assert (row.delay_results_days, row.delay_validation_days, row.delay_print_days) == (5, 2, 3)
        assert row.convocation_before_start == 1
        results = {r.route: r for r in StatResultats.objects.filter(centre=session.centre)}
        continue_ = results[VoieAcces.FORMATION_CONTINUE]
        assert (continue_.registered, continue_.success, continue_.absent) == (2, 1, 1)
        assert (continue_.ccp_presented, continue_.ccp_obtained) == (2, 2)
        assert (results[VoieAcces.VAE].partial, results[VoieAcces.VAE].ccp_obtained) == (1, 1)
        assert StatJury.objects.get(membre=juror).seats == 1

    def test_cancelled_sessions_are_left_out(self, scene):
        session, other, _ = scene
        other.status = StatutSession.ANNULEE
        other.save()
        statistiques_compute()
        assert not StatSessions.objects.filter(centre=other.centre).exists()

    def test_incremental_run_recomputes_only_touched_months(self, scene):
        session, other, _ = scene
        first = statistiques_compute()
        InscriptionFactory(session=other)
        run = statistiques_compute(since=first.finished_at)
        assert not run.full and run.months == 1
        assert StatSessions.objects.get(centre=other.centre).candidates == 2
        assert StatSessions.objects.get(centre=session.centre).candidates == 3  # untouched month kept

    def test_command_is_dry_run_by_default(self, scene, capsys):
        call_command("calculer_statistiques")
        assert not StatSessions.objects.exists()
        call_command("calculer_statistiques", "--wet-run")
        assert StatSessions.objects.count() == 2
        assert "recalculées (complet)" in capsys.readouterr().out


class TestRules:
    pytestmark = pytest.mark.no_django_db

    def test_rates_and_means(self):
        assert rules.rate(1, 3) == 33.3 and rules.rate(1, 0) is None
        assert rules.mean(7, 2) == 3.5 and rules.mean(0, 0) is None

    def test_buckets(self):
        assert rules.seat_buckets([1, 2, 3, 5, 20]) == [
            ("1 session", 1), ("2 à 3", 2), ("4 à 6", 1), ("7 à 12", 0), ("13 et plus", 1)
        ]  # fmt: skip

    def test_concentration_is_the_share_of_the_three_most_present_jurors(self):
        pairs = [(1, 10, 6), (1, 11, 2), (1, 12, 1), (1, 13, 1), (2, 20, 1)]
        result = rules.concentration(pairs)
        assert result[1] == {"seats": 10, "jurors": 4, "top_share": 90.0}
        assert result[2]["top_share"] == 100.0


class TestPages:
    @time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False)
    def test_ud_sees_its_departement_with_charts_tables_and_csv(self, client, scene):
        session, other, _ = scene
        statistiques_compute()
        agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        client.force_login(agent)
        response = client.get(reverse("statistiques:index"))
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Département {session.departement.name}" in html
        assert 'role="img"' in html and '<title id="graphique-sessions-par-mois-t">' in html
        assert "mars 2026" in html
        assert other.centre.name not in html
        assert "Sessions dont la convocation précède le premier jour" in html
        csv = client.get(reverse("statistiques:csv", args=["delais"])).content.decode("utf-8-sig")
        assert csv.splitlines()[0].startswith("Mois;Fin de session")
        assert "mars 2026;5,0;2,0;3,0" in csv

    @time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False)
    def test_filters_by_centre_type_and_period(self, client, scene):
        statistiques_compute()
        client.force_login(UserFactory(admin_national=True))
        html = client.get(reverse("statistiques:index"), {"centre_type": TypeCentre.CFA}).content.decode()
        assert html.count("Aucune donnée pour ces filtres.") >= 5
        csv = client.get(reverse("statistiques:csv", args=["sessions-par-mois"]), {"start": "2026-03"})
        assert "mars 2026;2;4" in csv.content.decode("utf-8-sig")

    def test_centre_managers_have_no_statistics_page(self, client, db):
        client.force_login(UserFactory(gestionnaire_centre=True))
        assert client.get(reverse("statistiques:index")).status_code == 403

    @time_machine.travel(dt.datetime(2026, 6, 15, 10, tzinfo=TZ), tick=False)
    def test_the_job_prepares_each_scopes_page_and_a_new_run_refreshes_it(self, client, scene):
        session, other, _ = scene
        admin = UserFactory(admin_national=True)
        agent = UserFactory(agent_ud=True, ud=UniteDepartementaleFactory(departement=session.departement))
        out = io.StringIO()
        call_command("calculer_statistiques", "--wet-run", stdout=out)
        assert "Pages préparées : 2 périmètres" in out.getvalue()
        client.force_login(admin)
        # Prepared by the job: the page reads none of the summary tables.
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("statistiques:index")).content.decode()
        assert not [q for q in queries.captured_queries if "statistiques_stat" in q["sql"]]
        assert other.centre.name in html  # national scope: both départements
        client.force_login(agent)
        assert other.centre.name not in client.get(reverse("statistiques:index")).content.decode()
        # New figures after the next run: the kept page belonged to the previous run.
        InscriptionFactory(session=other, decision=Decision.REUSSITE)
        other.status = StatutSession.VALIDEE
        other.save(update_fields=["status"])
        client.force_login(admin)
        before = client.get(reverse("statistiques:csv", args=["sessions-par-mois"])).content.decode("utf-8-sig")
        call_command("calculer_statistiques", "--wet-run", stdout=io.StringIO())
        after = client.get(reverse("statistiques:csv", args=["sessions-par-mois"])).content.decode("utf-8-sig")
        assert before != after


def test_habilitations_ending_are_counted_at_their_effective_end(db):
    """The échéances table reads a habilitation's end as the juror pages show it: one running to the title's end of
    life (flag, or an end typed on the title's last valid day) ends 24 months after that day, not at end of life."""
    today = dt.date(2026, 12, 3)
    ending_soon = TitreProfessionnelFactory(start_date=dt.date(2020, 1, 1), end_date=dt.date(2027, 2, 1))
    extended_ending_soon = TitreProfessionnelFactory(start_date=dt.date(2015, 1, 1), end_date=dt.date(2025, 3, 1))
    admin = UserFactory(admin_national=True)
    HabilitationFactory(titre=ending_soon)  # until end of life: 31/01/2027 + 24 months = 31/01/2029
    HabilitationFactory(titre=ending_soon, until_end_of_life=False, end_date=dt.date(2027, 1, 31))  # same
    HabilitationFactory(titre=ending_soon, until_end_of_life=False, end_date=dt.date(2027, 1, 15))
    HabilitationFactory(titre=extended_ending_soon)  # 28/02/2025 + 24 months = 28/02/2027
    rows = {row["months"]: row["habilitations"] for row in endings(admin, today)}
    assert rows == {3: 2, 6: 2, 12: 2}  # the fixed end (15/01/2027) and the extended one (28/02/2027)
