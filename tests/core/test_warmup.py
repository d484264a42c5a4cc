"""The app server prepares each process before its first request (config/warmup.py, called by config/wsgi.py)."""

import gc

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from ceres.referentiels import communes
from config.warmup import warm_up
from tests.referentiels.factories import CommuneFactory
from tests.referentiels.test_communes_memory import memory  # noqa: F401 (fixture: production's in-memory index)


@pytest.mark.django_db(transaction=True)  # warm_up closes the connections, as before gunicorn forks its workers
def test_a_started_process_searches_communes_and_renders_without_first_time_work(memory):  # noqa: F811
    CommuneFactory(code_insee="01018", name="Arlod")
    warm_up()
    assert gc.get_freeze_count() > 0  # long-lived objects out of the collector's reach
    gc.unfreeze()
    with CaptureQueriesContext(connection) as queries:
        found = communes.search_communes("arlod")
    assert [c["nom"] for c in found] == ["Arlod"]
    assert len(queries) == 0
    compiled = {key.split(":")[0] for key in engines["django"].engine.template_loaders[0].get_template_cache}
    assert {"www/tableau_de_bord.html", "candidats/doublon_list.html"} <= compiled
