"""A fixed-window counter in the cache. On Redis `incr` is the atomic INCR, so concurrent requests
from every web worker count against one number."""

from __future__ import annotations

import time

from django.core.cache import cache


def hit(name: str, *, limit: int, window_seconds: int) -> bool:
    """Count one event; False when it is over the limit for the current window."""
    window = int(time.time()) // window_seconds
    key = f"ratelimit:{name}:{window}"
    cache.add(key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this is the first hit of a new window
        cache.add(key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit
