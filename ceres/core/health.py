"""Health checks for the load balancer: ``/sante/`` (liveness) and ``/sante/pret/`` (readiness).

Answered by a middleware placed before SecurityMiddleware and host validation: the load balancer probes each app
server directly, over HTTP and by its address, which must neither be redirected to HTTPS nor refused as an unknown
host. Liveness touches nothing (the process answers). Readiness checks the database and the cache (503 when one
fails: the balancer stops sending traffic to this server) and reports the task queue (depth, age of the oldest ready
task, running tasks): a backlog is a worker problem, shown as « alerte » but never a reason to take web servers out.
Nothing personal is returned; error details go to the logs only.
"""

import json
import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ceres.jobs.services import stale_tasks

logger = logging.getLogger(__name__)
LIVENESS_PATH = "/sante/"
READINESS_PATH = "/sante/pret/"


def _timed(check) -> dict:
    started = time.monotonic()
    try:
        details = check() or {}
    except Exception as exc:  # noqa: BLE001 - a failing dependency is the answer, not a crash
        logger.warning("sonde de disponibilité en échec : %s", exc.__class__.__name__, exc_info=True)
        return {"status": "erreur", "error": exc.__class__.__name__}
    return {"status": "ok", "duration_ms": round((time.monotonic() - started) * 1000, 1), **details}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"sante:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache sans mémoire")
    cache.delete(key)


def _queue() -> dict:
    now = timezone.now()
    ready = DBTaskResult.objects.ready()
    oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
    age = round((now - oldest).total_seconds()) if oldest else 0
    details = {
        "ready": ready.count(),
        "oldest_ready_age_s": age,
        "running": DBTaskResult.objects.running().count(),
        # Running tasks whose worker stopped beating: the next live worker takes them over (ceres.jobs).
        "stale": stale_tasks().count(),
    }
    if age > settings.CERES_QUEUE_ALERT_AGE:
        details["alert"] = f"tâche en attente depuis {age} s : les workers sont-ils démarrés ?"
    return details


def readiness() -> tuple[int, dict]:
    checks = {"database": _timed(_database), "cache": _timed(_cache)}
    checks["queue"] = _timed(_queue) if checks["database"]["status"] == "ok" else {"status": "inconnu"}
    ready = checks["database"]["status"] == "ok" and checks["cache"]["status"] == "ok"
    status = "ok" if ready else "erreur"
    if ready and "alert" in checks["queue"]:
        status = "alerte"
    return (200 if ready else 503), {"status": status, "checks": checks}


def _json(status: int, payload: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == LIVENESS_PATH:
                return _json(200, {"status": "ok"})
            if request.path == READINESS_PATH:
                return _json(*readiness())
        return self.get_response(request)
