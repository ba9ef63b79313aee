"""Agent locks: an allocation of an event set aside for one agent (Spektrix's Locks, used by "Agencies
Offline" and to cap what an Agency API agent sells), how each thing in it stands, and what may go in.

A lock is the channel ``agent-<agent id>`` of the event (domain/agents.py). It holds whole objects (seats,
booths, tables booked as a whole, whole general admission areas) and places of GA areas: the channel's
shares, areas of their own labelled ``<area>##agent-<agent id>`` (domain/areas.py).

What may be locked: only free, for-sale general inventory. Not an object in any channel (another agent's
lock included), nor one held right now, even by the agent itself: a held seat is booked by its holder
whatever its channel, so the lock would count a sale that is not the agent's. A lapsed hold is free.

How a locked object stands (as of now; a lapsed hold counts as what it fell back to):

    unsold       free: the agent may still sell it, and a mark-back returns it to general sale
    held         in a basket right now: it stays in the lock
    soldByAgent  booked in an order of the agent's customer record: it stays in the lock
    taken        anything else (booked in another order: the venue sells anything; resale; a custom status)

A mark-back returns what is unsold and keeps the rest, saying which: a whole GA area goes back only with
no place of it taken; a share gives back at most its untaken places.

Errors (both ``Conflict``: they would succeed on other data; each names every object refused and why):

    LockRefusals
    ├── NotLockable   (NOT_LOCKABLE: not free, for-sale general inventory)
    └── NotInLock     (NOT_IN_LOCK: a mark-back names something the agent's lock does not hold)
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.areas import AreaState
from boxoffice.domain.errors import Conflict
from boxoffice.domain.statuses import BOOKED, FREE, HELD, ObjectState

UNSOLD = "unsold"
HELD_NOW = "held"
SOLD_BY_AGENT = "soldByAgent"
TAKEN = "taken"
STANDINGS = (UNSOLD, HELD_NOW, SOLD_BY_AGENT, TAKEN)

LOCKED = "AGENT_LOCK"  # the status-change log's origin of a lock's entries
MARKED_BACK = "AGENT_MARK_BACK"  # ... and of a mark-back's
ACTIONS = {LOCKED: "lock", MARKED_BACK: "markBack"}
LOCK_COLOR = "#5a5a5a"  # a lock's channel, as seats.io's channel list shows it
MAX_NAMED = 10  # refused objects a message names (the details name them all)


class LockRefusals(Conflict):
    """Objects refused, each with why; nothing was changed."""

    def __init__(self, what: str, refusals: Sequence[tuple[str, str]]) -> None:
        named = "; ".join(f"{label}: {reason}" for label, reason in refusals[:MAX_NAMED])
        more = f" (and {len(refusals) - MAX_NAMED} more)" if len(refusals) > MAX_NAMED else ""
        super().__init__(f"{what}: {named}{more}")
        self.refusals = tuple(refusals)


class NotLockable(LockRefusals):
    code = "NOT_LOCKABLE"


class NotInLock(LockRefusals):
    code = "NOT_IN_LOCK"


def standing(state: ObjectState, now: datetime, agent_orders: Collection[str]) -> str:
    """How a locked seat, booth or table stands at `now`."""
    current = state.effective(now)
    if current.status == FREE:
        return UNSOLD
    if current.status == HELD:
        return HELD_NOW
    if current.status == BOOKED and current.order_id in agent_orders:
        return SOLD_BY_AGENT
    return TAKEN


def lock_refusal(state: ObjectState, now: datetime, lock_key: str) -> str | None:
    """Why this seat, booth or table cannot join the lock keyed `lock_key` (None: it can)."""
    current = state.effective(now)
    if current.channel_key is not None and current.channel_key != lock_key:
        return f"in channel {current.channel_key}"
    if not current.for_sale:
        return "not for sale"
    if current.status == HELD:
        return "held right now"
    if current.status != FREE:
        return f"{current.status}, not free"
    return None


def area_lock_refusal(area: AreaState, now: datetime, lock_key: str) -> str | None:
    """Why a whole general admission area cannot join the lock (None: it can): every place of it must be
    free and for sale, and none in a channel's share."""
    if area.channel_key is not None and area.channel_key != lock_key:
        return f"in channel {area.channel_key}"
    if not area.for_sale or area.places_not_for_sale:
        return "not all of it is for sale"
    if area.places_in_channels:
        return "some of its places are in channels' shares: lock places of it (areaPlaces) instead"
    if area.active(now):
        return "some of its places are taken: lock its free places (areaPlaces) instead"
    return None


@dataclass(frozen=True, slots=True)
class LockedObject:
    """A seat, booth or table in the lock (or a whole GA area a mark-back kept: its busiest standing)."""

    label: str
    object_type: str
    standing: str
    for_sale: bool = True
    order_id: str | None = None  # the order it is booked in, if it is


@dataclass(frozen=True, slots=True)
class LockedPlaces:
    """Places of a GA area in the lock: the agent's share of it (`label` is the share's) or the whole area
    (`label` is the area's)."""

    area: str
    label: str
    places: int
    held: int = 0
    sold_by_agent: int = 0
    taken: int = 0

    @property
    def whole(self) -> bool:
        return self.label == self.area

    @property
    def unsold(self) -> int:
        return max(0, self.places - self.held - self.sold_by_agent - self.taken)

    @property
    def standing(self) -> str:
        """The busiest standing of its places: held, then sold by the agent, then taken; else unsold."""
        for count, name in ((self.held, HELD_NOW), (self.sold_by_agent, SOLD_BY_AGENT), (self.taken, TAKEN)):
            if count:
                return name
        return UNSOLD


def locked_places(area: AreaState, now: datetime, agent_orders: Collection[str], *, of: str) -> LockedPlaces:
    """`area` (a share, or a whole area in the lock) counted: its places held, booked by the agent, taken."""
    held = sold = taken = 0
    for allocation in area.active(now):
        if allocation.status == HELD:
            held += allocation.quantity
        elif allocation.status == BOOKED and allocation.order_id in agent_orders:
            sold += allocation.quantity
        else:
            taken += allocation.quantity
    return LockedPlaces(of, area.label, area.capacity - area.places_in_channels, held, sold, taken)


@dataclass(frozen=True, slots=True)
class LockStatus:
    """What an agent's lock on an event holds and how it stands."""

    event_key: str
    agent_id: str
    channel_key: str
    objects: tuple[LockedObject, ...] = ()
    areas: tuple[LockedPlaces, ...] = ()

    def totals(self) -> dict[str, int]:
        """Objects and GA places together, by standing (and ``locked``: all of them)."""
        out = dict.fromkeys(STANDINGS, 0)
        for obj in self.objects:
            out[obj.standing] += 1
        for area in self.areas:
            out[UNSOLD] += area.unsold
            out[HELD_NOW] += area.held
            out[SOLD_BY_AGENT] += area.sold_by_agent
            out[TAKEN] += area.taken
        return {"locked": sum(out.values()), **out}


@dataclass(frozen=True, slots=True)
class LockChange:
    """What a lock changed: objects that joined it, objects named that it already held, GA places added
    (by area); and the lock as it stands after."""

    locked: tuple[str, ...]
    already_locked: tuple[str, ...]
    area_places: Mapping[str, int]
    status: LockStatus


@dataclass(frozen=True, slots=True)
class MarkBack:
    """What a mark-back returned to general sale and what it kept (held, sold or taken: not returned), by
    object and by GA area's places; and the lock as it stands after."""

    marked_back: tuple[str, ...]
    kept: tuple[LockedObject, ...]
    places_marked_back: Mapping[str, int]
    places_kept: Mapping[str, int]
    status: LockStatus

    @property
    def complete(self) -> bool:
        """Everything asked for was returned."""
        return not self.kept and not any(self.places_kept.values())


@dataclass(frozen=True, slots=True)
class LockHistoryEntry:
    """One object (or some places of a GA area) locked or marked back, as the status-change log has it."""

    id: int
    action: str  # lock | markBack
    label: str  # an object, or a share of a GA area (`area`)
    area: str | None
    places: int
    at: datetime
