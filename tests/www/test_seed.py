"""`make seed` twice: the second run changes nothing (no row added, changed or removed, in any CERES table)."""

import hashlib

from django.apps import apps
from django.core.management import call_command
from django.test import override_settings


def snapshot() -> dict[str, tuple[int, str]]:
    tables = {}
    for model in apps.get_models():
        if not model.__module__.startswith("ceres."):
            continue
        rows = list(model.objects.order_by("pk").values_list())
        tables[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return tables


@override_settings(DEBUG=True)
def test_running_the_seed_twice_changes_nothing(transactional_db):
    # The same commands, in the same order, as the Makefile's `seed` target.
    call_command("load_referentiels", "--wet-run", verbosity=0)
    call_command("seed_demo", "--wet-run", verbosity=0)
    first = snapshot()
    assert first["candidats.Candidat"][0] > 0 and first["examens.SessionExamen"][0] > 0

    call_command("load_referentiels", "--wet-run", verbosity=0)
    call_command("seed_demo", "--wet-run", verbosity=0)
    second = snapshot()
    changed = sorted(label for label in first if first[label] != second[label])
    assert not changed, f"tables modifiées par la seconde exécution : {changed}"
