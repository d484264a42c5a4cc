"""Production settings: every external service from the environment, refusal listing what is missing."""

import json
import logging
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ceres.core.logs import JsonFormatter, RequestContextFilter
from config import production
from tests.comptes.factories import UserFactory

VALID = {
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "ceres.example.gouv.fr",
    "DATABASE_URL": "postgres://ceres@db.interne/ceres",
    "CACHE_URL": "redis://redis.interne:6379/0",
    "EMAIL_URL": "smtp+tls://ceres:secret@relais.example.gouv.fr:587",
    "CERES_PUBLIC_BASE_URL": "https://ceres.example.gouv.fr",
    "CERES_MEDIA_ROOT": "/srv/ceres/documents",
    "CERES_SIGNING_KEYS": "k2026=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
}


@pytest.mark.no_django_db
class TestRequiredVariables:
    def test_complete_environment_starts(self):
        assert production.problems(VALID) == []

    def test_empty_environment_lists_every_missing_service(self):
        found = " ".join(production.problems({}))
        for name in [
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOWED_HOSTS",
            "DATABASE_URL",
            "CACHE_URL",
            "EMAIL_URL",
            "CERES_PUBLIC_BASE_URL",
            "CERES_MEDIA_ROOT",
            "CERES_SIGNING_KEYS",
        ]:
            assert name in found

    @pytest.mark.parametrize(
        "name, value",
        [
            ("DATABASE_URL", "sqlite:///db.sqlite3"),
            ("CACHE_URL", "locmemcache://"),  # one counter per process: rate limits would multiply
            ("EMAIL_URL", "smtp://relais.example.gouv.fr:25"),  # remote relay without TLS
            ("CERES_PUBLIC_BASE_URL", "http://ceres.example.gouv.fr"),
            ("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me"),
        ],
    )
    def test_unsafe_value_refused(self, name, value):
        problems = production.problems({**VALID, name: value})
        assert len(problems) == 1 and name in problems[0]

    def test_local_relay_without_tls_allowed(self):
        assert production.problems({**VALID, "EMAIL_URL": "smtp://127.0.0.1:25"}) == []

    def test_s3_bucket_replaces_media_root(self):
        env = {**VALID, "CERES_MEDIA_ROOT": "", "CERES_S3_BUCKET": "ceres-documents"}
        assert production.problems(env) == []
        storage = production.storages_config(env)["default"]
        assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
        assert storage["OPTIONS"]["bucket_name"] == "ceres-documents"
        assert storage["OPTIONS"]["file_overwrite"] is False

    def test_service_urls_become_django_settings(self):
        cache = production.cache_config("redis://redis.interne:6379/2", prefix="ceres")
        assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert cache["LOCATION"] == "redis://redis.interne:6379/2"
        email = production.email_config(VALID["EMAIL_URL"])
        assert email["EMAIL_HOST"] == "relais.example.gouv.fr"
        assert email["EMAIL_PORT"] == 587
        assert email["EMAIL_USE_TLS"] is True
        assert email["EMAIL_HOST_USER"] == "ceres"


def test_production_refuses_to_start_with_one_message():
    env = {k: v for k, v in os.environ.items() if k not in VALID and not k.startswith("CERES_")}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.prod", **VALID, "CACHE_URL": "", "EMAIL_URL": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "Configuration de production incomplète" in result.stderr
    assert "CACHE_URL doit désigner Redis" in result.stderr
    assert "EMAIL_URL est obligatoire" in result.stderr


class TestStructuredLogs:
    def test_request_line_carries_request_id_and_user_id_but_no_personal_data(self, client):
        user = UserFactory(email="jeanne.martin@example.fr")
        client.force_login(user)
        records = []
        handler = logging.Handler()
        handler.emit = records.append
        handler.addFilter(RequestContextFilter())
        logger = logging.getLogger("ceres.requests")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        try:
            response = client.get("/", headers={"X-Request-ID": "proxy-abc-12345678"})
        finally:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
        assert response["X-Request-ID"] == "proxy-abc-12345678"
        line = json.loads(JsonFormatter().format(records[-1]))
        assert line["request_id"] == "proxy-abc-12345678"
        assert line["user_id"] == user.pk
        assert line["status"] == response.status_code
        assert "jeanne" not in json.dumps(line)

    def test_unsafe_incoming_request_id_replaced(self, client):
        response = client.get("/", headers={"X-Request-ID": "<script>"})
        assert len(response["X-Request-ID"]) == 32


@pytest.mark.no_django_db
def test_error_reports_keep_only_the_user_id():
    event = {
        "user": {"id": 7, "email": "jeanne.martin@example.fr", "ip_address": "203.0.113.9"},
        "request": {"cookies": {"sessionid": "x"}, "data": {"nom": "Martin"}, "headers": {"Cookie": "x", "Host": "h"}},
    }
    scrubbed = production.scrub_event(event, None)
    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"] == {"headers": {"Host": "h"}}


class TestHealth:
    def test_liveness_answers_without_login_host_or_https(self, client, settings):
        settings.ALLOWED_HOSTS = ["ceres.example.gouv.fr"]
        settings.SECURE_SSL_REDIRECT = True
        response = client.get("/sante/", HTTP_HOST="10.0.0.12:8000")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_readiness_reports_database_cache_and_queue(self, client):
        DBTaskResult.objects.create(
            task_path="ceres.documents.tasks.print_session_lot",
            args_kwargs={"args": [1], "kwargs": {}},
            backend_name="default",
            run_after=timezone.now() - timedelta(hours=1),
        )
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
        body = client.get("/sante/pret/").json()
        assert body["checks"]["database"]["status"] == "ok"
        assert body["checks"]["cache"]["status"] == "ok"
        assert body["checks"]["queue"]["ready"] == 1
        assert body["checks"]["queue"]["oldest_ready_age_s"] >= 3600
        assert body["status"] == "alerte"  # an hour-old task: workers are down, yet web servers stay in

    def test_readiness_fails_when_the_cache_is_down(self, client, settings):
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",
                "OPTIONS": {"socket_connect_timeout": 0.2},
            }
        }
        response = client.get("/sante/pret/")
        assert response.status_code == 503
        assert response.json()["checks"]["cache"] == {"status": "erreur", "error": "ConnectionError"}
