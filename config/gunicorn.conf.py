"""Gunicorn, the app server of production: ``gunicorn -c config/gunicorn.conf.py config.wsgi``.

Every value can be changed from the environment (docs/exploitation.md, « Serveur d'application »).
Sync workers: a request is short (a single parchemin is rendered in ≈ 10 ms; lots, convocations and imports run in
the task workers), so processes rather than threads use both cores without sharing the GIL.
"""

import multiprocessing
import os

bind = os.environ.get("CERES_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CERES_WEB_THREADS", "1"))
# A request taking longer than this is killed and logged (the reverse proxy answers 502).
timeout = int(os.environ.get("CERES_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounded memory even if a library leaks (Typst keeps caches per process).
max_requests = int(os.environ.get("CERES_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Settings are loaded once in the master: a missing variable stops the start with its French message. The master
# also warms the application up (config/warmup.py: URLconf, templates, commune index) before forking: no worker,
# new or recycled, makes its first visitors wait for it.
preload_app = True
# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the reverse proxy may say the original request was HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("CERES_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
limit_request_line = 8190
# Django logs each request itself (ceres.requests, with request id and user id): no second access log.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("CERES_WEB_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ceres.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
proc_name = "ceres-web"
