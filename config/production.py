"""Pure helpers of the production settings: what is required, and how each service URL becomes Django settings.

Kept apart from config/settings/prod.py so the checks are tested without reloading settings.
"""

from urllib.parse import parse_qs, unquote, urlsplit

import environ

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
REDIS_SCHEMES = {"redis", "rediss"}
# A relay on the same machine (local postfix) may be reached without TLS: it carries the mail on with TLS itself.
TLS_EMAIL_SCHEMES = {"smtps", "smtp+tls", "smtp+ssl"}
# HTTP e-mail providers through django-anymail (HTTPS API, key in EMAIL_URL): those needing no extra package.
ANYMAIL_PROVIDERS = {"brevo", "mailjet", "mailgun", "postmark", "sendgrid"}


def problems(environ_: dict) -> list[str]:
    """Every missing or unsafe production variable, as French sentences (empty list: CERES may start)."""
    get = lambda name: (environ_.get(name) or "").strip()  # noqa: E731
    found = []
    secret = get("DJANGO_SECRET_KEY")
    if not secret or secret.startswith("dev-only"):
        found.append("DJANGO_SECRET_KEY est obligatoire (50 caractères aléatoires, propres à ce déploiement).")
    if not get("DJANGO_ALLOWED_HOSTS"):
        found.append("DJANGO_ALLOWED_HOSTS est obligatoire (nom public du service, ex. ceres.travail.gouv.fr).")
    database = get("DATABASE_URL")
    if not database.startswith(("postgres://", "postgresql://", "pgsql://")):
        found.append("DATABASE_URL doit désigner une base PostgreSQL (postgres://utilisateur:mot-de-passe@hôte/base).")
    cache = get("CACHE_URL")
    if urlsplit(cache).scheme not in REDIS_SCHEMES:
        found.append(
            "CACHE_URL doit désigner Redis (redis://hôte:6379/0) : limites de débit et verrouillage des connexions "
            "sont comptés pour tous les processus et toutes les machines."
        )
    email = get("EMAIL_URL")
    if not email:
        found.append("EMAIL_URL est obligatoire (smtp+tls://utilisateur:mot-de-passe@relais:587).")
    else:
        parts = urlsplit(email)
        if parts.scheme == "smtp" and parts.hostname not in LOCAL_HOSTS:
            found.append(
                "EMAIL_URL : un relais SMTP distant se joint en TLS (smtp+tls://… port 587 ou smtps://… port 465)."
            )
        elif parts.scheme.startswith("anymail+"):
            if parts.scheme.removeprefix("anymail+") not in ANYMAIL_PROVIDERS or not parts.username:
                found.append(
                    "EMAIL_URL : fournisseur HTTP inconnu ou clé d'API absente (anymail+brevo://CLE_API@, "
                    f"fournisseurs : {', '.join(sorted(ANYMAIL_PROVIDERS))})."
                )
        elif parts.scheme not in TLS_EMAIL_SCHEMES | {"smtp"}:
            found.append(
                f"EMAIL_URL : schéma « {parts.scheme} » inconnu (smtp+tls, smtps, smtp+ssl, ou anymail+<fournisseur>)."
            )
    public = get("CERES_PUBLIC_BASE_URL")
    if not public.startswith("https://") or not urlsplit(public).hostname:
        found.append(
            "CERES_PUBLIC_BASE_URL est obligatoire et commence par https:// (adresse publique imprimée dans les QR "
            "codes et les e-mails, ex. https://ceres.travail.gouv.fr)."
        )
    if not get("CERES_MEDIA_ROOT") and not get("CERES_S3_BUCKET"):
        found.append(
            "Stockage des documents : CERES_S3_BUCKET (stockage objet S3) ou CERES_MEDIA_ROOT (répertoire partagé "
            "par toutes les machines) est obligatoire."
        )
    if not get("CERES_SIGNING_KEYS"):
        found.append("CERES_SIGNING_KEYS est obligatoire (clé Ed25519 de signature des QR codes : id=clé).")
    return found


def cache_config(url: str, *, prefix: str = "ceres") -> dict:
    """Django's own Redis backend (never django-redis), with short timeouts so /sante/ answers when Redis is down."""
    if urlsplit(url).scheme not in REDIS_SCHEMES:
        return environ.Env.cache_url_config(url)
    config = environ.Env.cache_url_config(url, backend="django.core.cache.backends.redis.RedisCache")
    options = config.setdefault("OPTIONS", {})
    options.setdefault("socket_connect_timeout", 2)
    options.setdefault("socket_timeout", 2)
    config["KEY_PREFIX"] = prefix
    return config


def email_config(url: str) -> dict:
    """EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER/PASSWORD, EMAIL_USE_TLS/SSL from one URL; or an HTTP
    e-mail provider through django-anymail: anymail+brevo://CLE_API@ (?api_url=… to reach another endpoint)."""
    parts = urlsplit(url)
    if parts.scheme.startswith("anymail+"):
        provider = parts.scheme.removeprefix("anymail+")
        settings_ = {f"{provider.upper()}_API_KEY": unquote(parts.username or "")}
        api_url = parse_qs(parts.query).get("api_url")
        if api_url:
            settings_[f"{provider.upper()}_API_URL"] = api_url[0]
        return {"EMAIL_BACKEND": f"anymail.backends.{provider}.EmailBackend", "ANYMAIL": settings_}
    config = environ.Env.email_url_config(url)
    config.pop("OPTIONS", None)
    if not config.get("EMAIL_FILE_PATH"):  # only filemail:///path (tests, demonstrations) writes to files
        config.pop("EMAIL_FILE_PATH", None)
    return {key: value for key, value in config.items() if value is not None}


def storages_config(environ_: dict) -> dict:
    """Where documents and static files go (see the two cases below)."""
    return {"default": _documents_storage(environ_), "staticfiles": _static_storage(environ_)}


def _static_storage(environ_: dict) -> dict:
    # Served by every app server itself (WhiteNoise: hashed names, cached a year): the reverse proxy needs no copy.
    # Pre-compressed (gzip, brotli) unless CERES_STATIC_COMPRESS=0 (the CI smoke test: 10× faster collectstatic).
    if (environ_.get("CERES_STATIC_COMPRESS") or "1") == "0":
        return {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}
    return {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


def _documents_storage(environ_: dict) -> dict:
    """Documents in an S3-compatible bucket when CERES_S3_BUCKET is set, else in CERES_MEDIA_ROOT (shared mount)."""
    bucket = (environ_.get("CERES_S3_BUCKET") or "").strip()
    if bucket:
        options = {
            "bucket_name": bucket,
            "endpoint_url": environ_.get("CERES_S3_ENDPOINT_URL") or None,
            "region_name": environ_.get("CERES_S3_REGION") or None,
            "location": environ_.get("CERES_S3_PREFIX", ""),
            "default_acl": None,  # private: documents are served by CERES after a permission check
            "querystring_auth": True,
            "file_overwrite": False,  # written once: never replace an issued document
        }
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    return {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def json_logging(logging: dict, *, level: str) -> dict:
    """One JSON object per line on stderr, with request id and user id (ceres.core.logs)."""
    return {
        **logging,
        "filters": {"request": {"()": "ceres.core.logs.RequestContextFilter"}},
        "formatters": {"json": {"()": "ceres.core.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request"]}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.server": {"level": "WARNING"}},
    }


def init_sentry(environ_: dict) -> bool:
    """Error reporting when SENTRY_DSN is set: no personal data sent (no cookies, bodies, user e-mails or IPs)."""
    dsn = (environ_.get("SENTRY_DSN") or "").strip()
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environ_.get("SENTRY_ENVIRONMENT", "production"),
        release=environ_.get("CERES_RELEASE") or None,
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=float(environ_.get("SENTRY_TRACES_SAMPLE_RATE") or 0),
        before_send=scrub_event,
    )
    return True


def scrub_event(event: dict, hint) -> dict:
    """Keep only the user id: names, e-mails and addresses never leave for the error service."""
    user = event.get("user") or {}
    event["user"] = {"id": user["id"]} if "id" in user else {}
    request = event.get("request") or {}
    for key in ("cookies", "data", "query_string", "env"):
        request.pop(key, None)
    headers = request.get("headers") or {}
    for key in list(headers):
        if key.lower() in {"cookie", "authorization", "x-forwarded-for", "x-real-ip"}:
            headers.pop(key)
    return event
