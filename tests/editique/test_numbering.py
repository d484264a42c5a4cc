import threading

import pytest
from django.db import connection, transaction

from ceres.editique.models import Compteur
from ceres.editique.numbering import number_allocate
from ceres.editique.rules import check_number


class TestNumberAllocate:
    def test_sequence_per_scope(self):
        first = number_allocate(year=2026, departement_code="69")
        second = number_allocate(year=2026, departement_code="069")
        other = number_allocate(year=2026, departement_code="01")
        assert first.startswith("TP-2026-069-000001-")
        assert second.startswith("TP-2026-069-000002-")
        assert other.startswith("TP-2026-001-000001-")
        assert all(check_number(n) for n in (first, second, other))
        assert Compteur.objects.get(year=2026, departement_code="069").last_value == 2

    def test_rolled_back_allocation_is_not_lost(self):
        number_allocate(year=2026, departement_code="69")
        with pytest.raises(RuntimeError), transaction.atomic():
            number_allocate(year=2026, departement_code="69")
            raise RuntimeError("échec de l'appelant")
        # The counter rolled back with the caller: the next number follows the last committed one, no gap.
        assert number_allocate(year=2026, departement_code="69").startswith("TP-2026-069-000002-")


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_workers_never_share_a_number():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite sérialise les écritures : le verrou de ligne n'est vérifiable que sur PostgreSQL.")
    results, errors = [], []
    barrier = threading.Barrier(8)

    def worker():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            for _ in range(25):
                with transaction.atomic():
                    results.append(number_allocate(year=2026, departement_code="69"))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 200
    assert len(set(results)) == 200
    assert sorted(int(n.split("-")[3]) for n in results) == list(range(1, 201))


@pytest.mark.django_db(transaction=True)
def test_eight_concurrent_printing_workers_never_share_nor_duplicate_a_number():
    """8 workers print at once, each a different parchemin of an old session (number allocated at first print) and
    all of them the same shared one: one number per certification, never twice the same, stable across reprints."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite sérialise les écritures : le verrou de ligne n'est vérifiable que sur PostgreSQL.")
    from django.core.exceptions import ValidationError

    from ceres.documents.services import parchemin_issue, parchemin_reprint
    from ceres.examens.enums import TypeCertification
    from tests.documents.factories import PrintableCertificationFactory, ud_agent
    from tests.examens.factories import CertificationFactory, InscriptionFactory

    shared = PrintableCertificationFactory(avant_numerotation=True)
    session = shared.session
    own = [
        CertificationFactory(
            inscription=InscriptionFactory(session=session), kind=TypeCertification.TITRE, awarded_on=shared.awarded_on
        )
        for _ in range(8)
    ]
    agent = ud_agent(session)
    errors = []
    barrier = threading.Barrier(8)

    def worker(cert):
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            parchemin_issue(certification=cert, by=agent, paper_original=False)
            try:  # the first one in prints the original, the others queue on its lock and print duplicatas
                parchemin_issue(certification=shared, by=agent, paper_original=False)
            except ValidationError:
                parchemin_reprint(certification=shared, by=agent, reason="perte")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(cert,)) for cert in own]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    shared.refresh_from_db()
    assert set(shared.parchemins.values_list("number", flat=True)) == {shared.number}
    assert sorted(shared.parchemins.values_list("edition", flat=True)) == list(range(8))
    numbers = [shared.number]
    for cert in own:
        cert.refresh_from_db()
        assert list(cert.parchemins.values_list("number", flat=True)) == [cert.number]
        numbers.append(cert.number)
    assert len(set(numbers)) == 9
