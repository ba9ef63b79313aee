"""Group commit (services/group_commit.py), on SQLite and PostgreSQL: what each caller hears, and what is stored.

Jobs are submitted from asyncio, as the API submits them. The `one_batch` fixture holds the writer's first take
until every job of the test is queued, so that they are decided in one transaction (the overlay, the deferral
of a GA area already moved, a batch failing as a whole); without it the writer may start on the first job
alone. Each test checks that the log replays to what is stored (`audit`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, text

from boxoffice.domain.errors import (
    Busy,
    EventNotFound,
    HoldTokenExpired,
    HoldTokenExpiryInvalid,
    HoldTokenNotFound,
    IllegalStatusChange,
    ObjectNotFound,
)
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import group_commit, hold_tokens, inventory
from boxoffice.services.audit import audit
from boxoffice.services.best_available import BestAvailableOrder, take_best_available
from boxoffice.services.clock import utcnow
from boxoffice.services.group_commit import Committer, _Job, committer_for
from boxoffice.services.inventory import ChangedObjects, ObjectRequest, StatusChangeRequest
from boxoffice.services.reports import object_infos, status_changes
from boxoffice.storage import objects as storage_objects
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork
from tests.factories import make_event, small_drawing

GATE_TIMEOUT_S = 10.0  # how long the gate waits for the jobs to be queued (they are, in one loop iteration)
STILL_WAITING_S = 0.3  # "has not completed while the row is locked elsewhere"

OneBatch = Callable[[Committer, int], None]


# -- helpers ----------------------------------------------------------------------------------------------------
def change(event_key: str, objects: Sequence[str | ObjectRequest], status: str, **options: Any) -> StatusChangeRequest:
    objs = tuple(o if isinstance(o, ObjectRequest) else ObjectRequest(o) for o in objects)
    return StatusChangeRequest(event_keys=(event_key,), objects=objs, status=status, **options)


def together(*calls: Callable[[], Awaitable[Any]]) -> list[Any]:
    """Start every call at once on one event loop; each one's result, or the exception it raised."""

    async def main() -> list[Any]:
        return await asyncio.gather(*(call() for call in calls), return_exceptions=True)

    return asyncio.run(main())


def tokens(db: Database, ws: Workspace, n: int) -> list[str]:
    """Hold tokens made through the plain service (so the committer's writer has not started yet)."""
    return [hold_tokens.create_hold_token(db, ws).token for _ in range(n)]


@dataclass(frozen=True)
class Logged:
    label: str
    previous: str
    status: str
    hold_token: str | None
    quantity: int
    created_at: datetime


def log_of(db: Database, ws: Workspace, event_key: str) -> list[Logged]:
    """The event's status-change log, oldest first."""
    entries = status_changes(db, ws, event_key, sort="date", ascending=True, limit=100)
    return [
        Logged(
            e.change.label,
            e.change.previous_status,
            e.change.status,
            e.change.hold_token,
            e.change.quantity,
            e.change.created_at,
        )
        for e in entries
    ]


def assert_clean(db: Database, ws: Workspace) -> None:
    report = audit(db, workspace_id=ws.id)
    assert report.clean, report.problems


def held_by(db: Database, ws: Workspace, event_key: str, labels: Sequence[str]) -> dict[str, tuple[str, str | None]]:
    return {i.label: (i.status, i.hold_token) for i in object_infos(db, ws, event_key, list(labels))}


def seat_number(label: str) -> tuple[str, int]:
    row, number = label.rsplit("-", 1)
    return row, int(number)


def adjacent(labels: Sequence[str]) -> bool:
    """All in one row, numbered one after another."""
    parts = sorted(seat_number(label) for label in labels)
    rows = {row for row, _ in parts}
    numbers = [n for _, n in parts]
    return len(rows) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@dataclass
class DetailsCall:
    event: Event
    rows: list[ObjectRow]


class Details:
    """The `details` callback of take_best_available: records what it was given, answers the labels."""

    def __init__(self) -> None:
        self.calls: list[DetailsCall] = []

    def __call__(self, uow: UnitOfWork, event: Event, rows: list[ObjectRow]) -> list[str]:
        assert isinstance(uow, UnitOfWork)
        self.calls.append(DetailsCall(event, list(rows)))
        return [row.state.label for row in rows]


@pytest.fixture
def one_batch(monkeypatch: pytest.MonkeyPatch) -> OneBatch:
    """`gate(committer, n)`: the writer's first take waits until `n` jobs are queued, so that all `n` are
    decided in one transaction. Install it before the committer's first job (its writer must not be running)."""

    def gate(committer: Committer, jobs: int) -> None:
        lane = committer.seats  # where every job goes until a batch has met a GA area
        assert not lane._threads, "the writer is already running: the gate would come too late"
        original = lane._take
        state = {"open": False}

        def take() -> list[_Job[Any]]:
            if not state["open"]:
                deadline = time.monotonic() + GATE_TIMEOUT_S
                while lane._queue.qsize() < jobs and time.monotonic() < deadline:
                    time.sleep(0.001)
                state["open"] = True
            return original()

        monkeypatch.setattr(lane, "_take", take)

    return gate


def fail_first_write(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The first batch write fails (as a compare-and-set that did not match would); the list it returns
    records how many plans each write was given."""
    real_write = inventory.write_plans
    writes: list[int] = []

    def failing_once(
        uow: UnitOfWork,
        plans: Sequence[tuple[Workspace, inventory.EventPlan]],
        now: datetime,
        tokens: Sequence[HoldToken] = (),
        *,
        areas_written: bool = False,
    ) -> None:
        writes.append(len(plans))
        if len(writes) == 1:
            raise Busy("Objects changed while this change was being made; nothing was changed, retry")
        real_write(uow, plans, now, tokens, areas_written=areas_written)

    monkeypatch.setattr(inventory, "write_plans", failing_once)
    return writes


def one_timestamp(entries: Sequence[Logged]) -> bool:
    """Every entry written by one transaction (a batch shares its `now`)."""
    return len({e.created_at for e in entries}) == 1


# -- status changes ---------------------------------------------------------------------------------------------
def test_hold_then_book_through_the_committer_changes_statuses_and_logs(db: Database) -> None:
    ws, event = make_event(db)
    committer = committer_for(db)
    assert committer_for(db) is committer  # one per database

    token = asyncio.run(committer.create_hold_token(ws, None)).token
    held = asyncio.run(committer.change_status(ws, change(event.key, ["A-1", "A-2"], HELD, hold_token=token)))
    assert held == ChangedObjects({event.key: ["A-1", "A-2"]})
    assert held_by(db, ws, event.key, ["A-1", "A-2"]) == {"A-1": (HELD, token), "A-2": (HELD, token)}

    booked = asyncio.run(
        committer.change_status(ws, change(event.key, ["A-1", "A-2"], BOOKED, hold_token=token, order_id="o1"))
    )
    assert booked == ChangedObjects({event.key: ["A-1", "A-2"]})
    infos = object_infos(db, ws, event.key, ["A-1", "A-2"])
    assert [(i.status, i.order_id, i.hold_token) for i in infos] == [(BOOKED, "o1", None)] * 2

    log = log_of(db, ws, event.key)
    assert [(e.label, e.previous, e.status, e.hold_token) for e in log] == [
        ("A-1", FREE, HELD, token),
        ("A-2", FREE, HELD, token),
        ("A-1", HELD, BOOKED, token),
        ("A-2", HELD, BOOKED, token),
    ]
    assert_clean(db, ws)


def test_many_holds_of_different_seats_in_one_batch_all_succeed(db: Database, one_batch: OneBatch) -> None:
    ws, event = make_event(db)
    labels = [f"{row}-{n}" for row in "ABC" for n in range(1, 11)]
    mine = tokens(db, ws, len(labels))
    committer = committer_for(db)
    one_batch(committer, len(labels))

    results = together(
        *(
            lambda label=label, token=token: committer.change_status(
                ws, change(event.key, [label], HELD, hold_token=token)
            )
            for label, token in zip(labels, mine, strict=True)
        )
    )

    assert results == [ChangedObjects({event.key: [label]}) for label in labels]
    assert held_by(db, ws, event.key, labels) == {
        label: (HELD, token) for label, token in zip(labels, mine, strict=True)
    }
    log = log_of(db, ws, event.key)
    assert sorted(e.label for e in log) == sorted(labels)  # each seat held once
    assert {(e.previous, e.status) for e in log} == {(FREE, HELD)}
    assert one_timestamp(log)  # one transaction
    assert_clean(db, ws)


def test_two_jobs_for_one_seat_in_one_batch_one_wins_and_the_other_writes_nothing(
    db: Database, one_batch: OneBatch
) -> None:
    ws, event = make_event(db)
    first, second = tokens(db, ws, 2)
    committer = committer_for(db)
    one_batch(committer, 2)

    won, lost = together(
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=first)),
        lambda: committer.change_status(ws, change(event.key, ["A-2", "A-1"], HELD, hold_token=second)),
    )

    assert won == ChangedObjects({event.key: ["A-1"]})
    assert isinstance(lost, IllegalStatusChange), lost
    assert lost.label == "A-1"
    assert held_by(db, ws, event.key, ["A-1", "A-2"]) == {"A-1": (HELD, first), "A-2": (FREE, None)}
    log = log_of(db, ws, event.key)
    assert [(e.label, e.hold_token) for e in log] == [("A-1", first)]  # nothing of the loser's
    assert_clean(db, ws)


def test_hold_then_book_of_one_seat_in_one_batch_both_apply(db: Database, one_batch: OneBatch) -> None:
    """The second job sees the first one's decision (the overlay), and both compare-and-sets chain."""
    ws, event = make_event(db)
    (token,) = tokens(db, ws, 1)
    committer = committer_for(db)
    one_batch(committer, 2)

    held, booked = together(
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=token)),
        lambda: committer.change_status(ws, change(event.key, ["A-1"], BOOKED, hold_token=token, order_id="o")),
    )

    assert held == booked == ChangedObjects({event.key: ["A-1"]})
    info = object_infos(db, ws, event.key, ["A-1"])[0]
    assert (info.status, info.order_id, info.hold_token) == (BOOKED, "o", None)
    log = log_of(db, ws, event.key)
    assert [(e.label, e.previous, e.status) for e in log] == [("A-1", FREE, HELD), ("A-1", HELD, BOOKED)]
    assert one_timestamp(log)
    assert_clean(db, ws)


def test_a_jobs_domain_error_does_not_affect_the_others_of_its_batch(db: Database, one_batch: OneBatch) -> None:
    ws, event = make_event(db)
    first, second, fourth = tokens(db, ws, 3)
    expired = hold_tokens.create_hold_token(db, ws, 1, now=utcnow() - timedelta(minutes=10)).token
    committer = committer_for(db)
    one_batch(committer, 7)

    results = together(
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=first)),
        lambda: committer.change_status(ws, change(event.key, ["A-2", "Z-99"], HELD, hold_token=second)),
        lambda: committer.change_status(ws, change("no-such-event", ["A-3"], HELD, hold_token=fourth)),
        lambda: committer.change_status(ws, change(event.key, ["A-4"], HELD, hold_token=expired)),
        lambda: committer.change_status(ws, change(event.key, ["A-5"], HELD, hold_token="no-such-token")),
        lambda: committer.change_status(ws, change(event.key, ["A-6"], BOOKED, order_id="o6")),
        lambda: committer.change_status(ws, change(event.key, ["A-7"], HELD, hold_token=fourth)),
    )

    ok1, not_found, no_event, lapsed, unknown_token, ok6, ok7 = results
    assert ok1 == ChangedObjects({event.key: ["A-1"]})
    assert isinstance(not_found, ObjectNotFound), not_found
    assert not_found.labels == ["Z-99"]
    assert isinstance(no_event, EventNotFound), no_event
    assert isinstance(lapsed, HoldTokenExpired), lapsed
    assert isinstance(unknown_token, HoldTokenNotFound), unknown_token
    assert ok6 == ChangedObjects({event.key: ["A-6"]})
    assert ok7 == ChangedObjects({event.key: ["A-7"]})

    infos = {i.label: (i.status, i.hold_token, i.order_id) for i in object_infos(db, ws, event.key)}
    assert infos["A-1"] == (HELD, first, None)
    assert infos["A-6"] == (BOOKED, None, "o6")
    assert infos["A-7"] == (HELD, fourth, None)
    for label in ("A-2", "A-3", "A-4", "A-5"):
        assert infos[label] == (FREE, None, None), label
    assert sorted(e.label for e in log_of(db, ws, event.key)) == ["A-1", "A-6", "A-7"]
    assert_clean(db, ws)


def test_hold_release_hold_of_one_seat_in_one_batch_chains(db: Database, one_batch: OneBatch) -> None:
    ws, event = make_event(db)
    first, second = tokens(db, ws, 2)
    committer = committer_for(db)
    one_batch(committer, 3)

    results = together(
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=first)),
        lambda: committer.change_status(ws, change(event.key, ["A-1"], FREE, hold_token=first)),
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=second)),
    )

    assert results == [ChangedObjects({event.key: ["A-1"]})] * 3
    assert held_by(db, ws, event.key, ["A-1"]) == {"A-1": (HELD, second)}
    log = log_of(db, ws, event.key)
    assert [(e.previous, e.status, e.hold_token) for e in log] == [
        (FREE, HELD, first),
        (HELD, FREE, first),
        (FREE, HELD, second),
    ]
    assert one_timestamp(log)
    assert_clean(db, ws)


def test_a_change_across_events_is_all_or_nothing_inside_a_batch(db: Database, one_batch: OneBatch) -> None:
    """A season change (two events) loses on its second event to an earlier job of the batch: nothing of it is
    written on the first event either."""
    ws, first_event = make_event(db)
    _, second_event = make_event(db, ws)
    season, single = tokens(db, ws, 2)
    committer = committer_for(db)
    one_batch(committer, 3)

    single_result, season_result, other = together(
        lambda: committer.change_status(ws, change(second_event.key, ["A-1"], HELD, hold_token=single)),
        lambda: committer.change_status(
            ws,
            StatusChangeRequest(
                event_keys=(first_event.key, second_event.key),
                objects=(ObjectRequest("A-1"), ObjectRequest("A-2")),
                status=HELD,
                hold_token=season,
            ),
        ),
        lambda: committer.change_status(ws, change(first_event.key, ["A-3"], HELD, hold_token=season)),
    )

    assert single_result == ChangedObjects({second_event.key: ["A-1"]})
    assert isinstance(season_result, IllegalStatusChange), season_result
    assert (season_result.label, season_result.event_key) == ("A-1", second_event.key)
    assert other == ChangedObjects({first_event.key: ["A-3"]})
    assert held_by(db, ws, first_event.key, ["A-1", "A-2", "A-3"]) == {
        "A-1": (FREE, None),
        "A-2": (FREE, None),
        "A-3": (HELD, season),
    }
    assert held_by(db, ws, second_event.key, ["A-1", "A-2"]) == {"A-1": (HELD, single), "A-2": (FREE, None)}
    assert [e.label for e in log_of(db, ws, first_event.key)] == ["A-3"]
    assert [e.label for e in log_of(db, ws, second_event.key)] == ["A-1"]
    assert_clean(db, ws)


def test_workspaces_sharing_an_event_key_stay_apart_in_one_batch(db: Database, one_batch: OneBatch) -> None:
    mine, my_event = make_event(db, key="concert")
    theirs, their_event = make_event(db, key="concert")
    (my_token,) = tokens(db, mine, 1)
    (their_token,) = tokens(db, theirs, 1)
    committer = committer_for(db)
    one_batch(committer, 3)

    my_hold, their_hold, wrong_token = together(
        lambda: committer.change_status(mine, change("concert", ["A-1"], HELD, hold_token=my_token)),
        lambda: committer.change_status(theirs, change("concert", ["A-2"], HELD, hold_token=their_token)),
        lambda: committer.change_status(theirs, change("concert", ["A-3"], HELD, hold_token=my_token)),
    )

    assert my_hold == ChangedObjects({"concert": ["A-1"]})
    assert their_hold == ChangedObjects({"concert": ["A-2"]})
    assert isinstance(wrong_token, HoldTokenNotFound), wrong_token  # a token of another workspace
    assert held_by(db, mine, "concert", ["A-1", "A-2"]) == {"A-1": (HELD, my_token), "A-2": (FREE, None)}
    assert held_by(db, theirs, "concert", ["A-1", "A-2", "A-3"]) == {
        "A-1": (FREE, None),
        "A-2": (HELD, their_token),
        "A-3": (FREE, None),
    }
    assert my_event.id != their_event.id
    assert_clean(db, mine)
    assert_clean(db, theirs)


# -- hold tokens ------------------------------------------------------------------------------------------------
def test_a_writer_that_ends_when_idle_never_strands_a_job(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer ends after IDLE_EXIT_S without work, and submitters look at it without a lock: jobs that
    arrive as it ends are still served (by it, or by a writer started for them)."""
    ws, _ = make_event(db)
    committer = committer_for(db)
    monkeypatch.setattr(group_commit, "IDLE_EXIT_S", 0.001)

    async def scenario() -> int:
        made = 0
        for i in range(150):
            await asyncio.wait_for(committer.create_hold_token(ws, None), timeout=5)
            made += 1
            await asyncio.sleep((i % 4) * 0.0007)  # around the moment the writer gives up
        return made

    assert asyncio.run(scenario()) == 150


def test_create_hold_token_through_the_committer(db: Database, one_batch: OneBatch) -> None:
    ws, _ = make_event(db)
    committer = committer_for(db)
    one_batch(committer, 5)

    results = together(*(lambda m=m: committer.create_hold_token(ws, m) for m in (5, 0, 121, None, 120)))

    five, zero, too_long, default, longest = results
    assert isinstance(zero, HoldTokenExpiryInvalid), zero
    assert isinstance(too_long, HoldTokenExpiryInvalid), too_long
    made: list[tuple[HoldToken, int]] = [(five, 5), (default, 15), (longest, 120)]
    assert len({token.token for token, _ in made}) == 3
    for token, minutes in made:
        assert isinstance(token, HoldToken), token
        assert token.workspace_id == ws.id
        assert token.expires_at - token.created_at == timedelta(minutes=minutes)
        stored = hold_tokens.get_hold_token(db, ws, token.token)
        assert stored.token == token.token
        assert stored.expires_at - stored.created_at == timedelta(minutes=minutes)
        assert abs(stored.expires_at - token.expires_at) < timedelta(seconds=1)


def test_hold_token_made_through_the_committer_holds_and_lapses_like_any_other(db: Database) -> None:
    ws, event = make_event(db)
    committer = committer_for(db)

    async def scenario() -> tuple[HoldToken, ChangedObjects]:
        token = await committer.create_hold_token(ws, 1)
        changed = await committer.change_status(ws, change(event.key, ["B-1"], HELD, hold_token=token.token))
        return token, changed

    token, changed = asyncio.run(scenario())
    assert changed == ChangedObjects({event.key: ["B-1"]})
    assert held_by(db, ws, event.key, ["B-1"]) == {"B-1": (HELD, token.token)}
    later = token.expires_at + timedelta(seconds=1)
    assert object_infos(db, ws, event.key, ["B-1"], now=later)[0].status == FREE


# -- best available -------------------------------------------------------------------------------------------------
def test_best_available_through_the_committer_holds_adjacent_seats(db: Database) -> None:
    ws, event = make_event(db)
    committer = committer_for(db)
    details = Details()

    async def scenario() -> tuple[str, Any]:
        token = (await committer.create_hold_token(ws, None)).token
        order = BestAvailableOrder(event.key, 3, HELD, hold_token=token, ticket_types=("adult", "child"))
        return token, await committer.take_best_available(ws, order, details)

    token, (result, described) = asyncio.run(scenario())

    assert len(result.labels) == 3 and result.next_to_each_other
    assert adjacent(result.labels), result.labels
    assert described == list(result.labels)
    assert len(details.calls) == 1
    call = details.calls[0]
    assert (call.event.id, call.event.key) == (event.id, event.key)
    assert [row.state.label for row in call.rows] == list(result.labels)
    assert {(row.state.status, row.state.hold_token) for row in call.rows} == {(HELD, token)}
    assert [row.state.ticket_type for row in call.rows] == ["adult", "child", None]
    assert held_by(db, ws, event.key, result.labels) == {label: (HELD, token) for label in result.labels}
    assert sorted(e.label for e in log_of(db, ws, event.key)) == sorted(result.labels)
    assert_clean(db, ws)


def test_best_available_orders_in_one_batch_take_different_seats(db: Database, one_batch: OneBatch) -> None:
    """A named hold of the whole front row and three orders for pairs, decided together: the orders see the
    row as taken and each other's picks as taken."""
    ws, event = make_event(db)
    front = [f"A-{n}" for n in range(1, 11)]
    row_token, *mine = tokens(db, ws, 4)
    committer = committer_for(db)
    one_batch(committer, 4)
    details = [Details() for _ in mine]

    results = together(
        lambda: committer.change_status(ws, change(event.key, front, HELD, hold_token=row_token)),
        *(
            lambda token=token, d=d: committer.take_best_available(
                ws, BestAvailableOrder(event.key, 2, HELD, hold_token=token), d
            )
            for token, d in zip(mine, details, strict=True)
        ),
    )

    assert results[0] == ChangedObjects({event.key: front})
    picked: dict[str, str] = {}
    for token, outcome, d in zip(mine, results[1:], details, strict=True):
        assert not isinstance(outcome, BaseException), outcome
        result, described = outcome
        assert result.next_to_each_other and adjacent(result.labels), result.labels
        assert described == list(result.labels)
        assert [[(r.state.label, r.state.hold_token) for r in c.rows] for c in d.calls] == [
            [(label, token) for label in result.labels]
        ]
        for label in result.labels:
            assert not label.startswith("A-"), f"{label} was held by name earlier in the batch"
            assert label not in picked, f"{label} picked twice"
            picked[label] = token
    assert held_by(db, ws, event.key, list(picked)) == {label: (HELD, token) for label, token in picked.items()}
    log = log_of(db, ws, event.key)
    assert sorted(e.label for e in log) == sorted([*front, *picked])
    assert one_timestamp(log)
    assert_clean(db, ws)


def failing_details(uow: UnitOfWork, event: Event, rows: list[ObjectRow]) -> list[str]:
    raise ValueError("the details could not be made")


def best_pair(db: Database, ws: Workspace) -> tuple[str, ...]:
    """The pair best available takes on a fresh event of the same chart (a twin, taken the plain way)."""
    _, twin = make_event(db, ws)
    return take_best_available(db, ws, BestAvailableOrder(twin.key, 2, BOOKED)).labels


def test_a_pick_lost_to_a_change_the_cache_missed_picks_again_from_the_locked_rows_without_reading(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The best pair was booked behind the cache's back (no log entry yet, as a commit another process's log
    has not shown): the batch locks it, finds it booked, learns that from the rows it holds, and takes the
    next best pair without reading those seats again."""
    ws, event = make_event(db)
    _, twin = make_event(db, ws)  # what best available takes after a first single seat, taken the plain way
    take_best_available(db, ws, BestAvailableOrder(twin.key, 1, BOOKED))
    best = take_best_available(db, ws, BestAvailableOrder(twin.key, 2, BOOKED)).labels
    committer = committer_for(db)
    (token,) = tokens(db, ws, 1)
    asyncio.run(committer.create_hold_token(ws, None))  # the writer is up; warm the cache with a first pick
    asyncio.run(committer.take_best_available(ws, BestAvailableOrder(event.key, 1, HELD, hold_token=token), Details()))
    with db.engine.begin() as conn:
        for label in best:
            conn.execute(
                text(
                    "UPDATE event_objects SET status = 'booked', version = version + 1"
                    " WHERE event_id = :e AND label = :l"
                ),
                {"e": event.id, "l": label},
            )
    reads: list[Sequence[str] | None] = []
    real = storage_objects.seat_availability

    def recorded(conn: Connection, event_id: int, among: Sequence[str] | None = None) -> Any:
        reads.append(among)
        return real(conn, event_id, among)

    monkeypatch.setattr(storage_objects, "seat_availability", recorded)  # as services.availability reads it

    result, _ = asyncio.run(committer.take_best_available(ws, BestAvailableOrder(event.key, 2, BOOKED), Details()))

    assert set(result.labels).isdisjoint(best) and result.next_to_each_other
    assert not [among for among in reads if among is None or set(among) & set(best)]  # (the first seat's is)
    assert held_by(db, ws, event.key, list(result.labels)) == dict.fromkeys(result.labels, (BOOKED, None))


def test_best_available_whose_details_fail_fails_alone_and_writes_nothing(db: Database, one_batch: OneBatch) -> None:
    ws, event = make_event(db)
    (token,) = tokens(db, ws, 1)
    committer = committer_for(db)
    one_batch(committer, 2)

    failed, named = together(
        lambda: committer.take_best_available(ws, BestAvailableOrder(event.key, 2, BOOKED), failing_details),
        lambda: committer.change_status(ws, change(event.key, ["C-1"], HELD, hold_token=token)),
    )

    assert isinstance(failed, ValueError), failed
    assert named == ChangedObjects({event.key: ["C-1"]})
    taken = {i.label: i.status for i in object_infos(db, ws, event.key) if i.status != FREE}
    assert taken == {"C-1": HELD}
    assert [e.label for e in log_of(db, ws, event.key)] == ["C-1"]
    assert_clean(db, ws)


def test_a_best_available_pick_whose_job_fails_is_offered_again(db: Database) -> None:
    ws, event = make_event(db)
    best = best_pair(db, ws)
    committer = committer_for(db)

    async def scenario() -> tuple[str, ...]:
        with pytest.raises(ValueError):
            await committer.take_best_available(ws, BestAvailableOrder(event.key, 2, BOOKED), failing_details)
        result, _ = await committer.take_best_available(ws, BestAvailableOrder(event.key, 2, BOOKED), Details())
        return result.labels

    assert {i.status for i in object_infos(db, ws, event.key, list(best))} == {FREE}
    assert asyncio.run(scenario()) == best


def test_a_best_available_job_whose_batch_fails_takes_the_best_seats_alone(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws, event = make_event(db)
    best = best_pair(db, ws)
    committer = committer_for(db)
    writes = fail_first_write(monkeypatch)

    result, _ = asyncio.run(committer.take_best_available(ws, BestAvailableOrder(event.key, 2, BOOKED), Details()))

    assert len(writes) == 2  # the batch's write failed; the job was run again alone
    assert result.labels == best


# -- general admission ------------------------------------------------------------------------------------------
def test_ga_area_held_by_several_jobs_at_once_never_exceeds_capacity(db: Database, one_batch: OneBatch) -> None:
    """Six jobs hold 2 places each of 10 in one batch (each decides against the moves of those before it),
    and a seat job rides along: five GA jobs win, one is turned away, the seat is held."""
    ws, event = make_event(db, drawing=small_drawing(ga_capacity=10))
    *ga_tokens, seat_token = tokens(db, ws, 7)
    committer = committer_for(db)
    one_batch(committer, 7)

    results = together(
        *(
            lambda token=token: committer.change_status(
                ws, change(event.key, [ObjectRequest("GA", quantity=2)], HELD, hold_token=token)
            )
            for token in ga_tokens
        ),
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=seat_token)),
    )

    *ga_results, seat_result = results
    assert seat_result == ChangedObjects({event.key: ["A-1"]})
    winners = [t for t, r in zip(ga_tokens, ga_results, strict=True) if r == ChangedObjects({event.key: ["GA"]})]
    losers = [r for r in ga_results if isinstance(r, BaseException)]
    assert len(winners) == 5, ga_results
    assert len(losers) == 1 and isinstance(losers[0], IllegalStatusChange), losers
    info = object_infos(db, ws, event.key, ["GA"])[0]
    assert (info.num_held, info.num_booked, info.num_free) == (10, 0, 0)
    assert {token: sum(per_type.values()) for token, per_type in info.holds.items()} == dict.fromkeys(winners, 2)
    assert held_by(db, ws, event.key, ["A-1"]) == {"A-1": (HELD, seat_token)}
    ga_log = [e for e in log_of(db, ws, event.key) if e.label == "GA"]
    assert sorted((e.hold_token or "", e.quantity) for e in ga_log) == sorted((t, 2) for t in winners)
    assert one_timestamp(log_of(db, ws, event.key))  # one batch
    assert_clean(db, ws)


class NoAlone:
    """Stands in for the pool of jobs run alone: records what would have been sent there, and runs it."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    def submit(self, fn: Callable[..., Any], *args: Any) -> None:
        self.sent.append(args)
        fn(*args)


def test_jobs_for_an_area_the_batch_has_moved_are_decided_in_the_batch_not_alone(
    db: Database, one_batch: OneBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Holds and a release of one area in one batch: each job sees the allocations the jobs before it made."""
    ws, event = make_event(db, drawing=small_drawing(ga_capacity=10))
    ga_tokens = tokens(db, ws, 3)
    committer = committer_for(db)
    alone = NoAlone()
    monkeypatch.setattr(group_commit, "_ALONE", alone)

    first, second, third = ga_tokens
    one_batch(committer, 4)

    results = together(
        *(
            lambda token=token: committer.change_status(
                ws, change(event.key, [ObjectRequest("GA", quantity=4)], HELD, hold_token=token)
            )
            for token in (first, second, third)
        ),
        lambda: committer.change_status(
            ws, change(event.key, [ObjectRequest("GA", quantity=4)], FREE, hold_token=first)
        ),
    )

    ok = ChangedObjects({event.key: ["GA"]})
    assert results[:2] == [ok, ok]
    assert isinstance(results[2], IllegalStatusChange), results  # 8 of 10 held: 4 more do not fit
    assert results[3] == ok  # the first job's 4 places, released in the same batch
    assert alone.sent == []
    assert one_timestamp(log_of(db, ws, event.key))
    info = object_infos(db, ws, event.key, ["GA"])[0]
    assert (info.num_held, info.num_free) == (4, 6)
    assert {token: sum(per_type.values()) for token, per_type in info.holds.items()} == {second: 4}
    assert_clean(db, ws)


# -- a batch that fails as a whole ------------------------------------------------------------------------------------
def test_a_batch_that_fails_as_a_whole_gives_each_job_its_own_answer(
    db: Database, one_batch: OneBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's write fails (as a compare-and-set that did not match would): every job is run again in a
    transaction of its own, and the batch's own writes (a new hold token too) are gone."""
    ws, event = make_event(db)
    first, second, third = tokens(db, ws, 3)
    committer = committer_for(db)
    one_batch(committer, 4)
    writes = fail_first_write(monkeypatch)

    a1_first, a1_second, a2, made = together(
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=first)),
        lambda: committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=second)),
        lambda: committer.change_status(ws, change(event.key, ["A-2"], HELD, hold_token=third)),
        lambda: committer.create_hold_token(ws, 10),
    )

    assert writes[0] == 2  # the batch wrote the two winning holds at once, and failed
    a1 = [(first, a1_first), (second, a1_second)]
    won = [token for token, r in a1 if r == ChangedObjects({event.key: ["A-1"]})]
    lost = [r for _, r in a1 if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1 and isinstance(lost[0], IllegalStatusChange), a1
    assert a2 == ChangedObjects({event.key: ["A-2"]})
    assert isinstance(made, HoldToken), made
    assert hold_tokens.get_hold_token(db, ws, made.token).token == made.token
    assert held_by(db, ws, event.key, ["A-1", "A-2"]) == {"A-1": (HELD, won[0]), "A-2": (HELD, third)}
    assert sorted((e.label, e.hold_token) for e in log_of(db, ws, event.key)) == [("A-1", won[0]), ("A-2", third)]
    assert_clean(db, ws)


# -- contention with another transaction (PostgreSQL: rows are locked one by one) -----------------------------------
def lock_rows(conn: Connection, event: Event, labels: Sequence[str]) -> None:
    """Lock seat rows in `conn`'s open transaction, as another process's change would."""
    locked = conn.execute(
        text("SELECT label FROM event_objects WHERE event_id = :e AND label = ANY(:labels) FOR UPDATE"),
        {"e": event.id, "labels": list(labels)},
    ).all()
    assert sorted(r[0] for r in locked) == sorted(labels)


def test_a_seat_locked_elsewhere_goes_alone_and_waits_for_the_lock(pg_db: Database, one_batch: OneBatch) -> None:
    ws, event = make_event(pg_db)
    first, second = tokens(pg_db, ws, 2)
    committer = committer_for(pg_db)
    one_batch(committer, 2)

    async def scenario() -> tuple[ChangedObjects, ChangedObjects]:
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, ["A-1"])
            contended = asyncio.create_task(
                committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=first))
            )
            free = asyncio.create_task(committer.change_status(ws, change(event.key, ["A-2"], HELD, hold_token=second)))
            other = await free  # its batch did not wait for the contended job
            done, _ = await asyncio.wait({contended}, timeout=STILL_WAITING_S)
            assert not done, "the hold of a seat locked elsewhere completed while the lock was held"
            assert held_by(pg_db, ws, event.key, ["A-1"]) == {"A-1": (FREE, None)}
            conn.rollback()  # the other transaction ends: the job running alone gets its turn
        return await contended, other

    contended, other = asyncio.run(scenario())

    assert contended == ChangedObjects({event.key: ["A-1"]})
    assert other == ChangedObjects({event.key: ["A-2"]})
    assert held_by(pg_db, ws, event.key, ["A-1", "A-2"]) == {"A-1": (HELD, first), "A-2": (HELD, second)}
    log = log_of(pg_db, ws, event.key)
    assert [e.label for e in log] == ["A-2", "A-1"]
    assert_clean(pg_db, ws)


def test_a_ga_area_locked_elsewhere_is_waited_for_by_the_batch_not_run_alone(
    pg_db: Database, one_batch: OneBatch, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every buyer of an area needs its one row: the batch waits for it (before it locks anything else),
    rather than sending every GA job of a busy on-sale to a transaction of its own."""
    ws, event = make_event(pg_db, drawing=small_drawing(ga_capacity=10))
    ga_token, seat_token = tokens(pg_db, ws, 2)
    committer = committer_for(pg_db)
    alone = NoAlone()
    monkeypatch.setattr(group_commit, "_ALONE", alone)
    one_batch(committer, 2)

    async def scenario() -> list[ChangedObjects]:
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, ["GA"])
            jobs = [
                asyncio.create_task(
                    committer.change_status(
                        ws, change(event.key, [ObjectRequest("GA", quantity=2)], HELD, hold_token=ga_token)
                    )
                ),
                asyncio.create_task(
                    committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=seat_token))
                ),
            ]
            done, _ = await asyncio.wait(jobs, timeout=STILL_WAITING_S)
            assert not done, "the batch went on while the area's row was locked elsewhere"
            conn.rollback()
        return list(await asyncio.gather(*jobs))

    ga, seat = asyncio.run(scenario())

    assert (ga, seat) == (ChangedObjects({event.key: ["GA"]}), ChangedObjects({event.key: ["A-1"]}))
    assert alone.sent == []
    assert one_timestamp(log_of(pg_db, ws, event.key))  # one batch
    assert held_by(pg_db, ws, event.key, ["A-1"]) == {"A-1": (HELD, seat_token)}
    assert_clean(pg_db, ws)


def test_once_an_area_is_known_its_jobs_have_a_lane_of_their_own_and_seats_do_not_wait_behind_it(
    pg_db: Database,
) -> None:
    """A batch holds a GA area's row until it commits, and another process's batch naming the area waits
    for it. Once a batch has met the area, jobs naming it go to the `areas` lane, and seats are never
    held up by it."""
    ws, event = make_event(pg_db, drawing=small_drawing(ga_capacity=10))
    ga_token, seat_token, first_token = tokens(pg_db, ws, 3)
    committer = committer_for(pg_db)

    async def scenario() -> tuple[ChangedObjects, ChangedObjects]:
        # Unknown yet: the first GA job goes to `seats`, and its batch learns the area.
        await committer.change_status(
            ws, change(event.key, [ObjectRequest("GA", quantity=1)], HELD, hold_token=first_token)
        )
        assert committer.seats._threads and not committer.areas._threads
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, ["GA"])  # another process's batch, holding the area
            ga = asyncio.create_task(
                committer.change_status(
                    ws, change(event.key, [ObjectRequest("GA", quantity=2)], HELD, hold_token=ga_token)
                )
            )
            seat = await asyncio.wait_for(
                committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=seat_token)),
                timeout=GATE_TIMEOUT_S,
            )  # answered while the area is still locked (waiting behind it, it would never be)
            assert not ga.done(), "the area's row is locked elsewhere: its job waits for it"
            assert committer.areas._threads
            conn.rollback()
        return await ga, seat

    ga, seat = asyncio.run(scenario())

    assert (ga, seat) == (ChangedObjects({event.key: ["GA"]}), ChangedObjects({event.key: ["A-1"]}))
    assert held_by(pg_db, ws, event.key, ["A-1"]) == {"A-1": (HELD, seat_token)}
    assert_clean(pg_db, ws)


def test_a_seat_locked_elsewhere_and_taken_meanwhile_is_refused_after_the_wait(pg_db: Database) -> None:
    """The job that ran alone decides against what the other transaction committed."""
    ws, event = make_event(pg_db)
    (token,) = tokens(pg_db, ws, 1)
    committer = committer_for(pg_db)

    async def scenario() -> BaseException | None:
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, ["A-1"])
            contended = asyncio.create_task(
                committer.change_status(ws, change(event.key, ["A-1"], HELD, hold_token=token))
            )
            done, _ = await asyncio.wait({contended}, timeout=STILL_WAITING_S)
            assert not done, "the hold of a seat locked elsewhere completed while the lock was held"
            conn.execute(
                text(
                    "UPDATE event_objects SET status = 'booked', version = version + 1"
                    " WHERE event_id = :e AND label = 'A-1'"
                ),
                {"e": event.id},
            )
            conn.commit()
        try:
            await contended
        except BaseException as exc:
            return exc
        return None

    refused = asyncio.run(scenario())
    assert isinstance(refused, IllegalStatusChange), refused
    assert held_by(pg_db, ws, event.key, ["A-1"]) == {"A-1": (BOOKED, None)}


def test_best_available_picks_around_seats_locked_elsewhere(pg_db: Database) -> None:
    ws, event = make_event(pg_db)
    front = [f"A-{n}" for n in range(1, 11)]  # the best seats
    (token,) = tokens(pg_db, ws, 1)
    committer = committer_for(pg_db)
    details = Details()

    async def scenario() -> tuple[tuple[str, ...], bool]:
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, front)
            order = BestAvailableOrder(event.key, 2, HELD, hold_token=token)
            result, _ = await committer.take_best_available(ws, order, details)  # does not wait for the row
            conn.rollback()
        return result.labels, result.next_to_each_other

    labels, together_ = asyncio.run(scenario())

    assert together_ and adjacent(labels), labels
    assert not set(labels) & set(front), f"{labels} includes seats locked elsewhere"
    assert [[r.state.label for r in c.rows] for c in details.calls] == [list(labels)]
    assert held_by(pg_db, ws, event.key, labels) == {label: (HELD, token) for label in labels}
    assert {i.status for i in object_infos(pg_db, ws, event.key, front)} == {FREE}
    assert_clean(pg_db, ws)


def test_best_available_that_loses_every_attempt_in_its_batch_takes_its_seats_alone(pg_db: Database) -> None:
    """26 of the 30 row seats are locked by another transaction: in the batch, every attempt meets locked rows
    (12 attempts, 2 seats a window), which is contention, not a sold-out event. The job runs alone, waits for
    the rows it picks as any change does, and takes them when the other transaction ends without taking them,
    instead of answering "not found"."""
    ws, event = make_event(pg_db)
    locked = [f"{row}-{n}" for row in "AB" for n in range(1, 11)] + [f"C-{n}" for n in range(1, 7)]
    (token,) = tokens(pg_db, ws, 1)
    committer = committer_for(pg_db)
    details = Details()

    async def scenario() -> tuple[str, ...]:
        with pg_db.engine.connect() as conn:
            lock_rows(conn, event, locked)
            order = BestAvailableOrder(event.key, 2, HELD, hold_token=token)
            take = asyncio.create_task(committer.take_best_available(ws, order, details))
            await asyncio.sleep(0.3)
            conn.rollback()  # the other transaction ends, having taken nothing
            result, _ = await take
        return result.labels

    labels = asyncio.run(scenario())

    assert adjacent(labels), labels
    assert held_by(pg_db, ws, event.key, labels) == {label: (HELD, token) for label in labels}
    assert {i.status for i in object_infos(pg_db, ws, event.key, sorted(set(locked) - set(labels)))} == {FREE}
    assert_clean(pg_db, ws)


# -- hold tokens ------------------------------------------------------------------------------------------------
def test_tokens_made_in_one_batch_last_their_own_companys_hold_period(db: Database, one_batch: OneBatch) -> None:
    from boxoffice.services import accounts

    mine, _ = make_event(db)
    theirs, _ = make_event(db)
    accounts.change_hold_period(db, mine.company_id, 5)
    committer = committer_for(db)
    one_batch(committer, 4)

    made = together(
        lambda: committer.create_hold_token(mine, None),
        lambda: committer.create_hold_token(theirs, None),
        lambda: committer.create_hold_token(mine, None),
        lambda: committer.create_hold_token(mine, 40),
    )

    lives = [t.expires_at - t.created_at for t in made]
    assert lives == [timedelta(minutes=m) for m in (5, 15, 5, 40)]
    assert len({t.created_at for t in made}) == 1  # one transaction
