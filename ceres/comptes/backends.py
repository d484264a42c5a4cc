"""Login rate-limiting (django-axes) adapted to e-mail logins."""

from axes.backends import AxesStandaloneBackend


class LoginAttemptsBackend(AxesStandaloneBackend):
    """Refuses logins of locked-out (e-mail, address) pairs.

    Rate-limiting is about HTTP requests: authenticate() calls without a request (management commands, the test
    client's login()) have no client address and are not counted, instead of raising like the axes backend does.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials=None) -> str:
    """Counts failures per normalised e-mail: « Jean@X.fr » and « jean@x.fr » share the same counter."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = getattr(request, "POST", {}).get("username")
    return (username or "").strip().lower()


def client_ip(request) -> str:
    """Client address for rate-limiting: with N trusted reverse proxies, the address the outermost one saw.

    Each proxy appends the address it received the request from to X-Forwarded-For; entries further left
    are written by the client and cannot be trusted.
    """
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "CERES_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies <= 0 or not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))]
