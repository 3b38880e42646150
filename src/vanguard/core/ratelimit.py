"""Rate limits for doors open to the public (the photo report page, Open311).

A fixed window per scope and key (an address, a device), counted in the cache: Redis
in a deployment, so every web process counts together; the process's memory on one
machine. ``allow`` counts a hit and tells whether it is within the limit; a refused
caller is told when to try again.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most ``hits`` in ``seconds`` per key."""

    hits: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the window ends (0 when allowed)


def allow(scope, key, limit, now=None):
    """Count one hit of ``key`` under ``scope``; allowed while within ``limit``."""
    now = int(now if now is not None else time.time())
    window = now // limit.seconds
    name = f"vg-rate:{scope}:{key}:{window}"
    # add() creates the counter with its expiry only if it is missing; incr() is atomic
    # on Redis and on the local memory cache.
    cache.add(name, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=limit.seconds + 1)
        count = 1
    if count <= limit.hits:
        return Verdict(True, 0)
    return Verdict(False, (window + 1) * limit.seconds - now)


def allow_all(checks, now=None):
    """Count a hit against each ``(scope, key, limit)``; the first refusal, or allowed.

    Every check is counted even after one refuses, so a caller cannot dodge one limit by
    tripping another first.
    """
    verdicts = [allow(scope, key, limit, now) for scope, key, limit in checks if key]
    refused = [v for v in verdicts if not v.allowed]
    return max(refused, key=lambda v: v.retry_after) if refused else Verdict(True, 0)
