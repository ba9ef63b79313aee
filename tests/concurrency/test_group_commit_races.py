"""Races through the group commit (services/group_commit.py) on PostgreSQL: 64 callers submit at once from
asyncio, as the API's requests do, and the writer decides them in as many batches as it takes.

What they prove: a seat goes to one caller, best available never gives a seat twice, a GA area never goes
over capacity, every caller gets its change or a domain error, and the log replays to what is stored (`audit`
clean). Few connections: the committer's writer and its "alone" threads (at most 8), not one per caller.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Sequence
from functools import partial
from typing import Any

from boxoffice.domain.errors import BestAvailableNotFound, IllegalStatusChange
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services import inventory
from boxoffice.services.audit import AuditReport, audit
from boxoffice.services.best_available import BestAvailableOrder, BestAvailableResult
from boxoffice.services.group_commit import Committer, committer_for
from boxoffice.services.inventory import ChangedObjects, ObjectRequest, StatusChangeRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork
from tests.factories import make_event, small_drawing

CALLERS = 64
LOOPS = 4  # event loops (threads) submitting to the one committer, for the cross-loop race
PLAIN_CALLERS = 8  # threads changing the seat in transactions of their own (as another process would)
JOIN_TIMEOUT_S = 60.0


# -- helpers ----------------------------------------------------------------------------------------------------
def clean_audit(db: Database, workspace: Workspace) -> AuditReport:
    report = audit(db, workspace_id=workspace.id)
    assert report.clean, report.problems
    return report


def submit_all(calls: Sequence[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """Start every call at once on one event loop; each one's result, or the exception it raised."""

    async def main() -> list[Any]:
        return await asyncio.gather(*(call() for call in calls), return_exceptions=True)

    return asyncio.run(main())


def submit_from_loops(loops: int, calls: Sequence[Callable[[], Awaitable[Any]]]) -> list[Any]:
    """The calls dealt out to `loops` threads, each with its own event loop, released together."""
    outcomes: list[Any] = [None] * len(calls)
    barrier = threading.Barrier(loops)

    def run(k: int) -> None:
        mine = list(range(k, len(calls), loops))
        barrier.wait(timeout=JOIN_TIMEOUT_S)
        for i, outcome in zip(mine, submit_all([calls[i] for i in mine]), strict=True):
            outcomes[i] = outcome

    threads = [threading.Thread(target=run, args=(k,), name=f"loop-{k}", daemon=True) for k in range(loops)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not [t.name for t in threads if t.is_alive()], "an event loop is still waiting for its answers"
    return outcomes


def errors(outcomes: Sequence[Any]) -> list[BaseException]:
    return [o for o in outcomes if isinstance(o, BaseException)]


def unexpected(outcomes: Sequence[Any], allowed: tuple[type[BaseException], ...]) -> list[str]:
    return [
        f"caller {i}: {o!r}"
        for i, o in enumerate(outcomes)
        if isinstance(o, BaseException) and not isinstance(o, allowed)
    ]


def new_tokens(committer: Committer, ws: Workspace, n: int) -> list[str]:
    """`n` hold tokens, made through the committer at once (they share batches too)."""
    made = submit_all([partial(committer.create_hold_token, ws, None) for _ in range(n)])
    assert all(isinstance(t, HoldToken) for t in made), errors(made)
    assert len({t.token for t in made}) == n
    return [t.token for t in made]


def hold(event: Event, objects: Sequence[str | ObjectRequest], token: str) -> StatusChangeRequest:
    objs = tuple(o if isinstance(o, ObjectRequest) else ObjectRequest(o) for o in objects)
    return StatusChangeRequest(event_keys=(event.key,), objects=objs, status=HELD, hold_token=token)


def rows_only(rows: int, seats_per_row: int) -> dict[str, Any]:
    """Just `rows` x `seats_per_row` seats: no tables, no GA area."""
    drawing = small_drawing(rows=rows, seats_per_row=seats_per_row)
    drawing["subChart"]["tables"] = []
    drawing["subChart"]["generalAdmissionAreas"] = []
    return drawing


# -- one seat, 64 callers ---------------------------------------------------------------------------------------
def one_seat_holds(
    committer: Committer, ws: Workspace, event: Event, tokens: Sequence[str]
) -> list[Callable[[], Awaitable[ChangedObjects]]]:
    return [partial(committer.change_status, ws, hold(event, ["A-1"], token)) for token in tokens]


def assert_one_holder(db: Database, ws: Workspace, event: Event, tokens: Sequence[str], outcomes: list[Any]) -> None:
    assert not unexpected(outcomes, (IllegalStatusChange,))
    winners = [t for t, o in zip(tokens, outcomes, strict=True) if o == ChangedObjects({event.key: ["A-1"]})]
    assert len(winners) == 1, f"{len(winners)} callers hold A-1"
    assert len(errors(outcomes)) == len(tokens) - 1
    info = object_infos(db, ws, event.key, ["A-1"])[0]
    assert (info.status, info.hold_token) == (HELD, winners[0])
    assert clean_audit(db, ws).entries_replayed == 1  # one hold, one log entry


def test_64_holds_of_one_seat_exactly_one_wins(pg_db: Database) -> None:
    ws, event = make_event(pg_db)
    committer = committer_for(pg_db)
    tokens = new_tokens(committer, ws, CALLERS)

    outcomes = submit_all(one_seat_holds(committer, ws, event, tokens))

    assert_one_holder(pg_db, ws, event, tokens, outcomes)


def test_64_holds_of_one_seat_from_several_event_loops_exactly_one_wins(pg_db: Database) -> None:
    ws, event = make_event(pg_db)
    committer = committer_for(pg_db)
    tokens = new_tokens(committer, ws, CALLERS)

    outcomes = submit_from_loops(LOOPS, one_seat_holds(committer, ws, event, tokens))

    assert_one_holder(pg_db, ws, event, tokens, outcomes)


def test_64_holds_of_one_seat_against_plain_transactions_exactly_one_wins(pg_db: Database) -> None:
    """The committer's batches race transactions of their own (another process, an admin change) that lock
    the row and wait: whoever wins, the seat is held once, and every caller hears an answer."""
    ws, event = make_event(pg_db)
    committer = committer_for(pg_db)
    tokens = new_tokens(committer, ws, CALLERS)
    grouped, plain = tokens[PLAIN_CALLERS:], tokens[:PLAIN_CALLERS]
    plain_outcomes: list[Any] = [None] * len(plain)
    start = threading.Barrier(len(plain) + 1)

    def plain_hold(i: int) -> None:
        start.wait(timeout=JOIN_TIMEOUT_S)
        try:
            plain_outcomes[i] = inventory.change_status(pg_db, ws, hold(event, ["A-1"], plain[i]))
        except Exception as exc:
            plain_outcomes[i] = exc

    threads = [threading.Thread(target=plain_hold, args=(i,), daemon=True) for i in range(len(plain))]
    for thread in threads:
        thread.start()

    async def main() -> list[Any]:
        calls = one_seat_holds(committer, ws, event, grouped)
        await asyncio.to_thread(start.wait, JOIN_TIMEOUT_S)
        return await asyncio.gather(*(call() for call in calls), return_exceptions=True)

    grouped_outcomes = asyncio.run(main())
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in threads)

    assert_one_holder(pg_db, ws, event, [*grouped, *plain], [*grouped_outcomes, *plain_outcomes])


# -- best available: 64 orders for pairs, 12 seats ----------------------------------------------------------------
def test_64_best_available_pairs_against_12_seats_no_seat_twice(pg_db: Database) -> None:
    ws, event = make_event(pg_db, drawing=rows_only(2, 6))
    committer = committer_for(pg_db)
    tokens = new_tokens(committer, ws, CALLERS)
    described: dict[str, list[tuple[str, str, str | None]]] = {}

    def details_for(token: str) -> Callable[[UnitOfWork, Event, list[ObjectRow]], list[str]]:
        def details(uow: UnitOfWork, ev: Event, rows: list[ObjectRow]) -> list[str]:
            assert ev.id == event.id
            described[token] = [(r.state.label, r.state.status, r.state.hold_token) for r in rows]
            return [r.state.label for r in rows]

        return details

    outcomes = submit_all(
        [
            partial(
                committer.take_best_available,
                ws,
                BestAvailableOrder(event.key, 2, HELD, hold_token=token),
                details_for(token),
            )
            for token in tokens
        ]
    )

    assert not unexpected(outcomes, (BestAvailableNotFound,))
    picked: dict[str, str] = {}
    for token, outcome in zip(tokens, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            continue
        result, labels = outcome
        assert isinstance(result, BestAvailableResult)
        assert len(result.labels) == 2 and labels == list(result.labels)
        assert described[token] == [(label, HELD, token) for label in result.labels]
        for label in result.labels:
            assert label not in picked, f"{label} went to {picked[label]} and to {token}"
            picked[label] = token
    infos = object_infos(pg_db, ws, event.key)
    assert len(infos) == 12
    for info in infos:
        if info.label in picked:
            assert (info.status, info.hold_token) == (HELD, picked[info.label])
        else:
            assert info.status == FREE, f"{info.label} is {info.status} but nobody was given it"
    # Liveness too: nobody is turned away while a pair is left.
    winners = len(outcomes) - len(errors(outcomes))
    assert (winners, len(picked)) == (6, 12)
    clean_audit(pg_db, ws)


# -- general admission: 64 callers x 3 places of 100 ------------------------------------------------------------------
def test_64_callers_hold_3_ga_places_of_100_exactly_33_win(pg_db: Database) -> None:
    ws, event = make_event(pg_db, drawing=small_drawing(ga_capacity=100))
    committer = committer_for(pg_db)
    tokens = new_tokens(committer, ws, CALLERS)

    outcomes = submit_all(
        [
            partial(committer.change_status, ws, hold(event, [ObjectRequest("GA", quantity=3)], token))
            for token in tokens
        ]
    )

    assert not unexpected(outcomes, (IllegalStatusChange,))
    winners = [t for t, o in zip(tokens, outcomes, strict=True) if o == ChangedObjects({event.key: ["GA"]})]
    assert len(winners) == 33
    assert len(errors(outcomes)) == CALLERS - 33
    info = object_infos(pg_db, ws, event.key, ["GA"])[0]
    assert (info.num_held, info.num_booked, info.num_free) == (99, 0, 1)
    assert {token: sum(per_type.values()) for token, per_type in info.holds.items()} == dict.fromkeys(winners, 3)
    clean_audit(pg_db, ws)  # the replay also checks the area never went over capacity, entry by entry
