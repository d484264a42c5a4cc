"""A small cache-based rate limiter for public pages (fixed window per client address)."""

from django.core.cache import cache


def client_ip(request) -> str:
    # The proxy in front of the application sets X-Forwarded-For; its first hop is the client.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR", "")


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
