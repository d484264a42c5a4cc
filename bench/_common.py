"""Shared set-up of the benchmarks under bench/ (not a benchmark: `make bench` skips files starting with "_").

Every benchmark runs on its OWN throw-away database, so the dev database is never touched:
- SQLite (default): a file in a temporary folder, removed at the end;
- PostgreSQL (DATABASE_URL=postgres://…/<db>): database ``<db>_bench_<name>`` (``<db>_<name>`` if <db> already
  says "bench") created on the same server and dropped at the end; <db> itself is never written to (CREATEDB needed).
Settings are always ``config.settings.test`` (DEBUG off: no query log growing during a run).

Sizes: every benchmark accepts ``--quick`` (smoke run, seconds), nothing (what `make bench` runs, bounded time) and
``--full`` (the scale of the issue's target), plus its own options to set a size explicitly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SETTINGS = "config.settings.test"


def is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


# ----------------------------------------------------------------------------------------------------------
# Arguments


class BenchParser(argparse.ArgumentParser):
    """Arguments with the common size switches (--quick / --full), --keep, and sized options (see add_size)."""

    def __init__(self, doc: str | None):
        super().__init__(
            description=(doc or "").strip().splitlines()[0] if doc else None,
            epilog="Tailles : --quick (essai rapide), sans option (celle de `make bench`), --full (cible de l'issue).",
        )
        self.sizes: dict[str, tuple[int, int, int]] = {}
        sizes = self.add_mutually_exclusive_group()
        sizes.add_argument("--quick", action="store_true", help="petite taille : vérifie que le banc tourne")
        sizes.add_argument("--full", action="store_true", help="taille de la cible de l'issue (plus long)")
        self.add_argument("--keep", action="store_true", help="garder la base de bench à la fin (inspection)")

    def add_size(self, flag: str, *, quick: int, default: int, full: int, help: str):
        """An integer option whose value, when not given, follows --quick / (nothing) / --full."""
        action = self.add_argument(
            flag, type=int, help=f"{help} ({fr(default)} ; --quick : {fr(quick)} ; --full : {fr(full)})"
        )
        self.sizes[action.dest] = (quick, default, full)

    def parse_args(self, args=None, namespace=None):
        result = super().parse_args(args, namespace)
        for dest, (quick, default, full) in self.sizes.items():
            if getattr(result, dest) is None:
                setattr(result, dest, scale(result, quick=quick, default=default, full=full))
        return result


def parser(doc: str | None) -> BenchParser:
    return BenchParser(doc)


def scale(args: argparse.Namespace, *, quick, default, full):
    """The value for the size asked on the command line."""
    if args.quick:
        return quick
    if args.full:
        return full
    return default


# ----------------------------------------------------------------------------------------------------------
# Django and the benchmark's own database


def setup_django(*, database: bool = True) -> None:
    """django.setup() with the bench settings. Without a database, any query goes to an in-memory SQLite."""
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if not database:
        os.environ["DATABASE_URL"] = "sqlite://:memory:"
    import django

    django.setup()


@contextlib.contextmanager
def own_database(name: str, *, migrate: bool | str = True, referentiels: bool = False, keep: bool = False):
    """Point Django at a throw-away database named after the benchmark, set it up, drop it at the end.

    ``migrate``: True for every app, an app label to migrate only what it needs, False for nothing.
    ``referentiels``: also run ``load_referentiels --wet-run`` (communes, titles… from the repository's data).
    """
    if "django" in sys.modules and "django.conf" in sys.modules:
        from django.conf import settings

        if settings.configured:
            raise RuntimeError("own_database() doit être appelé avant django.setup().")
    # A plain `kill` must still drop the database: turn SIGTERM into SystemExit so the `finally` below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if is_postgres():
        import psycopg

        url = urlparse(os.environ["DATABASE_URL"])
        given = url.path.lstrip("/") or "ceres"
        # Named after the database of DATABASE_URL, which is only used to reach the server (never written to).
        database = f"{given}_{name}" if "bench" in given else f"{given}_bench_{name}"
        admin_urls = [urlunparse(url._replace(path=f"/{db}")) for db in dict.fromkeys((given, "postgres"))]

        def admin(sql: str):
            for i, admin_url in enumerate(admin_urls):
                try:
                    with psycopg.connect(admin_url, autocommit=True) as conn:
                        conn.execute(sql)
                    return
                except psycopg.OperationalError:  # the given database may not exist: try "postgres"
                    if i == len(admin_urls) - 1:
                        raise

        admin(f'DROP DATABASE IF EXISTS "{database}"')
        admin(f'CREATE DATABASE "{database}"')
        os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{database}"))

        def drop():
            admin(f'DROP DATABASE IF EXISTS "{database}"')

        where = f"PostgreSQL, base {database}"
    else:
        folder = Path(tempfile.mkdtemp(prefix=f"ceres-bench-{name}-"))
        path = folder / f"{name}.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"

        def drop():
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            folder.rmdir()

        where = f"SQLite, fichier temporaire {path}"
    try:
        setup_django()
        from django.core.management import call_command

        start = time.perf_counter()
        if migrate:
            call_command("migrate", *([migrate] if isinstance(migrate, str) else []), verbosity=0)
        if referentiels:
            call_command("load_referentiels", wet_run=True, stdout=io.StringIO())
        what = " + référentiels" if referentiels else ""
        print(f"Base du banc : {where} (migration{what} en {time.perf_counter() - start:.1f} s)", flush=True)
        yield
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if keep:
            print(f"Base conservée (--keep) : {os.environ['DATABASE_URL']}")
        else:
            drop()


def machine() -> str:
    """One line on where the figures come from (the machine is often shared: say so in the output)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"Machine : {os.cpu_count()} cœurs, charge moyenne (1 min) {load:.2f}, Python {platform.python_version()},"
        f" {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


# ----------------------------------------------------------------------------------------------------------
# Figures


def percentile(values, q: float) -> float:
    """Nearest-rank percentile, q in 0..100 (p95 of 1,000 timings is the 950th smallest)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without float error
    return ordered[min(len(ordered), int(rank)) - 1]


def summary(timings_ms) -> dict[str, float]:
    return {
        "n": len(timings_ms),
        "p50": statistics.median(timings_ms),
        "p95": percentile(timings_ms, 95),
        "max": max(timings_ms),
    }


def latency_line(label: str, figures: dict[str, float], width: int = 34) -> str:
    return (
        f"{label:<{width}} p50 {figures['p50']:8.2f} ms   p95 {figures['p95']:8.2f} ms   max {figures['max']:8.2f} ms"
        f"   ({figures['n']} requêtes)"
    )


def fr(value: float, decimals: int = 0) -> str:
    """French number: 1 000 000 (narrow no-break space), decimal comma."""
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def ratio(baseline: float, ours: float) -> float:
    """How many times ours beats the baseline (times: baseline / ours)."""
    return baseline / ours if ours else float("inf")


def ratio_line(what: str, value: float) -> str:
    return f"Rapport à la référence naïve ({what}) : ×{fr(value, 1)}"


def verdict(target: str, ok: bool) -> str:
    return f"Objectif {target} : {'atteint' if ok else 'NON ATTEINT'}"


@contextlib.contextmanager
def timer():
    """``with timer() as t: ...`` then ``t.elapsed`` (wall, s) and ``t.cpu`` (this process's CPU time, s)."""

    class Timing:
        elapsed = cpu = 0.0

    timing = Timing()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield timing
    finally:
        timing.elapsed = time.perf_counter() - start
        timing.cpu = time.process_time() - cpu
