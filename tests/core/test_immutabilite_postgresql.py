"""The database itself refuses what must never change (issue #16, hole 5), whatever the code path.

Before: bulk update()/delete() changed validated results; bulk_create with back-dated entries, _raw_delete() and plain
SQL altered the journal. Triggers: ceres/core/migrations/0002 and ceres/documents/migrations/0004.
"""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from ceres.core.journal import journal_record
from ceres.core.models import JournalEntry
from ceres.examens.models import Certification, Inscription, ResultatCcp, SessionExamen, results_correction
from tests.comptes.factories import UserFactory
from tests.examens.factories import CertificationFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database triggers exist on PostgreSQL only (production); SQLite keeps the ORM guards",
)


def refused(sql_or_callable, params=None):
    with pytest.raises(DatabaseError), transaction.atomic():
        if callable(sql_or_callable):
            sql_or_callable()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql_or_callable, params)


class TestJournal:
    @pytest.fixture
    def entry(self):
        return journal_record(action="other", obj=UserFactory(), by=None, operation="essai")

    def test_update_and_delete_are_refused_on_every_path(self, entry):
        qs = JournalEntry.objects.filter(pk=entry.pk)
        refused(lambda: models.QuerySet.update(qs, reason="réécrit"))
        refused(lambda: qs._raw_delete(qs.db))
        refused("UPDATE core_journalentry SET reason = 'réécrit' WHERE id = %s", [entry.pk])
        refused("DELETE FROM core_journalentry WHERE id = %s", [entry.pk])
        entry.refresh_from_db()
        assert entry.reason == ""

    def test_truncate_is_refused(self, entry):
        def truncate():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL ceres.maintenance = 'off'")
                cursor.execute("TRUNCATE core_journalentry CASCADE")

        refused(truncate)
        assert JournalEntry.objects.filter(pk=entry.pk).exists()

    def test_bulk_create_cannot_back_date_an_entry(self, entry):
        # created_at is set by the ORM at insertion (auto_now_add), even through bulk_create.
        old = timezone.now() - dt.timedelta(days=30)
        backdated = JournalEntry(created_at=old, action="other", object_type="x", object_id="2")
        JournalEntry.objects.bulk_create([backdated])
        assert JournalEntry.objects.get(object_id="2").created_at > old + dt.timedelta(days=29)

    def test_plain_sql_cannot_back_date_nor_future_date_an_entry(self):
        def insert(when):
            def run():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL ceres.maintenance = 'off'")  # as in production
                    cursor.execute(
                        "INSERT INTO core_journalentry (created_at, actor_label, action, operation, object_type, "
                        "object_id, object_repr, changes, reason) "
                        "VALUES (%s, '', 'other', '', 'x', '3', '', '{}', '')",
                        [when],
                    )

            return run

        refused(insert(timezone.now() - dt.timedelta(days=30)))
        refused(insert(timezone.now() + dt.timedelta(days=1)))
        assert not JournalEntry.objects.filter(object_id="3").exists()
        with transaction.atomic():
            insert(timezone.now())()  # dated now: accepted
        assert JournalEntry.objects.filter(object_id="3").count() == 1


class TestValidatedResults:
    @pytest.fixture
    def certification(self):
        cert = CertificationFactory(number="TP-2026-001-000001-5")
        return cert

    def test_bulk_update_delete_and_sql_cannot_change_validated_results(self, certification):
        inscription = certification.inscription
        qs = Inscription.objects.filter(pk=inscription.pk)
        refused(lambda: qs.update(decision="ajourne"))
        refused("UPDATE examens_inscription SET incidents = 'falsifié' WHERE id = %s", [inscription.pk])
        refused(lambda: qs._raw_delete(qs.db))
        ccp = inscription.session.titre.ccps.first()
        refused(
            lambda: ResultatCcp.objects.bulk_create([ResultatCcp(inscription=inscription, ccp=ccp, value="obtenu")])
        )
        with transaction.atomic(), results_correction():
            ResultatCcp.objects.bulk_create([ResultatCcp(inscription=inscription, ccp=ccp, value="non_obtenu")])
        results = ResultatCcp.objects.filter(inscription=inscription)
        refused(lambda: results.update(value="obtenu"))
        refused(lambda: results._raw_delete(results.db))
        assert results.get().value == "non_obtenu"
        session = SessionExamen.objects.filter(pk=inscription.session_id)
        refused(lambda: session.update(status="resultats_saisis"))
        refused(lambda: session.update(pv_number="PV-FAUX"))

    def test_the_correction_function_still_corrects(self, certification):
        inscription = certification.inscription
        with transaction.atomic(), results_correction():
            Inscription.objects.filter(pk=inscription.pk).update(incidents="Corrigé par l'UD")
        inscription.refresh_from_db()
        assert inscription.incidents == "Corrigé par l'UD"
        # Closed again after the correction.
        refused(lambda: Inscription.objects.filter(pk=inscription.pk).update(incidents="encore"))

    def test_issued_numbers_never_change_nor_disappear(self, certification):
        qs = Certification.objects.filter(pk=certification.pk)
        refused(lambda: qs.update(number="TP-2026-001-999999-9"))
        with transaction.atomic(), results_correction():
            refused(lambda: qs.update(number="TP-2026-001-999999-9"))  # not even in a correction (R1)
        refused(lambda: qs._raw_delete(qs.db))
        qs.update(withdrawn_at=timezone.now(), withdrawn_reason="retrait")  # other columns: allowed
        certification.refresh_from_db()
        assert certification.number == "TP-2026-001-000001-5"
