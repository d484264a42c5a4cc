"""Structured logs: one JSON object per line, tagged with the request id and the user id, never personal data.

RequestIdMiddleware gives every request an id (the reverse proxy's X-Request-ID when it is a plain token, else a
new one), returns it in the X-Request-ID response header and logs one « requête » line per request with its
method, route pattern (never the query string, which may hold a name), status and duration. Log messages must
name records by id or public_id; the formatter does not try to guess personal data inside a message.
"""

import contextvars
import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.conf import settings

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("ceres_request_id", default="")
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("ceres_user_id", default=None)

REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id", "user_id"}
access_logger = logging.getLogger("ceres.requests")


class RequestContextFilter(logging.Filter):
    """Adds request_id and user_id (empty outside a request: worker, command) to every record."""

    def filter(self, record):
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key in ("request_id", "user_id"):
            value = getattr(record, key, None)
            if value not in (None, ""):
                payload[key] = value
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value if isinstance(value, str | int | float | bool | type(None)) else str(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request.request_id)
        user_token = user_id_var.set(None)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.request_id
            self._log(request, response.status_code, started)
            return response
        finally:
            request_id_var.reset(token)
            user_id_var.reset(user_token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            user_id_var.set(user.pk)

    @staticmethod
    def _log(request, status: int, started: float) -> None:
        if request.path.startswith((settings.STATIC_URL, "/sante/")):  # static files, load balancer probes
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:  # a login request ends authenticated
            user_id_var.set(user.pk)
        match = getattr(request, "resolver_match", None)
        access_logger.info(
            "requête",
            extra={
                "method": request.method,
                "route": match.route if match else "",
                "view": match.view_name if match else "",
                "status": status,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
