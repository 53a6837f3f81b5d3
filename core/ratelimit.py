"""A fixed-window counter in the cache. On Redis `incr` is the atomic INCR, so concurrent requests
from every web worker count against one number.

When the cache cannot be reached, each limit says what it does (`when_down`): `ALLOW` lets the
event through (a limit against floods, where a short outage is the lesser harm), `REFUSE`
answers 503 with Retry-After (a limit that protects accounts, like password guessing).
"""

from __future__ import annotations

import enum
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from core.errors import RateLimited, ServiceUnavailable

logger = logging.getLogger(__name__)


class WhenDown(enum.Enum):
    ALLOW = "allow"
    REFUSE = "refuse"


def check(name: str, *, limit: int, window_seconds: int, when_down: WhenDown) -> None:
    """Count one event; raise RateLimited (429, with the seconds until the window ends) when it
    is over the limit for the current window."""
    now = int(time.time())
    window = now // window_seconds
    key = f"ratelimit:{name}:{window}"
    try:
        cache.add(key, 0, timeout=window_seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: the first hit of a new window
            cache.add(key, 1, timeout=window_seconds + 1)
            count = 1
    except Exception as error:  # whatever the cache backend raises when it is unreachable
        cache_is_down(name, error, when_down)
        return
    if count > limit:
        raise RateLimited(retry_after=(window + 1) * window_seconds - now)


def cache_is_down(name: str, error: Exception, when_down: WhenDown) -> None:
    """Log it, then let the event through or refuse it, as the limit chose."""
    logger.warning("rate limit %s: the cache is unreachable (%s): %s", name, error, when_down.value)
    if when_down is WhenDown.REFUSE:
        raise ServiceUnavailable(retry_after=30)


def client_address(request: HttpRequest) -> str:
    """Who is asking, for limits per client. X-Forwarded-For is anyone's to write, so only the
    entries our own proxies appended count (`TRUSTED_PROXIES` of them, 0 by default): a client
    cannot dodge its limit by sending a new address with every attempt."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
    # The last proxy appended the address it saw; the client is `proxies` entries from the end.
    return forwarded[-proxies] if len(forwarded) >= proxies and forwarded[-proxies] else remote
