"""Load test: simulated agents working at once against the real app server (gunicorn, config/gunicorn.conf.py).

Starts gunicorn with the production settings (config.settings.prod) on a loopback port, on the database of
DATABASE_URL (the national database of bench/national.py), with Redis database 6 as the shared cache (--redis), then
drives ``--agents`` simulated agents (50 then 200 by default) for ``--duration`` seconds each; every agent: a distinct
account (UD agents, DREETS agents, centre managers, the national administrator, or no account for the public pages),
asks a page of its role's mix, waits 1 to 9 s (think time), and so on. Prints, per level: requests, throughput,
errors, client-side p50/p95/p99/max, and the slowest pages; target of issue #14: no error, client p95 <= 500 ms.

Bounded: loopback only (127.0.0.1), a fixed duration, at most --max-agents agents. Agents are logged in by sessions
created beforehand in the session store (no password hashing during the measure, no login rate limit); each agent
sends its own X-Forwarded-For address (CERES_PROXY_COUNT=1), as agents behind the reverse proxy do, so the per-address
limits of the public pages apply per agent, never to the whole test. Nothing else is switched off.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceres_national_2m .venv/bin/python bench/charge.py
    DATABASE_URL=… .venv/bin/python bench/charge.py --agents 50 --duration 60
"""

from __future__ import annotations

import base64
import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import _common

TARGET_P95_MS = 500
THINK = (1.0, 9.0)
APP_NAME = "ceres-charge"
TICK = os.sysconf("SC_CLK_TCK")


def parse_args():
    parser = _common.parser(__doc__)
    parser.add_argument("--agents", default="", help="niveaux d'agents simultanés, ex. 50,200 (défaut)")
    parser.add_size("--duration", quick=20, default=120, full=300, help="durée de chaque niveau, en secondes")
    parser.add_argument("--max-agents", type=int, default=400)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6", help="cache partagé (base Redis du banc)")
    parser.add_argument("--workers", type=int, default=5, help="processus gunicorn (WEB_CONCURRENCY)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if not args.agents:
        args.agents = "10" if args.quick else "50,200"
    args.levels = [min(int(a), args.max_agents) for a in args.agents.split(",")]
    return args


def server_environment(args) -> dict:
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    media = tempfile.mkdtemp(prefix="ceres-charge-media-")
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "charge-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CACHE_URL": args.redis,
        "CERES_CACHE_KEY_PREFIX": f"charge{os.getpid()}",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "CERES_PUBLIC_BASE_URL": "https://ceres.bench.invalid",
        "CERES_MEDIA_ROOT": media,
        "CERES_SIGNING_KEYS": f"bench={key}",
        "CERES_SIGNING_KEY_ID": "bench",
        "CERES_PROXY_COUNT": "1",
        "WEB_CONCURRENCY": str(args.workers),
        "CERES_WEB_LOG_LEVEL": "warning",
        "DJANGO_LOG_LEVEL": "WARNING",
        # libpq names the server's connections: their PostgreSQL backends are found in pg_stat_activity.
        "PGAPPNAME": APP_NAME,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ----------------------------------------------------------------------------------------------------------
# Server CPU: what the requests cost the machine, whatever else runs on it (the load test shares 2 cores).


def _cpu_seconds(pid: int, *, children: bool = False) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        ticks += int(fields[13]) + int(fields[14])  # reaped children: recycled gunicorn workers
    return ticks / TICK


def _gunicorn_cpu(master: int) -> float:
    web = _cpu_seconds(master, children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != master:
            try:
                if os.getpgid(int(entry)) == master:
                    web += _cpu_seconds(int(entry))
            except OSError:
                continue
    return web


class ServerCpu:
    """CPU seconds used by gunicorn (master, workers, recycled workers) and by its PostgreSQL backends during a level.

    Backends are sampled every second: a connection closed after CONN_MAX_AGE takes its backend's CPU with it, so the
    last reading of each backend is kept."""

    def __init__(self, master: int):
        from django.db import connections

        self.master = master
        self.connection = connections.create_connection("default")
        self.connection.inc_thread_sharing()  # read by the sampling thread too
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stopped = threading.Event()
        self._read_backends(first=True)
        self.web_before = _gunicorn_cpu(master)
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _read_backends(self, first=False) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s", [APP_NAME])
            for (pid,) in cursor.fetchall():
                seconds = _cpu_seconds(pid)
                if first:
                    self.first[pid] = seconds
                self.last[pid] = max(seconds, self.last.get(pid, 0.0))

    def _sample(self) -> None:
        while not self.stopped.wait(1.0):
            self._read_backends()

    def stop(self) -> tuple[float, float]:
        self.stopped.set()
        self.thread.join()
        self._read_backends()
        self.connection.close()
        web = _gunicorn_cpu(self.master) - self.web_before
        return web, sum(seconds - self.first.get(pid, 0.0) for pid, seconds in self.last.items())


# ----------------------------------------------------------------------------------------------------------
# Agents


class Agent:
    def __init__(self, role: str, cookie: str, urls: list[str], address: str):
        self.role, self.cookie, self.urls, self.address = role, cookie, urls, address


def prepare_agents(count: int, rng: random.Random) -> list[Agent]:
    """Distinct accounts, their sessions, and per role the URLs they ask (objects of their own scope)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db.models import Count
    from django.utils.module_loading import import_string

    from ceres.comptes.models import User
    from ceres.examens.models import Inscription, SessionExamen

    store = import_string(settings.SESSION_ENGINE + ".SessionStore")
    backend = settings.AUTHENTICATION_BACKENDS[0]
    mix = [("ud", 0.35), ("centre", 0.35), ("dreets", 0.1), ("admin", 0.05), ("public", 0.15)]
    roles = [r for r, share in mix for _ in range(round(share * count))][:count]
    roles += ["centre"] * (count - len(roles))
    busy = list(
        SessionExamen.objects.values("departement__code").annotate(n=Count("id")).order_by("-n")[:40]
    )  # agents of the busiest départements and of their centres
    codes = [row["departement__code"] for row in busy]
    ud_users = list(User.objects.filter(email__startswith="bench-ud-").order_by("email"))
    ud_users = [u for u in ud_users if u.email.split("-")[2] in codes]
    centre_ids = list(
        SessionExamen.objects.filter(departement__code__in=codes)
        .values("centre_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("centre_id", flat=True)[: count * 2]
    )
    centre_users = list(User.objects.filter(email__in=[f"bench-centre-{c}@ceres.bench" for c in centre_ids]))
    dreets_users = list(User.objects.filter(email__startswith="bench-dreets-"))
    admin = User.objects.get(email="bench-admin@ceres.bench")
    pools = {"ud": ud_users, "centre": centre_users, "dreets": dreets_users, "admin": [admin]}
    names = ["mar", "dub", "ber", "pet", "dur", "lef", "mor", "gar", "ro", "fra", "mic", "leg"]
    agents = []
    for i, role in enumerate(roles):
        address = f"10.{i // 250}.{i % 250}.{rng.randrange(1, 250)}"
        if role == "public":
            urls = [f"/api/v1/communes/?q={q}" for q in ("bourg", "lyon", "sai", "mont", "val", "arlod")]
            urls += ["/documents/verifier/", "/"]
            agents.append(Agent(role, "", urls, address))
            continue
        pool = pools[role]
        user = pool[i % len(pool)]
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
        urls = [
            "/tableau-de-bord/",
            "/sessions/",
            "/candidats/",
            *[f"/candidats/?q={rng.choice(names)}" for _ in range(3)],
        ]
        if role == "ud":
            urls += ["/candidats/doublons/", "/jurys/", "/sessions/?status=resultats_saisis"]
            scope = SessionExamen.objects.filter(departement_id=user.ud.departement_id)
        elif role == "centre":
            urls += ["/centres/agrements/mes-agrements/"]
            scope = SessionExamen.objects.filter(centre__memberships__user=user)
        elif role == "dreets":
            urls += ["/centres/", "/centres/agrements/"]
            scope = SessionExamen.objects.filter(departement__region_id=user.region_id)
        else:
            urls += ["/referentiels/titres/"]
            scope = SessionExamen.objects.all()
        sessions = list(
            scope.filter(status="validee").order_by("-start_date", "-id").values_list("public_id", flat=True)[:3]
        )
        urls += [f"/sessions/{s}/" for s in sessions]
        if role in ("ud", "admin") and sessions:
            candidats = Inscription.objects.filter(session__public_id__in=sessions).values_list(
                "candidat__public_id", flat=True
            )[:2]
            urls += [f"/candidats/{c}/" for c in candidats]
        agents.append(Agent(role, cookie, urls, address))
    return agents


def run_level(port: int, agents: list[Agent], duration: float, rng_seed: int):
    results = []  # (role, url, status, ms)
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def work(agent: Agent, seed: int):
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, THINK[1]))  # agents do not all start on the same second
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            url = rng.choice(agent.urls)
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-For": agent.address}
            if agent.cookie:
                headers["Cookie"] = agent.cookie
            start = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                results.append(
                    (agent.role, url.split("?")[0] if "/candidats/?" not in url else "/candidats/?q=", status, elapsed)
                )
            time.sleep(rng.uniform(*THINK))
        conn.close()

    threads = [threading.Thread(target=work, args=(a, rng_seed + i), daemon=True) for i, a in enumerate(agents)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 120)
    return results, time.monotonic() - started


def report_cpu(count: int, web: float, db: float) -> None:
    """CPU per request on the server side: the capacity of 2 cores, whatever the other load of the machine."""
    per_request = (web + db) * 1000 / max(count, 1)
    capacity = (os.cpu_count() or 1) * 1000 / per_request if per_request else 0
    print(
        f"       CPU serveur par requête : {per_request:.1f} ms (gunicorn {web * 1000 / max(count, 1):.1f}, "
        f"PostgreSQL {db * 1000 / max(count, 1):.1f}) ; {os.cpu_count()} cœurs entièrement à CERES servent au plus "
        f"≈ {capacity:.0f} requêtes/s"
    )


def report(level: int, results, elapsed: float) -> bool:
    timings = [ms for *_, ms in results]
    errors = [(url, status) for _, url, status, _ in results if status != 200]
    figures = _common.summary(timings) if timings else {"p50": 0, "p95": 0, "n": 0}
    p99 = _common.percentile(timings, 99) if timings else 0
    ok = not errors and figures["p95"] <= TARGET_P95_MS
    print(
        f"{level:>4} agents : {len(results)} requêtes en {elapsed:.0f} s ({len(results) / elapsed:.1f}/s), "
        f"erreurs {len(errors)}, client p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms, "
        f"p99 {p99:.0f} ms, max {max(timings, default=0):.0f} ms — "
        + _common.verdict(f"aucune erreur et p95 <= {TARGET_P95_MS} ms", ok)
    )
    if errors:
        shown = {}
        for url, status in errors:
            shown[(url, status)] = shown.get((url, status), 0) + 1
        print(
            "       erreurs : " + ", ".join(f"{u} -> {s or 'connexion'} ×{n}" for (u, s), n in list(shown.items())[:6])
        )
    per_page = {}
    for _, url, _, ms in results:
        key = (
            url
            if not url.startswith(("/sessions/", "/candidats/")) or url.count("/") < 3
            else url.rsplit("/", 2)[0] + "/…/"
        )
        per_page.setdefault(key, []).append(ms)
    slowest = sorted(((_common.percentile(v, 95), k, len(v)) for k, v in per_page.items()), reverse=True)[:6]
    print("       pages les plus lentes (p95) : " + ", ".join(f"{k} {p:.0f} ms (n={n})" for p, k, n in slowest))
    return ok


def main():
    args = parse_args()
    if not _common.is_postgres():
        raise SystemExit("Le banc de charge tourne sur la base nationale PostgreSQL (DATABASE_URL=postgres://…).")
    env = server_environment(args)
    os.environ.update({k: v for k, v in env.items() if k not in ("WEB_CONCURRENCY",)})
    import django

    django.setup()
    from django.db import connection

    from ceres.candidats.models import Candidat

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    # The release step of a deployment (make prod-release): static files and their manifest for WhiteNoise.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=root, env=env, check=True
    )
    log = tempfile.NamedTemporaryFile(prefix="ceres-charge-gunicorn-", suffix=".log", delete=False)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "config.wsgi",
        ],
        cwd=root,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        for _ in range(120):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit(f"gunicorn ne répond pas (journal : {log.name})")
        print(_common.machine())
        print(
            f"Base : {connection.settings_dict['NAME']}, {_common.fr(Candidat.objects.count())} candidats ; "
            f"gunicorn {args.workers} processus (config/gunicorn.conf.py, config.settings.prod), port {port} ; "
            f"temps de réflexion {THINK[0]:.0f} à {THINK[1]:.0f} s ; {args.duration} s par niveau"
        )
        rng = random.Random(args.seed)
        all_ok = True
        for level in args.levels:
            agents = prepare_agents(level, rng)
            connection.close()

            # Warm-up, not measured: concurrent requests so that every worker loads its code and its commune index.
            def warm(agent=agents[0]):
                for url in ("/", "/api/v1/communes/?q=lyon", "/tableau-de-bord/", "/sessions/"):
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Cookie": agent.cookie}
                    c.request("GET", url, headers=headers)
                    c.getresponse().read()
                    c.close()

            warmers = [threading.Thread(target=warm) for _ in range(args.workers * 2)]
            for t in warmers:
                t.start()
            for t in warmers:
                t.join()
            meter = ServerCpu(server.pid)
            results, elapsed = run_level(port, agents, args.duration, args.seed + level)
            web, db = meter.stop()
            all_ok &= report(level, results, elapsed)
            report_cpu(len(results), web, db)
        if not all_ok:
            sys.exit(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
