"""Best available on a season: seats free for the season and in every one of its events, taken for all of them
through the one write path (inventory.apply_requests), in the caller's unit of work.

Not the on-sale's path: the pick reads the season's and its events' rows (not the availability cache), and
a seat lost to a faster caller is left out and the pick made again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from boxoffice.domain.best_available import BestAvailableChoice, BestAvailableRequest, SeatIndex, best_available
from boxoffice.domain.errors import IllegalStatusChange
from boxoffice.domain.records import Event, Workspace
from boxoffice.domain.statuses import FREE, ObjectState
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest, apply_requests
from boxoffice.storage.uow import UnitOfWork

ATTEMPTS = 12


def take_in_season(
    uow: UnitOfWork,
    workspace: Workspace,
    season: Event,
    index: SeatIndex,
    request: BestAvailableRequest,
    base: StatusChangeRequest,
    now: datetime,
    *,
    ticket_types: tuple[str | None, ...] = (),
    extra_data: tuple[dict[str, Any] | None, ...] = (),
) -> BestAvailableChoice:
    """Pick among the seats takeable in the season and all its events; take them (the caller commits).
    BestAvailableNotFound when no such seats are left."""
    free: set[str] | None = None
    for event in (season, *uow.seasons.members(season.id)):
        takeable = {row.state.label for row in uow.objects.all(event.id) if _takeable(row.state, now, base)}
        free = takeable if free is None else free & takeable
    selectable = free or set()
    for _attempt in range(ATTEMPTS):
        choice = best_available(index, selectable, request)
        objects = tuple(
            ObjectRequest(
                label,
                ticket_type=ticket_types[i] if i < len(ticket_types) else None,
                extra_data=extra_data[i] if i < len(extra_data) else None,
            )
            for i, label in enumerate(choice.labels)
        )
        attempt = uow.connection.begin_nested()  # a lost attempt gives its row locks back at once
        try:
            apply_requests(uow, workspace, [replace(base, objects=objects)], now)
        except IllegalStatusChange as exc:
            attempt.rollback()
            selectable = selectable - {exc.label}
            continue
        attempt.commit()
        return choice
    return best_available(index, set(), request)  # nothing left to try: "not found"


def _takeable(state: ObjectState, now: datetime, base: StatusChangeRequest) -> bool:
    """Free, on sale, and in no channel or one the caller presents (as the availability cache judges it)."""
    channel_keys = base.channel_keys
    effective = state.effective(now)
    if effective.status != FREE or not effective.for_sale:
        return False
    if base.ignore_channels:
        return True
    return effective.channel_key in channel_keys if channel_keys else effective.channel_key is None
