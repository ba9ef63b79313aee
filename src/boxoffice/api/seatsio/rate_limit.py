"""A per-secret-key token bucket for the seats.io dialect (over the shared api/rate_limit.py).

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

from starlette.types import ASGIApp, Scope

from boxoffice.api.rate_limit import MAX_KEYS, KeyedRateLimit, TokenBuckets, retry_after
from boxoffice.api.seatsio.errors import error_response

__all__ = ["MAX_KEYS", "RateLimit", "TokenBuckets"]


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


def _too_many(rate: float, wait: float) -> ASGIApp:
    return error_response(
        429,
        "RATE_LIMIT_EXCEEDED",
        f"Rate limit exceeded: at most {rate:g} requests a second for this secret key",
        {"Retry-After": retry_after(wait)},
    )


class RateLimit(KeyedRateLimit):
    """ASGI middleware: 429 RATE_LIMIT_EXCEEDED once a secret key has used its requests."""

    def __init__(self, app: ASGIApp, *, rate: float, burst: float | None = None) -> None:
        super().__init__(app, rate=rate, key_of=_secret_of, render=_too_many, burst=burst)
