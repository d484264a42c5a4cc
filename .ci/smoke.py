#!/usr/bin/env python3
"""Production smoke test (run by .ci/run): the real production stack on this machine, driven over HTTP.

gunicorn (3 processes, config.settings.prod) on PostgreSQL and Redis, plus one task worker (db_worker). Data:
référentiels and the demo accounts loaded beforehand. Then over HTTP only: the centre logs in and creates a session;
the UD validates a session whose results were sent and prints its parchemins as a lot; the worker prints it; the lot
PDF is downloaded and each number is checked on the public verification page; finally the public page's rate limit
(60 per minute and per address) must hold across the 3 processes. Everything is stopped and dropped at the end.

Environment: SMOKE_DATABASE_URL (default: a fresh database ceres_smoke_<pid> on 127.0.0.1, dropped at the end),
SMOKE_REDIS_URL (default redis://127.0.0.1:6379/5; keys under a prefix of their own, deleted at the end).
"""

import http.client
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "Ceres-demo-2026!"
RATE_LIMIT = 60  # ceres/documents/views.py PAGE_LIMIT: public verification, per minute and per client address
STARTED = time.monotonic()


def step(message: str) -> None:
    print(f"[{time.monotonic() - STARTED:6.1f} s] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies (Secure ones too, as behind the TLS proxy), CSRF token, redirects off."""

    def __init__(self, port: int, client_address: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.client_address = client_address

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            # What the reverse proxy adds (docs/exploitation.md): TLS terminated, client address appended.
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.client_address,
            "Origin": f"https://127.0.0.1:{self.port}",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self.request("GET", path)

    def page(self, path: str) -> str:
        status, _, content = self.get(path)
        assert status == 200, f"GET {path} : {status}"
        return content.decode()

    def post_form(self, path: str, data: dict, *, page: str = "") -> tuple[int, dict, bytes]:
        """POST to path with the CSRF token of the page that shows the form (path itself by default)."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.page(page or path))
        assert token, f"pas de jeton CSRF sur {page or path}"
        return self.request("POST", path, {"csrfmiddlewaretoken": token.group(1), **data})

    def login(self, email: str) -> None:
        self.cookies.clear()
        status, headers, content = self.post_form("/compte/connexion/", {"username": email, "password": PASSWORD})
        assert status == 302, f"connexion de {email} refusée ({status}) : {text(content)[:300]}"


def text(content: bytes | str) -> str:
    html = content.decode() if isinstance(content, bytes) else content
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def errors(content: bytes) -> str:
    html = content.decode()
    found = re.findall(
        r'class="[^"]*(?:fr-error-text|fr-message--error|fr-alert--error)[^"]*"[^>]*>(.*?)</', html, re.S
    )
    return " | ".join(text(f) for f in found) or text(html)[:500]


def options(html: str, name: str, label: str = "") -> list[str]:
    """Values of a select's options, those whose label contains label first."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"pas de liste {name}"
    found = [
        (v, text(t)) for v, t in re.findall(r'<option value="([^"]+)"[^>]*>(.*?)</option>', select.group(1), re.S)
    ]
    return [v for v, t in found if label in t] + [v for v, t in found if label not in t]


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return value.group(1) if value else ""


def wait_ready(port: int, processes: list[subprocess.Popen], timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for p in processes:
            assert p.poll() is None, f"un processus s'est arrêté au démarrage (code {p.returncode})"
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sante/pret/")
            response = conn.getresponse()
            body = response.read().decode()
            if response.status == 200:
                return json.loads(body)
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("/sante/pret/ ne répond pas 200")


def scenario(port: int, log_path: Path) -> None:
    # 1. The centre manager logs in and creates a session (form defaults: today 08:00).
    centre = Browser(port, "198.51.100.10")
    centre.login("centre@ceres.demo")
    dashboard = centre.page("/tableau-de-bord/")
    # Formapro Ain's agrément for RNCP37098 is valid (radio buttons of the « Centre courant » dialog).
    formapro = re.search(r'name="centre" value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>Formapro Ain', dashboard)
    assert formapro, "Formapro Ain absent des centres de centre@ceres.demo"
    status, _, _ = centre.post_form("/compte/centre-courant/", {"centre": formapro.group(1)}, page="/tableau-de-bord/")
    assert status == 302, f"choix du centre courant refusé ({status})"
    form_page = centre.page("/sessions/nouvelle/")
    data = {
        "titre": options(form_page, "titre", "37098")[0],
        "type": "titre",
        "site": options(form_page, "site")[0],
        "start_date": input_value(form_page, "start_date"),
        "end_date": input_value(form_page, "start_date"),
        "start_time": input_value(form_page, "start_time"),
        "convocation_date": input_value(form_page, "convocation_date"),
        "convocation_time": "07:30",
        "responsable": options(form_page, "responsable")[0],
        "planned_candidates": "4",
    }
    status, headers, content = centre.post_form("/sessions/nouvelle/", data)
    assert status == 302, f"session non créée : {errors(content)} ; données {data}"
    created = centre.page(headers["location"])
    assert "En préparation" in text(created) or "préparation" in text(created), text(created)[:300]
    step(f"session créée par le centre : {headers['location']}")

    # 2. The UD of the Rhône validates the session whose results were sent, then prints its parchemins as a lot.
    ud = Browser(port, "198.51.100.11")
    ud.login("ud69@ceres.demo")
    sessions = sorted(set(re.findall(r'href="(/sessions/[0-9a-f-]{36}/)"', ud.page("/sessions/"))))
    target = next((s for s in sessions if f'{s}validation/"' in ud.page(s)), None)
    assert target, "aucune session à valider pour ud69@ceres.demo"
    status, _, content = ud.post_form(f"{target}validation/", {"decision": "valider", "pv_number": "PV-69-SMOKE-1"})
    assert status == 302, f"validation refusée : {text(content)[:500]}"
    public_id = target.strip("/").split("/")[-1]
    parchemins = f"/documents/sessions/{public_id}/parchemins/"
    status, headers, content = ud.post_form(f"{parchemins}imprimer/", {}, page=parchemins)
    assert status == 302, f"impression refusée : {text(content)[:500]}"
    progress = headers["location"]
    step(f"session validée par l'UD, lot demandé : {progress}")

    # 3. The worker prints the lot; the page follows it.
    deadline = time.monotonic() + 180
    while True:
        page = text(ud.page(progress))
        if "Terminé" in page:
            break
        assert "Échec" not in page, page[:500]
        assert time.monotonic() < deadline, f"lot non terminé : {page[:300]}"
        time.sleep(1)
    lot_pdf = re.search(r'href="(/documents/lots/[0-9a-f-]{36}/pdf/)"', ud.page(progress))
    assert lot_pdf, "pas de lien de téléchargement du lot"
    status, headers, pdf = ud.get(lot_pdf.group(1))
    assert status == 200 and pdf.startswith(b"%PDF"), status
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    numbers = sorted({n for page in reader.pages for n in re.findall(r"TP-\d{4}-\d{3}-\d{6}-\w", page.extract_text())})
    assert numbers, "aucun numéro dans le PDF du lot"
    step(f"lot imprimé par le worker : {len(reader.pages)} pages, {len(pdf) // 1024} Ko, numéros {', '.join(numbers)}")

    # 4. Anyone verifies each printed number on the public page.
    public = Browser(port, "198.51.100.12")
    for number in numbers:
        page = text(public.page(f"/documents/verifier/{number}"))
        assert "Numéro attribué, valide" in page or "authentique" in page, page[:400]
    step("numéros vérifiés sur la page publique")

    # 5. Rate limit across processes: 90 requests from one address to 3 gunicorn processes, at most 60 pass.
    flood = Browser(port, "203.0.113.77")
    statuses, request_ids = [], []
    for _ in range(90):
        status, headers, _ = flood.get(f"/documents/verifier/{numbers[0]}")
        statuses.append(status)
        request_ids.append(headers.get("x-request-id", ""))
    allowed = statuses.count(200)
    pids = set()
    for line in log_path.read_text().splitlines():
        if '"ceres.requests"' in line and any(rid and rid in line for rid in request_ids[:90]):
            found = re.search(r'"process": (\d+)', line)
            if found:
                pids.add(found.group(1))
    step(f"limite de débit : {allowed} acceptées sur 90, {statuses.count(429)} refusées (429), {len(pids)} processus")
    assert allowed == RATE_LIMIT, f"{allowed} demandes acceptées au lieu de {RATE_LIMIT}"
    assert len(pids) >= 2, "les demandes ne sont pas passées par plusieurs processus gunicorn"


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="ceres-smoke-"))
    prefix = f"smoke{os.getpid()}"
    own_db = not os.environ.get("SMOKE_DATABASE_URL")
    db_name = f"ceres_smoke_{os.getpid()}"
    database_url = os.environ.get("SMOKE_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/{db_name}"
    redis_url = os.environ.get("SMOKE_REDIS_URL", "redis://127.0.0.1:6379/5")
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CERES_", "DATABASE_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "smoke-" + os.urandom(24).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "CACHE_URL": redis_url,
        "CERES_CACHE_KEY_PREFIX": prefix,
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "CERES_PUBLIC_BASE_URL": "https://ceres.example.test",
        "CERES_MEDIA_ROOT": str(tmp / "documents"),
        "CERES_STATIC_ROOT": str(tmp / "static"),
        "CERES_STATIC_COMPRESS": "0",
        "CERES_PROXY_COUNT": "1",
        "CERES_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "3",
        "CERES_TASK_HEARTBEAT": "2",
        "CERES_DOCUMENTS_FONT": os.environ.get("CERES_DOCUMENTS_FONT", "marianne"),
    }
    env["CERES_SIGNING_KEYS"] = (
        "smoke="
        + subprocess.check_output(
            [PYTHON, "-c", "from ceres.editique.signature import generate_private_key as g; print(g())"],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            text=True,
        ).strip()
    )
    processes: list[subprocess.Popen] = []
    log_path = tmp / "web.log"
    try:
        if own_db:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {db_name}"], check=True
            )
        manage = [PYTHON, "manage.py"]
        quiet = {"cwd": ROOT, "check": True, "stdout": subprocess.DEVNULL}
        if not os.environ.get("SMOKE_PREPARED"):  # SMOKE_PREPARED=1: database already loaded (while developing)
            subprocess.run([*manage, "check", "--deploy", "--fail-level", "WARNING"], env=env, **quiet)
            subprocess.run([*manage, "migrate", "--noinput"], env=env, **quiet)
            step("production : check --deploy, migrations")
            # seed_demo refuses outside DEBUG; its notifications go nowhere.
            demo_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "EMAIL_URL": "dummymail://"}
            subprocess.run([*manage, "load_referentiels", "--wet-run"], env=demo_env, **quiet)
            subprocess.run([*manage, "seed_demo", "--wet-run"], env=demo_env, **quiet)
            step("référentiels et comptes de démonstration chargés")
        subprocess.run([*manage, "collectstatic", "--noinput"], env=env, **quiet)
        step("fichiers statiques collectés")
        with open(log_path, "w") as web_log, open(tmp / "worker.log", "w") as worker_log:
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "-c", "config/gunicorn.conf.py", "config.wsgi"], cwd=ROOT, env=env, stderr=web_log
                )
            )
            processes.append(
                subprocess.Popen(
                    [*manage, "db_worker", "--queue-name", "*", "--interval", "0.5"],
                    cwd=ROOT,
                    env=env,
                    stdout=worker_log,
                    stderr=subprocess.STDOUT,
                )
            )
            health = wait_ready(port, processes)
            step(f"gunicorn (3 processus) et un worker démarrés ; /sante/pret/ : {health['status']}")
            scenario(port, log_path)
        step("test de fumée réussi")
        return 0
    except (AssertionError, subprocess.CalledProcessError) as exc:
        print(f"ÉCHEC du test de fumée : {exc}", file=sys.stderr)
        for name in ("web.log", "worker.log"):
            path = tmp / name
            if path.exists():
                print(f"--- {name} (fin)", file=sys.stderr)
                print("\n".join(path.read_text().splitlines()[-30:])[-6000:], file=sys.stderr)
        return 1
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        _clean_redis(redis_url, prefix)
        if own_db:
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {db_name}"],
                check=False,
            )
        shutil.rmtree(tmp, ignore_errors=True)


def _clean_redis(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


if __name__ == "__main__":
    sys.exit(main())
