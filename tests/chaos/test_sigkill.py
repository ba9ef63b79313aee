"""SIGKILL the server in the middle of an on-sale, restart it: nothing a client was told is lost.

32 clients book and hold over real HTTP (seats.io dialect) against `boxoffice serve --workers 2`; the
whole process group is SIGKILLed mid-load and the server restarted over the same database. Then:

- every booking acknowledged with a 2xx is stored, with its order id (acked ⊆ stored);
- no seat was acknowledged to two bookings; a booked seat carries an order id that was either
  acknowledged or unanswered at the kill (an in-flight request may have committed unheard), never one
  the server refused; an unanswered booking is stored whole or not at all;
- every acknowledged hold is still held under its token (or booked by that client's follow-up);
- `boxoffice audit` exits 0;
- holds free again: every hold token is lapsed through the API (POST /hold-tokens/{t}, expiresInMinutes
  0: lapses the token now and releases what it held, logged), after which every seat reads free or
  booked, `boxoffice holds expire` finds nothing left behind, audit is still clean, and the formerly held
  seats can be sold.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests.chaos.conftest import EVENT_KEY, Server, Venue, boxoffice, change, set_up_venue, statuses

CLIENTS = 32
KILL_AFTER_BOOKINGS = 600  # seats acknowledged as booked before the kill (or KILL_AFTER_SECONDS, whichever first)
KILL_AFTER_SECONDS = 20.0


@dataclass
class Ledger:
    """What one client was told, and what it asked without hearing back."""

    acked_bookings: list[tuple[str, str]] = field(default_factory=list)  # (label, order id)
    acked_holds: list[tuple[str, str]] = field(default_factory=list)  # (label, hold token)
    requested: dict[str, list[str]] = field(default_factory=dict)  # order id -> labels
    refused_orders: set[str] = field(default_factory=set)
    unanswered_orders: set[str] = field(default_factory=set)
    follow_up: dict[str, str] = field(default_factory=dict)  # hold token -> order id booking its seats
    tokens: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    unanswered: list[tuple[float, str]] = field(default_factory=list)  # (when, what)


class Client(threading.Thread):
    def __init__(self, number: int, venue: Venue, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.number = number
        self.venue = venue
        self.stop = stop
        self.ledger = Ledger()
        self.rng = random.Random(number)

    def run(self) -> None:
        with httpx.Client(auth=self.venue.auth, timeout=10) as http:
            n = 0
            while not self.stop.is_set():
                n += 1
                try:
                    self.one_round(http, f"c{self.number}-{n}")
                except httpx.TransportError as exc:  # the kill: this request went unanswered
                    self.ledger.unanswered.append((time.monotonic(), type(exc).__name__))
                    return

    def one_round(self, http: httpx.Client, order: str) -> None:
        labels = self.rng.sample(self.venue.labels, self.rng.randint(1, 3))
        if self.rng.random() < 0.5:
            self.book(http, labels, order)
            return
        made = http.post(f"{self.venue.base}/hold-tokens", json={"expiresInMinutes": 15})
        self.ledger.statuses[made.status_code] += 1
        if made.status_code != 200:
            return
        token = made.json()["holdToken"]
        self.ledger.tokens.append(token)
        held = change(http, self.venue, labels, "reservedByToken", holdToken=token)
        self.ledger.statuses[held.status_code] += 1
        if not held.is_success:
            return
        self.ledger.acked_holds.extend((label, token) for label in labels)
        if self.rng.random() < 0.6:
            self.ledger.follow_up[token] = order
            self.book(http, labels, order, holdToken=token)

    def book(self, http: httpx.Client, labels: list[str], order: str, **options: Any) -> None:
        self.ledger.requested[order] = labels
        try:
            booked = change(http, self.venue, labels, "booked", orderId=order, **options)
        except httpx.TransportError:
            self.ledger.unanswered_orders.add(order)
            raise
        self.ledger.statuses[booked.status_code] += 1
        if booked.is_success:
            self.ledger.acked_bookings.extend((label, order) for label in labels)
        else:
            self.ledger.refused_orders.add(order)


def _merge(clients: list[Client]) -> Ledger:
    total = Ledger()
    for c in clients:
        ledger = c.ledger
        total.acked_bookings += ledger.acked_bookings
        total.acked_holds += ledger.acked_holds
        total.requested |= ledger.requested
        total.refused_orders |= ledger.refused_orders
        total.unanswered_orders |= ledger.unanswered_orders
        total.follow_up |= ledger.follow_up
        total.tokens += ledger.tokens
        total.statuses += ledger.statuses
        total.unanswered += ledger.unanswered
    return total


def test_sigkill_mid_on_sale_loses_nothing_acknowledged(server_factory: Any, database_url: str) -> None:
    server: Server = server_factory(database_url)
    server.start()
    venue = set_up_venue(server)

    # --- the on-sale, and the kill in the middle of it
    stop = threading.Event()
    clients = [Client(i, venue, stop) for i in range(CLIENTS)]
    started = time.monotonic()
    for c in clients:
        c.start()
    while (
        sum(len(c.ledger.acked_bookings) for c in clients) < KILL_AFTER_BOOKINGS
        and time.monotonic() - started < KILL_AFTER_SECONDS
    ):
        time.sleep(0.05)
    killed_at = time.monotonic()
    server.kill()
    stop.set()
    for c in clients:
        c.join(timeout=30)
        assert not c.is_alive(), "a client hung after the kill"
    ledger = _merge(clients)
    assert all(when >= killed_at for when, _ in ledger.unanswered), f"requests failed before the kill: {ledger}"
    assert len(ledger.acked_bookings) >= 100, f"too little load to prove anything: {ledger.statuses}"
    assert not [s for s in ledger.statuses if s >= 500], f"server errors under load: {ledger.statuses}"

    # --- restart over the same database
    restart_began = time.monotonic()
    server.start()
    restart_seconds = time.monotonic() - restart_began
    stored = statuses(venue)

    # acked ⊆ stored, and no seat acknowledged twice
    labels_acked = Counter(label for label, _ in ledger.acked_bookings)
    assert [label for label, n in labels_acked.items() if n > 1] == [], "a seat was acknowledged to two bookings"
    lost = [
        (label, order, stored[label].get("status"), stored[label].get("orderId"))
        for label, order in ledger.acked_bookings
        if stored[label]["status"] != "booked" or stored[label].get("orderId") != order
    ]
    assert lost == [], f"acknowledged bookings lost after SIGKILL: {lost[:10]}"

    # every stored booking is one the clients asked for, acknowledged or unheard, and all or nothing
    acked_orders = {order for _, order in ledger.acked_bookings}
    booked = {label: info.get("orderId") for label, info in stored.items() if info["status"] == "booked"}
    by_order: dict[str, set[str]] = {}
    for label, order in booked.items():
        assert order in acked_orders | ledger.unanswered_orders, f"{label} booked under {order}, refused or unknown"
        by_order.setdefault(str(order), set()).add(label)
    for order in ledger.unanswered_orders:
        assert by_order.get(order, set()) in (set(), set(ledger.requested[order])), f"{order} half-committed"
    committed_unheard = sum(1 for order in ledger.unanswered_orders if order in by_order)

    # every acknowledged hold is still held under its token, unless its holder's booking went through
    for label, token in ledger.acked_holds:
        info = stored[label]
        follow_up = ledger.follow_up.get(token)
        kept = info["status"] == "reservedByToken" and info.get("holdToken") == token
        sold_on = info["status"] == "booked" and follow_up is not None and info.get("orderId") == follow_up
        assert kept or sold_on, f"acknowledged hold of {label} under {token} lost: {info}"

    audit = boxoffice("audit", env=server.env)
    assert audit.returncode == 0, audit.stdout + audit.stderr

    # --- the holds that were in flight lapse and free their seats
    held = sorted(label for label, info in stored.items() if info["status"] == "reservedByToken")
    with httpx.Client(auth=venue.auth, timeout=30) as http:
        for token in ledger.tokens:
            lapsed = http.post(f"{venue.base}/hold-tokens/{token}", json={"expiresInMinutes": 0})
            assert lapsed.status_code == 200 and lapsed.json()["expiresInSeconds"] == 0, lapsed.text
        after = statuses(venue)
        assert {info["status"] for info in after.values()} <= {"free", "booked"}
        assert all(after[label]["status"] == "free" for label in held)
        assert {label for label, info in after.items() if info["status"] == "booked"} == set(booked)
        # expiring a token at once releases (and logs) what it held, so the sweeper finds nothing left over
        tidied = boxoffice("holds", "expire", env=server.env)
        assert tidied.returncode == 0 and "released 0 lapsed holds" in tidied.stdout, tidied.stdout
        audit = boxoffice("audit", env=server.env)
        assert audit.returncode == 0, audit.stdout + audit.stderr
        if held:
            resold = change(http, venue, held, "booked", orderId="after-the-kill")
            assert resold.is_success, resold.text
    assert boxoffice("audit", f"--event={EVENT_KEY}", env=server.env).returncode == 0

    print(
        f"\nSIGKILL on {database_url.split(':', 1)[0]}: {CLIENTS} clients, killed after "
        f"{killed_at - started:.1f} s; responses before the kill {dict(sorted(ledger.statuses.items()))}; "
        f"acked bookings {len(acked_orders)} ({len(ledger.acked_bookings)} seats), all stored; "
        f"unanswered at the kill {len(ledger.unanswered)} (bookings {len(ledger.unanswered_orders)}, "
        f"of which committed unheard {committed_unheard}); stored bookings {len(by_order)} ({len(booked)} seats); "
        f"seats held at restart {len(held)}, all free after their tokens lapsed; restart {restart_seconds:.1f} s"
    )
