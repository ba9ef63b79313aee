"""PostgreSQL goes away under load and comes back: callers get a clear 503 with Retry-After, never a 500 or
a hang, and the server recovers by itself.

`boxoffice serve --workers 2` on a database of its own; clients over real HTTP on every dialect (seats.io
writers and readers, admin and Spektrix readers, /health). The cluster is stopped, left down 3 s and
started again (`pg_ctlcluster ... stop` / `start`). Every response is checked as it comes: 2xx, a domain
4xx, or 503 with `Retry-After` in that dialect's error shape; no 500, no transport error, nothing slower
than the clients' 10 s timeout. After PostgreSQL is back every dialect answers 2xx again within 10 s,
without touching the server; acknowledged bookings are all stored and `boxoffice audit` is clean.

This restarts the shared PostgreSQL server: it lives only under `make chaos`, never in the normal suite.
"""

from __future__ import annotations

import random
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.chaos.conftest import EVENT_KEY, Server, Venue, boxoffice, change, pg_cluster, set_up_venue, statuses

OUTAGE_SECONDS = 3.0
RECOVERY_LIMIT = 10.0
CLIENT_TIMEOUT = 10.0


@dataclass(frozen=True)
class Sample:
    dialect: str
    started: float
    ended: float
    status: int | None  # None: no HTTP answer at all
    problem: str | None  # what was wrong with the answer, if anything


def _shape_ok(dialect: str, body: Any) -> bool:
    """The dialect's own error shape for a 503."""
    if not isinstance(body, dict):
        return False
    if dialect == "seatsio":
        return body.get("status") == 503 and bool(body.get("errors")) and "code" in body["errors"][0]
    if dialect == "admin":
        return isinstance(body.get("error"), dict) and body["error"].get("code") == "SERVICE_UNAVAILABLE"
    if dialect == "spektrix":
        return body.get("statusCode") == 503 and bool(body.get("errors"))
    return body.get("status") == "unavailable"  # /health


class Caller(threading.Thread):
    """Loops one kind of request, judging every answer."""

    def __init__(
        self,
        dialect: str,
        stop: threading.Event,
        request: Callable[[httpx.Client, random.Random], httpx.Response],
        auth: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.dialect = dialect
        self.auth = auth
        self.stop = stop
        self.request = request
        self.samples: list[Sample] = []
        self.acked: list[tuple[str, str]] = []
        self.rng = random.Random(id(self))

    def run(self) -> None:
        with httpx.Client(timeout=CLIENT_TIMEOUT, auth=self.auth) as http:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    response = self.request(http, self.rng)
                except httpx.HTTPError as exc:
                    self.samples.append(Sample(self.dialect, started, time.monotonic(), None, type(exc).__name__))
                    continue
                judged = _judge(self.dialect, response)
                self.samples.append(Sample(self.dialect, started, time.monotonic(), response.status_code, judged))
                if response.status_code == 503:
                    time.sleep(min(float(response.headers.get("Retry-After", "1")), 1.0) / 4)  # a polite client


def _judge(dialect: str, response: httpx.Response) -> str | None:
    status = response.status_code
    if status < 500:
        return None
    if status != 503:
        return f"{status}: {response.text[:200]}"
    if "retry-after" not in response.headers:
        return "503 without Retry-After"
    try:
        body = response.json()
    except ValueError:
        return f"503 not JSON: {response.text[:200]}"
    return None if _shape_ok(dialect, body) else f"503 not in the {dialect} shape: {body}"


def _pg(action: str, cluster: tuple[str, str]) -> None:
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, action], check=True, timeout=60)


def test_postgres_restart_under_load_is_503_then_recovery(server_factory: Any, postgres_url: str) -> None:
    cluster = pg_cluster()
    if cluster is None:
        pytest.skip("needs root and pg_ctlcluster for the local PostgreSQL")
    server: Server = server_factory(postgres_url)
    server.start()
    venue = set_up_venue(server)
    callers = _callers(server, venue, threading.Event())
    stop = callers[0].stop

    for c in callers:
        c.start()
    time.sleep(3)  # steady load first
    went_down = time.monotonic()
    try:
        _pg("stop", cluster)
        stopped = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
    finally:
        start_issued = time.monotonic()
        _pg("start", cluster)
    came_back = time.monotonic()
    time.sleep(RECOVERY_LIMIT + 5)  # the server is left alone to find its way back
    stop.set()
    for c in callers:
        c.join(timeout=CLIENT_TIMEOUT + 5)
        assert not c.is_alive(), f"a {c.dialect} client hung"

    samples = sorted((s for c in callers for s in c.samples), key=lambda s: s.started)
    problems = [s for s in samples if s.problem is not None]
    assert problems == [], f"{len(problems)} bad answers, first: {problems[:5]}"
    assert max(s.ended - s.started for s in samples) < CLIENT_TIMEOUT
    outage = [s for s in samples if s.ended >= went_down and s.started <= came_back]
    unavailable = [s for s in samples if s.status == 503]
    assert unavailable, "the outage was never seen: nothing answered 503"

    recovered: dict[str, float] = {}
    for dialect in sorted({c.dialect for c in callers}):
        mine = [s for s in samples if s.dialect == dialect]
        last_503 = max((s.ended for s in mine if s.status == 503), default=went_down)
        assert last_503 - came_back < RECOVERY_LIMIT, f"{dialect} still 503 {last_503 - came_back:.1f} s after"
        after = [s for s in mine if s.started > last_503 and s.status is not None and s.status < 300]
        assert after, f"{dialect} never answered 2xx again"
        recovered[dialect] = after[0].ended - start_issued
    tail = [s for s in samples if s.started > came_back + RECOVERY_LIMIT]
    assert tail and all(s.status is not None and s.status < 500 for s in tail)

    # nothing acknowledged was lost, and the log still replays to the stored statuses
    stored = statuses(venue)
    acked = [pair for c in callers for pair in c.acked]
    lost = [(label, order) for label, order in acked if stored[label].get("orderId") != order]
    assert lost == [], f"acknowledged bookings lost: {lost[:10]}"
    audit = boxoffice("audit", env=server.env)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "unhandled error" not in server.log()

    during = Counter(f"{s.dialect} {s.status}" for s in outage)
    slowest = max(s.ended - s.started for s in outage)
    # a 503 before the stop is the shared server's connection limit ("too many clients"): also a clean 503
    early = sum(1 for s in unavailable if s.ended < went_down)
    in_window = [s.ended - went_down for s in unavailable if s.ended >= went_down]
    first_503, last_503 = min(in_window, default=0.0), max(in_window, default=0.0)
    print(
        f"\nPostgreSQL stop, {OUTAGE_SECONDS:.0f} s down, start: {len(callers)} clients, {len(samples)} requests; "
        f"stop took {stopped - went_down:.1f} s, start {came_back - start_issued:.1f} s; "
        f"during the outage {dict(sorted(during.items()))}; 503s from +{first_503:.2f} s to +{last_503:.2f} s "
        f"after the stop ({len(unavailable)} in all, {early} before the stop), "
        f"slowest answer in the outage {slowest:.2f} s; first 2xx "
        f"after the start was issued: {', '.join(f'{d} +{t:.2f} s' for d, t in recovered.items())}; "
        f"acked bookings {len({o for _, o in acked})} ({len(acked)} seats), all stored; audit clean"
    )


def _callers(server: Server, venue: Venue, stop: threading.Event) -> list[Caller]:
    admin = {"Authorization": f"Bearer {venue.secret_key}"}
    callers: list[Caller] = []

    def booker() -> Caller:
        counter = iter(range(1_000_000))
        caller: Caller

        def book(http: httpx.Client, rng: random.Random) -> httpx.Response:
            labels = rng.sample(venue.labels, rng.randint(1, 2))
            order = f"pg-{id(caller)}-{next(counter)}"
            if rng.random() < 0.5:
                token = http.post(f"{venue.base}/hold-tokens", json={})
                if token.status_code != 200:
                    return token
                held = change(http, venue, labels, "reservedByToken", holdToken=token.json()["holdToken"])
                if not held.is_success:
                    return held
                response = change(http, venue, labels, "booked", orderId=order, holdToken=token.json()["holdToken"])
            else:
                response = change(http, venue, labels, "booked", orderId=order)
            if response.is_success:
                caller.acked.extend((label, order) for label in labels)
            return response

        caller = Caller("seatsio", stop, book, venue.auth)
        return caller

    def read_objects(http: httpx.Client, rng: random.Random) -> httpx.Response:
        labels = rng.sample(venue.labels, 3)
        return http.get(f"{venue.base}/events/{EVENT_KEY}/objects", params={"label": labels})

    def read_productions(http: httpx.Client, _rng: random.Random) -> httpx.Response:
        return http.get(f"{server.url}/admin/v1/productions", headers=admin)

    def write_production(http: httpx.Client, rng: random.Random) -> httpx.Response:
        """An admin POST under an Idempotency-Key (the middleware's claim/complete is three transactions);
        after a 503 the same request is retried with the same key, as a client honouring Retry-After does."""
        key = f"chaos-{rng.getrandbits(64):x}"
        headers = {**admin, "Idempotency-Key": key}
        body = {"name": f"Show {key}"}
        response = http.post(f"{server.url}/admin/v1/productions", json=body, headers=headers)
        if response.status_code == 503:
            time.sleep(0.25)
            response = http.post(f"{server.url}/admin/v1/productions", json=body, headers=headers)
        return response

    def read_spektrix(http: httpx.Client, _rng: random.Random) -> httpx.Response:
        return http.get(f"{server.url}/{venue.workspace_key}/api/v3/events")

    def health(http: httpx.Client, _rng: random.Random) -> httpx.Response:
        return http.get(f"{server.url}/health")

    callers += [booker() for _ in range(8)]
    callers += [Caller("seatsio", stop, read_objects, venue.auth) for _ in range(4)]
    callers += [Caller("admin", stop, read_productions) for _ in range(2)]
    callers += [Caller("admin", stop, write_production) for _ in range(2)]
    callers += [Caller("spektrix", stop, read_spektrix) for _ in range(4)]
    callers += [Caller("health", stop, health)]
    return callers
