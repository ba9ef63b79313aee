"""General-admission areas: counts per status bounded by capacity, instead of one status.

An area's places are held, booked or given a custom status in quantities. Held places belong to a hold
token and lapse with it; a lapsed hold counts as free at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.errors import IllegalStatusChange
from boxoffice.domain.statuses import BOOKED, FREE, HELD, Caller

SHARE_SEPARATOR = "##"


def share_label(area_label: str, channel_key: str) -> str:
    """The label of a channel's share of a general admission area: seats.io's area partition label
    (``<area>##<channel id>``; a channel's id is its key here), which buyers in the channel book."""
    return f"{area_label}{SHARE_SEPARATOR}{channel_key}"


@dataclass(frozen=True, slots=True)
class Allocation:
    """Some places of an area in one status (under one hold token or order)."""

    status: str
    quantity: int
    hold_token: str | None = None
    order_id: str | None = None
    ticket_type: str | None = None
    hold_expires_at: datetime | None = None

    def lapsed(self, now: datetime) -> bool:
        return self.status == HELD and self.hold_expires_at is not None and self.hold_expires_at <= now


@dataclass(frozen=True, slots=True)
class AreaState:
    label: str
    capacity: int
    allocations: tuple[Allocation, ...]
    for_sale: bool = True
    channel_key: str | None = None
    places_not_for_sale: int = 0  # of the places not taken, this many may not be taken (for-sale config)
    places_in_channels: int = 0  # moved out to channels' shares of the area, which are areas of their own

    def active(self, now: datetime) -> list[Allocation]:
        return [a for a in self.allocations if not a.lapsed(now) and a.quantity > 0]

    def lapsed(self, now: datetime) -> list[Allocation]:
        return [a for a in self.allocations if a.lapsed(now)]

    def free_places(self, now: datetime) -> int:
        """Places that may still be taken: neither taken nor off sale."""
        return self.untaken_places(now) - self.places_off_sale(now)

    def untaken_places(self, now: datetime) -> int:
        return max(0, self.capacity - self.places_in_channels - sum(a.quantity for a in self.active(now)))

    def places_off_sale(self, now: datetime) -> int:
        """Off-sale places count only while untaken: places already sold stay sold when a config changes."""
        return min(max(0, self.places_not_for_sale), self.untaken_places(now))

    def counts(self, now: datetime) -> dict[str, int]:
        out: dict[str, int] = {}
        for a in self.active(now):
            out[a.status] = out.get(a.status, 0) + a.quantity
        return out


@dataclass(frozen=True, slots=True)
class AreaMove:
    """Move `quantity` places from one status to another; what the log records for an area."""

    from_status: str
    to_status: str
    quantity: int
    hold_token: str | None = None  # the token the places leave or join
    order_id: str | None = None
    ticket_type: str | None = None


def plan_area_change(
    area: AreaState,
    target: str,
    quantity: int,
    caller: Caller,
    now: datetime,
    *,
    order_id: str | None = None,
    ticket_type: str | None = None,
    owned_by_order: str | None = None,
) -> list[AreaMove]:
    """The moves that take `quantity` places of `area` to `target`, or `IllegalStatusChange`."""
    label = area.label
    if quantity < 1:
        raise IllegalStatusChange(label, "quantity must be at least 1")
    if target == FREE:
        return _plan_area_release(area, quantity, caller, now, owned_by_order)
    if target == HELD and caller.hold_token is None:
        raise IllegalStatusChange(label, "a hold needs a hold token")
    held_by_caller = sum(a.quantity for a in area.active(now) if a.status == HELD and a.hold_token == caller.hold_token)
    from_held = min(held_by_caller, quantity) if target == BOOKED and caller.hold_token is not None else 0
    if quantity > from_held:
        # Free places are guarded by for-sale and channels; places the caller already holds are its own.
        _check_free_places_takeable(area, caller)
    if from_held:
        moves = [AreaMove(HELD, BOOKED, from_held, caller.hold_token, order_id, ticket_type)]
        rest = quantity - from_held
        if rest:
            moves.append(_take_free(area, BOOKED, rest, now, None, order_id, ticket_type))
        return moves
    token = caller.hold_token if target == HELD else None
    return [_take_free(area, target, quantity, now, token, order_id, ticket_type)]


def _check_free_places_takeable(area: AreaState, caller: Caller) -> None:
    if not area.for_sale:
        raise IllegalStatusChange(area.label, "area is not for sale")
    if caller.only_channels and (area.channel_key is None or area.channel_key not in caller.channel_keys):
        raise IllegalStatusChange(area.label, "area is not in a channel the caller may sell from")
    if area.channel_key is not None and not caller.ignore_channels and area.channel_key not in caller.channel_keys:
        raise IllegalStatusChange(area.label, "area is in a channel the caller did not present")


def _take_free(
    area: AreaState,
    target: str,
    quantity: int,
    now: datetime,
    hold_token: str | None,
    order_id: str | None,
    ticket_type: str | None,
) -> AreaMove:
    free = area.free_places(now)
    if quantity > free:
        raise IllegalStatusChange(area.label, f"not enough free places: {free} free, {quantity} asked")
    return AreaMove(FREE, target, quantity, hold_token, order_id, ticket_type)


def _plan_area_release(
    area: AreaState, quantity: int, caller: Caller, now: datetime, order_id: str | None = None
) -> list[AreaMove]:
    """Release returns held places of the caller's token; without a token, taken places (of `order_id`
    only, when given, so returning one order's places never frees another's)."""
    active = area.active(now)
    if order_id is not None and caller.hold_token is None:
        active = [a for a in active if a.order_id == order_id]
    if caller.hold_token is not None:
        held = sum(a.quantity for a in active if a.status == HELD and a.hold_token == caller.hold_token)
        if held >= quantity:
            return [AreaMove(HELD, FREE, quantity, caller.hold_token)]
        raise IllegalStatusChange(area.label, f"the hold token holds {held} places, {quantity} asked to release")
    booked = sum(a.quantity for a in active if a.status not in (HELD, FREE))
    if booked < quantity:
        raise IllegalStatusChange(area.label, f"only {booked} places are taken, {quantity} asked to release")
    moves: list[AreaMove] = []
    remaining = quantity
    for a in active:
        if remaining == 0:
            break
        if a.status in (HELD, FREE):
            continue
        take = min(a.quantity, remaining)
        moves.append(AreaMove(a.status, FREE, take, None, a.order_id, a.ticket_type))
        remaining -= take
    return moves
