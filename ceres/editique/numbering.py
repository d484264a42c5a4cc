"""Allocation of parchemin numbers: one locked counter row per (year, département).

Call ``number_allocate`` INSIDE the transaction that stores the number on the numbered object: the counter row
stays locked (``select_for_update``) until that transaction ends, so concurrent workers queue up and never get the
same value; if the caller rolls back, the counter rolls back too and no number is lost or handed out twice.
The numbered object must also carry a unique constraint on its number field (backstop).
"""

from django.db import IntegrityError, transaction

from ceres.editique.models import Compteur
from ceres.editique.rules import format_number, normalize_departement


def _counter_for_update(year: int, departement_code: str) -> Compteur:
    counter = Compteur.objects.select_for_update().filter(year=year, departement_code=departement_code).first()
    if counter is not None:
        return counter
    try:
        # Two first allocations of a scope may race to create the row: the loser re-reads the winner's row.
        with transaction.atomic():
            Compteur.objects.create(year=year, departement_code=departement_code)
    except IntegrityError:
        pass
    return Compteur.objects.select_for_update().get(year=year, departement_code=departement_code)


@transaction.atomic
def number_allocate(*, year: int, departement_code: str) -> str:
    """Next number of the scope, e.g. ``TP-2026-069-000123-K``. Never duplicated, never reused."""
    return numbers_allocate(year=year, departement_code=departement_code, count=1)[0]


@transaction.atomic
def numbers_allocate(*, year: int, departement_code: str, count: int) -> list[str]:
    """The next ``count`` numbers of the scope, in one step of the locked counter (bulk printing of old sessions)."""
    code = normalize_departement(departement_code)
    counter = _counter_for_update(int(year), code)
    first = counter.last_value + 1
    counter.last_value += count
    counter.save(update_fields=["last_value", "updated_at"])
    return [format_number(int(year), code, value) for value in range(first, counter.last_value + 1)]
