"""A per-secret-key token bucket for the seats.io dialect.

Each secret key (the HTTP Basic user) may make ``rate`` requests a second on average, in bursts of up to
``burst`` (default: one second's worth). Past that the answer is 429 in seats.io's error shape, code
``RATE_LIMIT_EXCEEDED``, with ``Retry-After`` (whole seconds), which the SDKs retry with back-off.
Requests without credentials pass through (authentication answers them). Set by
``BOXOFFICE_SEATSIO_RATE_LIMIT`` (requests per second per key; 0 turns it off). The buckets live in this
process's memory: several server processes each allow the rate.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from boxoffice.api.seatsio.errors import error_response

MAX_KEYS = 100_000  # buckets kept; past that the idle ones are forgotten (a full bucket is the same as none)


class TokenBuckets:
    """Thread-safe token buckets by key."""

    def __init__(self, rate: float, burst: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take one token: 0.0 if granted, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                self._store(key, tokens - 1.0, now)
                return 0.0
            self._store(key, tokens, now)
            return (1.0 - tokens) / self.rate

    def _store(self, key: str, tokens: float, now: float) -> None:
        if key not in self._buckets and len(self._buckets) >= MAX_KEYS:
            full_again = self.burst / self.rate
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_again}
        self._buckets[key] = (tokens, now)


def _secret_of(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, encoded = value.decode("latin-1").partition(" ")
            if scheme.lower() != "basic" or not encoded:
                return None
            try:
                user = base64.b64decode(encoded, validate=True).split(b":", 1)[0]
            except (binascii.Error, ValueError):
                return None
            # the bucket is keyed by a digest: the secret itself is not kept in memory longer than the request
            return hashlib.sha256(user).hexdigest() if user else None
    return None


class RateLimit:
    """ASGI middleware: 429 RATE_LIMIT_EXCEEDED once a secret key has used its requests."""

    def __init__(self, app: ASGIApp, *, rate: float, burst: float | None = None) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = _secret_of(scope)
            wait = self.buckets.take(key) if key is not None else 0.0
            if wait > 0:
                response = error_response(
                    429,
                    "RATE_LIMIT_EXCEEDED",
                    f"Rate limit exceeded: at most {self.buckets.rate:g} requests a second for this secret key",
                    {"Retry-After": str(max(1, math.ceil(wait)))},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
