"""The object status machine: which moves are legal, decided per object, with no I/O.

Statuses: ``free``, ``reservedByToken`` (held under a hold token until it expires), ``booked``,
``resale`` (booked and listed), and custom statuses a workspace names. Legal moves:

    free ──hold──▶ reservedByToken ──book──▶ booked ──put up for resale──▶ resale ──book──▶ booked
      ├───────────────book──────────────────▲                               ▲
      └─────────────────────────put up for resale───────────────────────────┘
    resale ──hold──▶ reservedByToken (released: back to resale) ◀───────────┘
    release: held → where it came from; booked / custom → free
    free (or held from free by the caller) ⇄ custom statuses

An expired hold is the status it came from, at that instant: no sweeper is needed for correctness.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from boxoffice.domain.errors import IllegalStatusChange

FREE = "free"
HELD = "reservedByToken"
BOOKED = "booked"
RESALE = "resale"
NOT_FOR_SALE = "notForSale"  # a report bucket, never a stored status
BUILT_IN = frozenset({FREE, HELD, BOOKED, RESALE})


@dataclass(slots=True)
class ObjectState:
    """The mutable state of one object (seat, table, booth) of one event, as last committed."""

    label: str
    status: str = FREE
    hold_token: str | None = None
    hold_expires_at: datetime | None = None  # the hold token's expiry, joined in when loaded
    order_id: str | None = None
    ticket_type: str | None = None
    channel_key: str | None = None
    for_sale: bool = True
    extra_data: dict[str, Any] | None = None
    resale_listing_id: str | None = None
    status_before_hold: str | None = None  # where a release of a hold returns: free or resale
    version: int = 0

    def effective(self, now: datetime) -> ObjectState:
        """The state as it is at `now`: an expired hold has already fallen back."""
        if self.status == HELD and self.hold_expires_at is not None and self.hold_expires_at <= now:
            return replace(
                self,
                status=self.status_before_hold or FREE,
                hold_token=None,
                hold_expires_at=None,
                status_before_hold=None,
            )
        return self

    def freed(self, *, order_id: str | None = None, extra_data: dict[str, Any] | None = None) -> ObjectState:
        """Free, with every trace of its holder or owner gone but the order id and extra data given."""
        return replace(
            self,
            status=FREE,
            hold_token=None,
            hold_expires_at=None,
            status_before_hold=None,
            order_id=order_id,
            ticket_type=None,
            resale_listing_id=None,
            extra_data=extra_data,
        )


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks for a change and what they present."""

    hold_token: str | None = None
    hold_token_expires_at: datetime | None = None  # checked valid by the service before use
    channel_keys: frozenset[str] = frozenset()
    ignore_channels: bool = False
    # a restricted agent: may take only objects in the channels it presents (its locks), not general sale
    only_channels: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """One requested change for one object."""

    label: str
    target: str  # FREE means "release"
    order_id: str | None = None
    ticket_type: str | None = None
    extra_data: dict[str, Any] | None = None
    keep_extra_data: bool = False
    resale_listing_id: str | None = None
    allowed_previous_statuses: frozenset[str] | None = None
    rejected_previous_statuses: frozenset[str] = field(default_factory=frozenset)
    owned_by_order: str | None = None  # release only if the object belongs to this order


def channel_open_to(channel_key: str | None, caller: Caller) -> bool:
    """Whether a free object in `channel_key` (None: general sale) is `caller`'s to take."""
    if caller.only_channels:
        return channel_key is not None and channel_key in caller.channel_keys
    return channel_key is None or caller.ignore_channels or channel_key in caller.channel_keys


def _may_use_channel(state: ObjectState, caller: Caller) -> bool:
    # Channels guard the free inventory only: resale and what an owner does with a booking ignore them
    # (except for a restricted caller, who takes nothing outside its channels).
    if state.status != FREE and not caller.only_channels:
        return True
    return channel_open_to(state.channel_key, caller)


def apply_change(current: ObjectState, change: Change, caller: Caller, now: datetime) -> ObjectState:
    """The object's next state, or `IllegalStatusChange` naming the object and why.

    `current` is as last committed; expiry is applied here, so a lapsed hold is takeable.
    """
    state = current.effective(now)
    label = current.label
    if change.allowed_previous_statuses is not None and state.status not in change.allowed_previous_statuses:
        raise IllegalStatusChange.previous_status(label, state.status, change.target, allowed=True)
    if state.status in change.rejected_previous_statuses:
        raise IllegalStatusChange.previous_status(label, state.status, change.target, allowed=False)

    held_by_caller = state.status == HELD and caller.hold_token is not None and state.hold_token == caller.hold_token
    if state.status == HELD and not held_by_caller:
        raise IllegalStatusChange(label, "held by another hold token" if caller.hold_token else "object is held")

    target = change.target
    if target == FREE:
        return _release(state, change, caller)
    if target in (HELD, BOOKED) and state.status in (FREE, HELD) and not state.for_sale:
        raise IllegalStatusChange(label, "object is not for sale")
    if not _may_use_channel(state, caller):
        raise IllegalStatusChange(label, "object is in a channel the caller did not present")

    extra = _next_extra_data(state, change)
    if target == HELD:
        if caller.hold_token is None:
            raise IllegalStatusChange(label, "a hold needs a hold token")
        if state.status not in (FREE, RESALE):
            raise IllegalStatusChange(label, f"cannot hold an object that is {state.status}")
        return replace(
            state,
            status=HELD,
            hold_token=caller.hold_token,
            hold_expires_at=caller.hold_token_expires_at,
            status_before_hold=state.status,
            # seats.io keeps an order id given with a hold; a held resale seat keeps its seller's otherwise
            order_id=change.order_id if change.order_id is not None else state.order_id,
            ticket_type=change.ticket_type or state.ticket_type,
            extra_data=extra,
        )
    if target == BOOKED:
        came_from = state.status_before_hold if state.status == HELD else state.status
        if came_from not in (FREE, RESALE):
            raise IllegalStatusChange(label, f"cannot book an object that is {state.status}")
        # booked without an order id: a hold of a free seat keeps the one it was given (a resale seat's belongs
        # to its seller and goes)
        held_order = state.order_id if state.status == HELD and came_from == FREE else None
        return replace(
            state,
            status=BOOKED,
            hold_token=None,
            hold_expires_at=None,
            status_before_hold=None,
            order_id=change.order_id if change.order_id is not None else held_order,
            ticket_type=change.ticket_type or state.ticket_type,
            resale_listing_id=None,
            extra_data=extra,
        )
    if target == RESALE:
        # booked: its owner sells it on; free: the venue lists a seat on the resale market (seats.io allows it)
        if state.status not in (FREE, BOOKED):
            raise IllegalStatusChange(label, f"only a free or booked object can go up for resale, not {state.status}")
        return replace(
            state,
            status=RESALE,
            hold_token=None,
            hold_expires_at=None,
            status_before_hold=None,
            resale_listing_id=change.resale_listing_id,
            extra_data=extra,
        )
    # A custom status: only from free (held from free by the caller's token counts), or from another custom
    # status, so nothing sold is overwritten by a label.
    if target in BUILT_IN:
        raise IllegalStatusChange(label, f"unknown target status {target}")
    came_from = state.status_before_hold if held_by_caller else state.status
    if came_from != FREE and came_from in BUILT_IN:
        raise IllegalStatusChange(label, f"cannot change an object that is {state.status} to {target}")
    return replace(
        state,
        status=target,
        hold_token=None,
        hold_expires_at=None,
        status_before_hold=None,
        order_id=change.order_id,
        ticket_type=change.ticket_type or state.ticket_type,
        extra_data=extra,
    )


def _release(state: ObjectState, change: Change, caller: Caller) -> ObjectState:
    if state.status == FREE:
        raise IllegalStatusChange(state.label, "object is already free")
    if change.owned_by_order is not None and state.status != HELD and state.order_id != change.owned_by_order:
        # Returning an order's tickets must never free a seat that now belongs to someone else.
        raise IllegalStatusChange(state.label, f"object does not belong to order {change.owned_by_order}")
    if state.status == HELD:
        back_to = state.status_before_hold or FREE
        return replace(
            state,
            status=back_to,
            hold_token=None,
            hold_expires_at=None,
            status_before_hold=None,
            order_id=change.order_id if change.order_id is not None else (None if back_to == FREE else state.order_id),
            ticket_type=None if back_to == FREE else state.ticket_type,
            extra_data=_next_extra_data(state, change),
        )
    # booked, resale or custom: back to free, ownership cleared (an order id sent with the release is kept,
    # as seats.io does: it names the order the release belongs to).
    return state.freed(order_id=change.order_id, extra_data=_next_extra_data(state, change))


def _next_extra_data(state: ObjectState, change: Change) -> dict[str, Any] | None:
    if change.extra_data is not None:
        return change.extra_data
    return state.extra_data if change.keep_extra_data else None


def selectable_for_sale(state: ObjectState, now: datetime, channel_keys: Collection[str] = ()) -> bool:
    """Could a buyer presenting `channel_keys` take this object as a new, primary sale right now?

    Resale objects are never picked by best available, so they are not "selectable" here.
    """
    effective = state.effective(now)
    if effective.status != FREE or not effective.for_sale:
        return False
    return effective.channel_key is None or effective.channel_key in channel_keys
