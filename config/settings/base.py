"""Settings shared by every environment. Django settings read DJANGO_*, CERES settings read CERES_*."""

from csp.constants import NONCE

from config import production
from config.env import BASE_DIR, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
THIRD_PARTY_APPS = [
    "widget_tweaks",
    "dsfr",
    "django_htmx",
    "django_tasks",
    # Before django_tasks_db: its db_worker command (heartbeat, takeover of dead workers' tasks) replaces the original.
    "ceres.jobs",
    "django_tasks_db",
    "ninja",
]
LOCAL_APPS = [
    "ceres.core",
    "ceres.editique",
    "ceres.referentiels",
    "ceres.personnes",
    "ceres.comptes",
    "ceres.notifications",
    "ceres.centres",
    "ceres.jurys",
    "ceres.candidats",
    "ceres.examens",
    "ceres.documents",
    "ceres.www",
    "ceres.statistiques",
    "ceres.api",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First: every response, even a redirect or an error, carries X-Request-ID and is logged with it.
    "ceres.core.logs.RequestIdMiddleware",
    # /sante/ and /sante/pret/ for the load balancer, before host validation and the HTTPS redirect.
    "ceres.core.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ceres.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ceres.comptes.middleware.CurrentOrganisationMiddleware",
    "ceres.core.middleware.HostileInputMiddleware",
    "ceres.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ceres" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ceres.core.context_processors.site_config",
                "ceres.core.context_processors.ceres",
            ],
        },
    },
]
# Div-based rendering is the default since Django 5 (DjangoDivFormRenderer is deprecated).
FORM_RENDERER = "django.forms.renderers.DjangoTemplates"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server and a task worker share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "comptes.User"
AUTHENTICATION_BACKENDS = ["ceres.comptes.backends.LoginAttemptsBackend"]

# ProConnect (docs/proconnect.md): on when CERES_PROCONNECT_CLIENT_ID is set. Endpoints from the provider's discovery
# document (…/api/v2/.well-known/openid-configuration). Accounts are matched by canonical e-mail, never created.
OIDC_RP_CLIENT_ID = env("CERES_PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("CERES_PROCONNECT_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env("CERES_PROCONNECT_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env("CERES_PROCONNECT_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env("CERES_PROCONNECT_USERINFO_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env("CERES_PROCONNECT_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "comptes:proconnect_callback"
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/compte/connexion/?proconnect=echec"
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("ceres.comptes.proconnect.ProConnectBackend")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "comptes:login"
LOGIN_REDIRECT_URL = "www:tableau_de_bord"
LOGOUT_REDIRECT_URL = "www:accueil"

SESSION_COOKIE_AGE = 60 * 60 * 8  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Login lockout (ceres.comptes.lockout), counted in the cache: 10 failures lock an account, 50 an address, 30 minutes.
CERES_LOGIN_FAILURE_LIMIT = env.int("CERES_LOGIN_FAILURE_LIMIT", default=10)
CERES_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("CERES_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)
CERES_LOGIN_LOCKOUT_MINUTES = env.int("CERES_LOGIN_LOCKOUT_MINUTES", default=30)
# Password-reset requests: at most 3 e-mails per account and 20 requests per address per hour.
CERES_PASSWORD_RESET_LIMITS = {"account": 3, "address": 20, "window": 3600}
# Number of reverse proxies in front of the application whose X-Forwarded-For entries are trusted. 0 (default,
# also in production): no forwarded header is read, REMOTE_ADDR is the client. Set it to the real number of proxies.
CERES_PROXY_COUNT = env.int("CERES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "fr-fr"
# French only: the browser's Accept-Language must not switch django-dsfr's labels to English.
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("CERES_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("CERES_MEDIA_ROOT", default=BASE_DIR / "media")

# Content Security Policy (django-csp 4): the nonce is exposed as request.csp_nonce, read by django-dsfr.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# EMAIL_URL (smtp+tls://user:password@relay:587) sets backend, host, port, credentials and TLS in one variable.
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    globals().update(production.email_config(env("EMAIL_URL")))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="CERES <ne-pas-repondre@ceres.travail.gouv.fr>")

# Background work: django-tasks with the database backend, shared by every worker machine.
TASKS = {"default": {"BACKEND": env("CERES_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# CACHE_URL=redis://host:6379/0 in production (Django's Redis backend): rate limits and login lockout are then
# shared by every process and machine. The in-process default is only for a single development server.
CACHES = {"default": production.cache_config(env("CACHE_URL", default="locmemcache://"))}

DSFR_USE_INTEGRITY_CHECKSUMS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}

# --- CERES application settings -------------------------------------------------------------
# Marianne is reserved to State services: deployments not entitled to it switch to a free font.
CERES_DOCUMENTS_FONT = env("CERES_DOCUMENTS_FONT", default="marianne")
CERES_FONT_CACHE_DIR = env.path("CERES_FONT_CACHE_DIR", default=BASE_DIR / ".cache" / "fonts")
CERES_SIGNING_KEYS = env.dict("CERES_SIGNING_KEYS", default={})
CERES_SIGNING_KEY_ID = env("CERES_SIGNING_KEY_ID", default="")
# Public halves of retired keys ({id: base64}), so parchemins signed with them keep verifying.
CERES_VERIFICATION_KEYS = env.dict("CERES_VERIFICATION_KEYS", default={})
# /sante/pret/ reports « alerte » when the oldest ready task waits longer than this (seconds).
CERES_QUEUE_ALERT_AGE = env.int("CERES_QUEUE_ALERT_AGE", default=600)
# A worker beats every CERES_TASK_HEARTBEAT seconds; silent for CERES_TASK_STALE_AFTER, its task is taken over.
CERES_TASK_HEARTBEAT = env.float("CERES_TASK_HEARTBEAT", default=15)
CERES_TASK_STALE_AFTER = env.float("CERES_TASK_STALE_AFTER", default=120)
# Calls per minute and per API key (429 beyond).
CERES_API_RATE_LIMIT = env.int("CERES_API_RATE_LIMIT", default=300)
CERES_PUBLIC_BASE_URL = env("CERES_PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
# Largest signed PV de session accepted (a scanned PDF), in bytes.
CERES_PV_MAX_BYTES = env.int("CERES_PV_MAX_BYTES", default=10 * 1024 * 1024)

# Commune search from an in-memory index of the ≈ 46,000 name periods per process (ceres.referentiels.communes),
# rebuilt after this many seconds so that a new load of the référentiels (a few times a year) is seen.
CERES_COMMUNES_IN_MEMORY = env.bool("CERES_COMMUNES_IN_MEMORY", default=True)
CERES_COMMUNES_MEMORY_TTL = env.int("CERES_COMMUNES_MEMORY_TTL", default=6 * 3600)
