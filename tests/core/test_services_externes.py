"""Production services exercised for real on this machine (issue #15): an HTTP e-mail provider through
django-anymail (a local server speaking Brevo's API) and S3-compatible object storage (moto's local S3 server)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.mail import EmailMessage
from django.test import override_settings

from ceres.core.storage import sha256_of, store_once
from config import production


class _BrevoApi(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 — http.server's naming
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"path": self.path, "key": self.headers.get("api-key"), "json": json.loads(body)})
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"messageId": "<202612031600.1@smtp-relay.brevo.com>"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def brevo():
    server = HTTPServer(("127.0.0.1", 0), _BrevoApi)
    _BrevoApi.received = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/v3/"
    server.shutdown()
    server.server_close()


def test_email_url_with_an_http_provider_sends_through_anymail(brevo):
    url = f"anymail+brevo://cle-secrete@?api_url={brevo}"
    assert production.problems({"EMAIL_URL": url}) == [p for p in production.problems({}) if "EMAIL_URL" not in p]
    with override_settings(**production.email_config(url)):
        EmailMessage("Convocation", "Présentez-vous le 15 janvier.", "ceres@travail.gouv.fr", ["a@exemple.fr"]).send()
    (call,) = _BrevoApi.received
    assert call["path"] == "/v3/smtp/email" and call["key"] == "cle-secrete"
    assert call["json"]["subject"] == "Convocation"
    assert call["json"]["to"] == [{"email": "a@exemple.fr"}]


def test_unknown_provider_or_missing_key_is_refused_in_french():
    (problem,) = [p for p in production.problems({"EMAIL_URL": "anymail+pigeon://cle@"}) if "EMAIL_URL" in p]
    assert "fournisseur HTTP inconnu" in problem
    assert [p for p in production.problems({"EMAIL_URL": "anymail+brevo://"}) if "EMAIL_URL" in p]


@pytest.fixture
def s3(monkeypatch):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    for name, value in (
        ("AWS_ACCESS_KEY_ID", "ceres"),
        ("AWS_SECRET_ACCESS_KEY", "ceres"),
        ("AWS_DEFAULT_REGION", "eu-west-3"),
    ):
        monkeypatch.setenv(name, value)
    endpoint = f"http://{host}:{port}"
    import boto3

    boto3.client("s3", endpoint_url=endpoint).create_bucket(
        Bucket="ceres-documents", CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
    )
    yield endpoint
    server.stop()


def test_documents_are_written_once_to_s3_compatible_storage(s3):
    from storages.backends.s3 import S3Storage

    config = production.storages_config({"CERES_S3_BUCKET": "ceres-documents", "CERES_S3_ENDPOINT_URL": s3})
    assert config["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = S3Storage(**config["default"]["OPTIONS"])
    pdf = b"%PDF-1.7 parchemin n 2026-069-000001"
    name, sha256 = store_once(pdf, folder="parchemins", storage=storage)
    assert storage.exists(name) and sha256_of(name, storage=storage) == sha256
    assert store_once(pdf, folder="parchemins", storage=storage) == (name, sha256)  # resumed task: nothing new
    _, listed = storage.listdir(f"parchemins/{sha256[:2]}")
    assert listed == [f"{sha256}.pdf"]
    assert "X-Amz-Signature" in storage.url(name)  # private bucket: signed, expiring links only
