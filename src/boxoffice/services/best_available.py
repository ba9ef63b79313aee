"""Best available as a use case: pick the best seats and take them, in one transaction.

The pick reads what is free; the take goes through the same lock-and-compare-and-set as any change, so
a seat taken by someone else in between is simply excluded and the pick is made again.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from boxoffice.domain.best_available import (
    BestAvailableChoice,
    BestAvailableRequest,
    SeatIndex,
    Selectable,
    best_available,
)
from boxoffice.domain.errors import BestAvailableNotFound, IllegalStatusChange, InvalidInput
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.domain.statuses import FREE, HELD, Caller
from boxoffice.services import availability, season_picks
from boxoffice.services.batch import Batch, Needs
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event
from boxoffice.services.inventory import (
    EventPlan,
    ObjectRequest,
    RowsLockedElsewhere,
    StatusChangeRequest,
    apply_to_event,
    caller_for,
    check_status,
    plan_event_change,
)
from boxoffice.services.layouts import layout_of, seat_index_of
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

ATTEMPTS = 12
MAX_DODGES = 8  # picks in a row that may step around seats another process is taking (_Pick.choose)


@dataclass(frozen=True, slots=True)
class BestAvailableOrder:
    event_key: str
    number: int
    status: str  # HELD (with hold_token) or booked, or a custom status
    categories: frozenset[str] | None = None
    zone: str | None = None
    sections: frozenset[str] | None = None
    accessible_seats: int = 0
    try_to_prevent_orphan_seats: bool = True
    hold_token: str | None = None
    order_id: str | None = None
    ticket_types: tuple[str | None, ...] = ()  # per seat, in order; shorter means the rest have none
    extra_data: tuple[dict[str, Any] | None, ...] = ()
    keep_extra_data: bool = False
    channel_keys: frozenset[str] = field(default_factory=frozenset)
    ignore_channels: bool = False
    origin_ip: str | None = None


@dataclass(frozen=True, slots=True)
class BestAvailableResult:
    labels: tuple[str, ...]
    next_to_each_other: bool


def take_best_available(
    db: Database, workspace: Workspace, order: BestAvailableOrder, *, now: datetime | None = None
) -> BestAvailableResult:
    """Pick and take, each attempt a transaction of its own run as a batch of one (services/batch.py): on
    PostgreSQL the reads (with BEGIN), the lock, the writes and the commit are a round trip each.

    The batch waits for its rows (one ordered lock statement, so two takes cannot deadlock) rather than
    picking around rows locked elsewhere: a seat another transaction only locks, and then does not take,
    stays on offer. A lost attempt rolls back, giving its locks back at once, and the next attempt starts
    afresh from a cache that has learnt the lost seats from the locked rows."""
    moment = now or utcnow()
    try:
        return _take(db, workspace, order, moment)
    except SeasonOrder:
        with db.write() as uow:
            result = take_in_season(uow, workspace, order, moment)
            uow.commit()
        return result


def _take(db: Database, workspace: Workspace, order: BestAvailableOrder, moment: datetime) -> BestAvailableResult:
    needs = Needs(workspace, (order.event_key,), order.hold_token, picks=True)
    for _attempt in range(ATTEMPTS):
        with db.write() as uow:
            batch = Batch(uow, moment, wait=True)
            try:
                batch.prefetch([needs])
                first = prepick_best_available(uow, workspace, order, moment, shared=batch)
                batch.prepicked.append(first.claim)
                batch.lock_up_front([needs], [(first.pick.event.id, first.labels)])
                batch.prepicked.remove(first.claim)  # from here, plan_best_available settles or gives it back
                result, plan = plan_best_available(
                    uow, workspace, order, moment, shared=batch, prepick=first, attempts=1
                )
                batch.stage(workspace, plan)
                batch.keep()
                batch.write()
                uow.commit()
            except PickLost:
                batch.abandoned()
                continue  # rolled back as the unit of work ends
            except BaseException:
                batch.abandoned()
                raise
        batch.committed()
        return result
    raise PickLost("The best available seats kept being taken; try again")


def take_best_available_in(
    uow: UnitOfWork, workspace: Workspace, order: BestAvailableOrder, now: datetime, *, origin: str = "API_CALL"
) -> BestAvailableResult:
    """Pick and take inside the caller's unit of work (the caller commits)."""
    try:
        pick = _Pick.prepare(uow, workspace, order, now, origin)
    except SeasonOrder:
        return take_in_season(uow, workspace, order, now, origin=origin)
    for _attempt in range(ATTEMPTS):
        choice = pick.choose()
        # Each attempt in a savepoint: a lost attempt gives back the row locks it took, so attempts never
        # pile up locks out of order (which would deadlock against other callers).
        attempt = uow.connection.begin_nested()
        try:
            with availability.claimed(uow, pick.event.id, pick.event.key, choice.labels):
                apply_to_event(uow, workspace, pick.event, pick.change(choice.labels), pick.caller, now)
        except IllegalStatusChange:
            attempt.rollback()
            # Someone took some of these a moment ago (the cache is a hint; the compare-and-set is the judge):
            # re-read these seats and whatever else the log says changed, then pick again.
            pick.lost(choice.labels)
            continue
        attempt.commit()
        return BestAvailableResult(choice.labels, choice.next_to_each_other)
    raise PickLost("The best available seats kept being taken; try again")


class SharedReads(Protocol):
    """What a group commit's batch shares among its changes (services/group_commit.py)."""

    def lock(self, event_id: int, labels: list[str]) -> dict[str, ObjectRow]:
        """Rows as this batch has decided them; never waits once the batch holds locks."""
        ...

    def taken(self, event_id: int) -> Collection[str]:
        """Seats earlier changes of the batch have decided to take (not yet written)."""
        ...

    def locked_rows(self, event_id: int, labels: Sequence[str]) -> list[availability.SeatRow]:
        """The rows of `labels` this batch holds locked and has not changed, as they are now."""
        ...

    def events(self, workspace: Workspace, keys: Sequence[str]) -> list[Event]: ...

    def hold_token(self, workspace_id: int, token: str) -> HoldToken | None: ...

    def refresh_availability(self, event_id: int) -> bool:
        """Whether the availability cache of this event still needs bringing up to date in this batch."""
        ...

    def claimed(self, claim: availability.Claim) -> None:
        """Seats this change takes: to be settled in the cache once the batch commits (given back if not)."""
        ...


@dataclass
class Prepick:
    """A group commit's first pick for one order, made before the batch locks its rows, so that the seats
    of every order in the batch are locked in one statement rather than one per order."""

    pick: _Pick
    choice: BestAvailableChoice
    claim: availability.Claim

    @property
    def labels(self) -> tuple[str, ...]:
        return self.choice.labels


def prepick_best_available(
    uow: UnitOfWork, workspace: Workspace, order: BestAvailableOrder, now: datetime, *, shared: SharedReads
) -> Prepick:
    """Pick (and claim, so the next order's prepick goes elsewhere); the take is `plan_best_available`'s."""
    pick = _Pick.prepare(uow, workspace, order, now, "API_CALL", shared=shared)
    choice = pick.choose()
    return Prepick(pick, choice, availability.claim(uow, pick.event.id, pick.event.key, choice.labels))


def plan_best_available(
    uow: UnitOfWork,
    workspace: Workspace,
    order: BestAvailableOrder,
    now: datetime,
    *,
    shared: SharedReads,
    prepick: Prepick | None = None,
    attempts: int = ATTEMPTS,
) -> tuple[BestAvailableResult, EventPlan]:
    """Pick and decide, writing nothing, inside a group commit (the first attempt: `prepick`'s, if given).
    A lost attempt keeps its row locks until the commit: harmless, since nothing in a batch waits for a
    lock once it holds one (a batch that waits for its rows makes one attempt: `attempts=1`). `PickLost`
    when every attempt lost a race."""
    pick = prepick.pick if prepick else _Pick.prepare(uow, workspace, order, now, "API_CALL", shared=shared)
    lost = 0
    for _attempt in range(attempts):
        if prepick is not None:
            choice, held, prepick = prepick.choice, prepick.claim, None
        else:
            choice = pick.choose()
            held = availability.claim(uow, pick.event.id, pick.event.key, choice.labels)
        try:
            plan = plan_event_change(uow, pick.event, pick.change(choice.labels), pick.caller, now, lock=shared.lock)
        except IllegalStatusChange:
            held.give_back()
            # The rows are locked here, so they are the truth: the first time, learn from them and pick
            # again without a read. Lost again: the cache is behind on more than these seats (another
            # process's commits since the batch read the log), so read the log again as well.
            lost += 1
            known = shared.locked_rows(pick.event.id, choice.labels) if lost == 1 else None
            pick.lost(choice.labels, shared.taken(pick.event.id), known=known)
            continue
        except RowsLockedElsewhere as exc:
            held.give_back()
            if not exc.labels:
                raise
            # Another transaction is taking these right now: pick around them, as if taken (no re-read:
            # the log brings the truth when it commits, or a reload if it does not).
            availability.forget(uow, pick.event.id, pick.event.key, exc.labels)
            continue
        except BaseException:
            held.give_back()
            raise
        shared.claimed(held)  # settled when the batch commits, given back if it does not
        return BestAvailableResult(choice.labels, choice.next_to_each_other), plan
    raise PickLost("The best available seats kept being taken; try again")


class PickLost(BestAvailableNotFound):
    """Every attempt found its seats taken by someone faster (as the caller sees it: none found)."""


@dataclass
class _Pick:
    """What every attempt of one best-available order shares: the event, its seat index, the caller."""

    uow: UnitOfWork
    order: BestAvailableOrder
    now: datetime
    event: Event
    index: SeatIndex
    request: BestAvailableRequest
    base: StatusChangeRequest
    caller: Caller
    selectable: Selectable

    @classmethod
    def prepare(
        cls,
        uow: UnitOfWork,
        workspace: Workspace,
        order: BestAvailableOrder,
        now: datetime,
        origin: str,
        *,
        shared: SharedReads | None = None,
    ) -> _Pick:
        check_status(order.status)  # as any change checks it: objects.status is as wide as that
        if order.status == FREE:
            raise InvalidInput("Best available cannot release objects")
        if order.status == HELD and not order.hold_token:
            raise InvalidInput("A hold token is required to hold objects")  # not a race: no retry can fix it
        event = (
            shared.events(workspace, [order.event_key])[0] if shared else require_event(uow, workspace, order.event_key)
        )
        if event.is_season:
            raise SeasonOrder("Best available on a season is made outside the on-sale's path")
        request = _request_of(uow, event, order)
        index = seat_index_of(uow, event)
        base = _base_of(event, order, origin)
        caller = caller_for(uow, workspace, base, now, tokens=shared.hold_token if shared else None)
        refresh = shared.refresh_availability(event.id) if shared else True
        selectable = availability.selectable(
            uow,
            event.id,
            event.key,
            now,
            sorted(order.channel_keys),
            order.ignore_channels,
            refresh=refresh,
            index=index,
            version=event.availability_version,
        )
        return cls(uow, order, now, event, index, request, base, caller, selectable)

    def choose(self) -> BestAvailableChoice:
        """The best seats, stepping around those a pick in another process is taking right now (the pick
        board): they are that pick's to lose, and this one would only find them locked. If stepping around
        them leaves nothing, or they keep coming, the plain pick: the database decides, as always."""
        hidden: list[availability.Claim] = []
        try:
            for _ in range(MAX_DODGES):
                choice = best_available(self.index, self.selectable, self.request)
                elsewhere = availability.claimed_elsewhere(self.uow, self.event.id, choice.labels)
                if not elsewhere:
                    return choice
                hidden.append(availability.claim(self.uow, self.event.id, self.event.key, elsewhere, mine=False))
        except BestAvailableNotFound:
            if not hidden:
                raise
        finally:
            for claim in hidden:
                claim.give_back()
        return best_available(self.index, self.selectable, self.request)

    def change(self, labels: tuple[str, ...]) -> StatusChangeRequest:
        order = self.order
        objects = tuple(
            ObjectRequest(
                label,
                ticket_type=order.ticket_types[i] if i < len(order.ticket_types) else None,
                extra_data=order.extra_data[i] if i < len(order.extra_data) else None,
            )
            for i, label in enumerate(labels)
        )
        return _with_objects(self.base, objects)

    def lost(
        self,
        labels: Sequence[str],
        taken: Collection[str] = (),
        *,
        known: Sequence[availability.SeatRow] | None = None,
    ) -> None:
        """The take of `labels` lost a race: bring them up to date in the cache (from `known` rows, if
        given: then nothing is read) and pick from there."""
        event, order = self.event, self.order
        availability.recheck(self.uow, event.id, event.key, labels, taken=taken, known=known)
        self.selectable = availability.selectable(
            self.uow,
            event.id,
            event.key,
            self.now,
            sorted(order.channel_keys),
            order.ignore_channels,
            refresh=known is None,
            index=self.index,
            version=event.availability_version,
        )


def _request_of(uow: UnitOfWork, event: Event, order: BestAvailableOrder) -> BestAvailableRequest:
    return BestAvailableRequest(
        number=order.number,
        categories=_category_keys(uow, event, order.categories) if order.categories else order.categories,
        zone=order.zone,
        sections=order.sections,
        accessible_seats=order.accessible_seats,
        try_to_prevent_orphan_seats=order.try_to_prevent_orphan_seats,
    )


def _base_of(event: Event, order: BestAvailableOrder, origin: str) -> StatusChangeRequest:
    return StatusChangeRequest(
        event_keys=(event.key,),
        objects=(),
        status=order.status,
        hold_token=order.hold_token,
        order_id=order.order_id,
        keep_extra_data=order.keep_extra_data,
        channel_keys=order.channel_keys,
        ignore_channels=order.ignore_channels,
        origin=origin,
        origin_ip=order.origin_ip,
    )


class SeasonOrder(InvalidInput):
    """Best available named a season: it is taken by `take_in_season`, not by a pick from the cache (answered
    as bad input only if it ever escapes that)."""


def take_in_season(
    uow: UnitOfWork, workspace: Workspace, order: BestAvailableOrder, now: datetime, *, origin: str = "API_CALL"
) -> BestAvailableResult:
    """Best available on a season, in the caller's unit of work (services/season_picks.py)."""
    check_status(order.status)
    if order.status == FREE:
        raise InvalidInput("Best available cannot release objects")
    if order.status == HELD and not order.hold_token:
        raise InvalidInput("A hold token is required to hold objects")
    season = require_event(uow, workspace, order.event_key)
    choice = season_picks.take_in_season(
        uow,
        workspace,
        season,
        seat_index_of(uow, season),
        _request_of(uow, season, order),
        _base_of(season, order, origin),
        now,
        ticket_types=order.ticket_types,
        extra_data=order.extra_data,
    )
    return BestAvailableResult(choice.labels, choice.next_to_each_other)


def _with_objects(base: StatusChangeRequest, objects: tuple[ObjectRequest, ...]) -> StatusChangeRequest:
    from dataclasses import replace

    return replace(base, objects=objects)


def _category_keys(uow: UnitOfWork, event: Event, asked: frozenset[str]) -> frozenset[str]:
    """Categories named by key, or by label in any case (as seats.io matches them): their keys."""
    categories = {c.key: c.label for c in layout_of(uow, event).categories}
    for extra in event.settings.get("categories") or []:
        categories[str(extra.get("key"))] = str(extra.get("label", ""))
    by_label = {label.casefold(): key for key, label in categories.items()}
    return frozenset(name if name in categories else by_label.get(name.casefold(), name) for name in asked)
