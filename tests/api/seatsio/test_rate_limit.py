"""The seats.io dialect's per-secret-key rate limit: 429 RATE_LIMIT_EXCEEDED with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import seatsio
from seatsio.exceptions import RateLimitExceededException

from boxoffice.api.seatsio.rate_limit import TokenBuckets
from boxoffice.storage.uow import Database
from tests.api.conftest import SYSTEM_SECRET, serve

pytestmark = pytest.mark.filterwarnings("ignore:keys will default to True:DeprecationWarning")  # the SDK's jsonpickle


@pytest.fixture
def limited_url(db: Database) -> Iterator[str]:
    """A live server allowing one request a second per secret key."""
    for server in serve(db, seatsio_rate_limit=1):
        yield f"{server.url}/seating"


def test_a_tiny_limit_answers_429_in_the_seatsio_shape(limited_url: str) -> None:
    created = httpx.post(f"{limited_url}/system/private/create-test-company", auth=(SYSTEM_SECRET, ""))
    assert created.status_code == 200
    secret = created.json()["workspace"]["secretKey"]
    client = seatsio.Client(seatsio.Region(limited_url), secret_key=secret, max_retries=0)

    client.hold_tokens.create()  # the one request of this second
    with pytest.raises(RateLimitExceededException) as refused:
        client.hold_tokens.create()
    message = "Rate limit exceeded: at most 1 requests a second for this secret key"
    assert refused.value.errors == [{"code": "RATE_LIMIT_EXCEEDED", "message": message}]
    raw = httpx.post(f"{limited_url}/hold-tokens", auth=(secret, ""))
    assert raw.status_code == 429 and raw.headers["retry-after"] == "1"
    body = raw.json()
    assert body["status"] == 429 and body["errors"][0]["code"] == "RATE_LIMIT_EXCEEDED" and body["requestId"]

    # another key has its own bucket; a request without credentials is left to authentication
    admin_key = created.json()["admin"]["secretKey"]
    assert httpx.post(f"{limited_url}/hold-tokens", auth=(admin_key, "")).status_code != 429
    assert httpx.post(f"{limited_url}/hold-tokens").status_code == 401


def test_token_buckets_refill_at_the_rate() -> None:
    now = [100.0]
    buckets = TokenBuckets(rate=2, clock=lambda: now[0])
    assert [buckets.take("k") for _ in range(2)] == [0.0, 0.0]  # a burst of one second's worth
    assert buckets.take("k") == pytest.approx(0.5)
    assert buckets.take("other") == 0.0
    now[0] += 0.5
    assert buckets.take("k") == 0.0
    assert buckets.take("k") > 0
    now[0] += 60  # never more than the burst
    assert [buckets.take("k") for _ in range(3)][-1] > 0
    with pytest.raises(ValueError):
        TokenBuckets(rate=0)
