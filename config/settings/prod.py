"""Production: every external service comes from the environment (twelve-factor).

Refuses to start, with ONE message listing every missing or unsafe variable, without: a secret key, allowed hosts,
a PostgreSQL DATABASE_URL, a Redis CACHE_URL (rate limits and login lockout are counted across every process and
machine), an EMAIL_URL (SMTP with TLS), the public base URL (printed in QR codes and e-mails), a document storage
chosen explicitly (shared directory or S3-compatible bucket) and the QR signing keys. Reference: docs/exploitation.md.
"""

from django.core.exceptions import ImproperlyConfigured

from config import production
from config.env import env
from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES, LOGGING, MIDDLEWARE

_problems = production.problems(env.ENVIRON)
if _problems:
    raise ImproperlyConfigured(
        "Configuration de production incomplète ; CERES ne démarre pas :\n- "
        + "\n- ".join(_problems)
        + "\nVariables et exemples : docs/exploitation.md."
    )

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Persistent connections (one per worker thread), checked before reuse so a restarted PostgreSQL is survived.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHES = {"default": production.cache_config(env("CACHE_URL"), prefix=env("CERES_CACHE_KEY_PREFIX", default="ceres"))}
globals().update(production.email_config(env("EMAIL_URL")))
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=30)
CERES_PUBLIC_BASE_URL = env("CERES_PUBLIC_BASE_URL").rstrip("/")
STORAGES = production.storages_config(env.ENVIRON)
MEDIA_ROOT = env.path("CERES_MEDIA_ROOT", default=MEDIA_ROOT)  # noqa: F405

MIDDLEWARE = [*MIDDLEWARE]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "whitenoise.middleware.WhiteNoiseMiddleware"
)

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

LOGGING = production.json_logging(LOGGING, level=env("DJANGO_LOG_LEVEL", default="INFO"))
production.init_sentry(env.ENVIRON)
