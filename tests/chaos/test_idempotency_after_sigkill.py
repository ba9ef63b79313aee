"""A request in flight under an Idempotency-Key when the server is SIGKILLed: its retry, after the restart,
is answered within half a minute (the dead processes stop beating: services/heartbeats.py), not after the
5-minute in-flight timeout, and it runs once.

PostgreSQL only: the request is kept in flight by a row lock held from another connection, and on SQLite
that lock would also block the key's own claim (one writer at a time).
"""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any

import httpx
import psycopg

from boxoffice.services import heartbeats
from tests.chaos.conftest import EVENT_KEY, Server, boxoffice, set_up_venue, statuses


def test_a_key_in_flight_at_sigkill_is_answered_soon_after_the_restart(server_factory: Any, postgres_url: str) -> None:
    server: Server = server_factory(postgres_url)
    server.start()
    venue = set_up_venue(server)
    url = f"{venue.base}/events/groups/actions/change-object-status"
    body = {"events": [EVENT_KEY], "objects": ["A-1"], "status": "booked", "orderId": "o-1"}
    headers = {"Idempotency-Key": "book-a1"}

    with psycopg.connect(postgres_url) as blocker:  # holds A-1's row: the booking waits for it
        blocker.execute(
            "SELECT o.label FROM event_objects o JOIN events e ON e.id = o.event_id"
            " WHERE e.key = %s AND o.label = 'A-1' FOR UPDATE",
            (EVENT_KEY,),
        )
        first = threading.Thread(
            target=lambda: _ignore_errors(lambda: httpx.post(url, json=body, headers=headers, auth=venue.auth)),
            daemon=True,
        )
        first.start()
        deadline = time.monotonic() + 4  # inside the server's 5 s lock timeout
        while not _in_flight(blocker, "book-a1"):
            assert time.monotonic() < deadline, "the booking never claimed its key"
            time.sleep(0.05)
        server.kill()
        killed_at = time.monotonic()
        blocker.rollback()
    first.join(timeout=10)

    server.start()
    answers: list[int] = []
    with httpx.Client(auth=venue.auth, timeout=30) as http:
        while True:
            retry = http.post(url, json=body, headers=headers)
            answers.append(retry.status_code)
            if retry.status_code != 409:
                break
            assert retry.json()["errors"][0]["code"] == "IDEMPOTENCY_KEY_IN_FLIGHT", retry.text
            assert "retry-after" in retry.headers
            assert time.monotonic() - killed_at < heartbeats.GONE_AFTER.total_seconds() + 15, answers
            time.sleep(1)
        waited = time.monotonic() - killed_at
        assert retry.status_code == 200, retry.text
        again = http.post(url, json=body, headers=headers)  # from here on, the stored answer
        assert again.status_code == 200 and again.headers.get("idempotent-replayed") == "true"
        assert again.json() == retry.json()
    assert statuses(venue)["A-1"]["status"] == "booked"
    assert boxoffice("audit", env=server.env).returncode == 0
    print(f"\nkey in flight at SIGKILL: answered {waited:.1f} s after the kill; 409s before it: {len(answers) - 1}")


def _in_flight(conn: psycopg.Connection[Any], key: str) -> bool:
    with psycopg.connect(conn.info.dsn, autocommit=True) as other:
        row = other.execute("SELECT response_status FROM idempotency_keys WHERE key = %s", (key,)).fetchone()
    return row is not None and row[0] is None


def _ignore_errors(call: Any) -> None:
    with contextlib.suppress(httpx.HTTPError):  # the server died under it: that is the point
        call()
