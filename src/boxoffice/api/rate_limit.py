"""Per-key token buckets for every dialect, as ASGI middleware.

Each key (a digest of the caller's credential, or the client address for anonymous callers -- the
dialect says which) may make ``rate`` requests a second on average, in bursts of up to ``burst`` (default:
one second's worth). Past that the answer is 429 in the dialect's own error shape with ``Retry-After``
(whole seconds). A request the dialect cannot key passes through. The buckets live in this process's
memory: several server processes each allow the rate. Behind a reverse proxy, run uvicorn with
``--proxy-headers`` so that the client address is the caller's and not the proxy's.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

MAX_KEYS = 100_000  # buckets kept; past that the idle ones are forgotten (a full bucket is the same as none)

KeyOf = Callable[[Scope], str | None]
Render429 = Callable[[float, float], ASGIApp]  # (rate, seconds to wait) -> the dialect's 429 response


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


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


class KeyedRateLimit:
    """ASGI middleware: the dialect's 429 once a key has used its requests."""

    def __init__(
        self, app: ASGIApp, *, rate: float, key_of: KeyOf, render: Render429, burst: float | None = None
    ) -> None:
        self.app = app
        self.buckets = TokenBuckets(rate, burst)
        self.key_of = key_of
        self.render = render

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            key = self.key_of(scope)
            wait = self.buckets.take(key) if key is not None else 0.0
            if wait > 0:
                await self.render(self.buckets.rate, wait)(scope, receive, send)
                return
        await self.app(scope, receive, send)
