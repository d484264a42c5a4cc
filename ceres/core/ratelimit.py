"""Rate limits and lockouts kept in the Django cache (shared by every process and machine once the cache is).

Counters are fixed windows: the first hit opens the window, later hits increment it. Keys are hashed so any
user-typed text (an e-mail, a number) makes a valid cache key of bounded length.
"""

import hashlib
import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_ip(request) -> str:
    """Client address for rate limits, taken from the proxy chain only as far as it is declared trusted.

    With CERES_PROXY_COUNT = 0 (the default) no forwarded header is read: the client could write any. With N trusted
    reverse proxies, each appends the address it received the request from to X-Forwarded-For, so the N-th entry
    from the right is the address the outermost proxy saw; entries further left are written by the client.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "CERES_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        # Fewer entries than declared proxies: the request did not come through the whole chain.
        return remote
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def _key(name: str) -> str:
    return "ratelimit:" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()


def hit(name: str, *, window: int) -> int:
    """Counts one hit on name and returns the count in the current window (seconds)."""
    key = _key(name)
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def count(name: str) -> int:
    return cache.get(_key(name), 0)


def clear(name: str) -> None:
    cache.delete(_key(name))


def allow(name: str, *, limit: int, window: int) -> bool:
    """True while name made at most limit hits in the current window (this hit included)."""
    return hit(name, window=window) <= limit
