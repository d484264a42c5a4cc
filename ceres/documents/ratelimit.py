"""A small cache-based rate limiter for public pages (fixed window per client address)."""

from django.core.cache import cache

from ceres.comptes.backends import client_ip  # noqa: F401 (same trusted-proxy rule as the login lockout)


def allow(key: str, *, limit: int, window: int) -> bool:
    """True while the key made fewer than limit hits in the current window (seconds)."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit
