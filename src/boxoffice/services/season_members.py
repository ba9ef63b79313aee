"""Which events a status change reaches: the events it names, and for a season also the season's events.

inventory.apply_requests asks here; nothing else decides it. A season's event follows the season for every
object whose season status it has not overridden (domain/seasons.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from boxoffice.domain.errors import IllegalStatusChange
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Event
from boxoffice.domain.statuses import FREE
from boxoffice.storage.uow import UnitOfWork

if TYPE_CHECKING:  # inventory asks here: a runtime import would be circular
    from datetime import datetime

    from boxoffice.services.inventory import StatusChangeRequest


@dataclass(frozen=True, slots=True)
class Target:
    event: Event
    follows: Event | None = None  # the season this event is reached through (None: named by the request)


def targets(uow: UnitOfWork, named: Sequence[Event]) -> list[Target]:
    """The named events and, for each season among them, its events; each once (named wins), in id order
    (the order every change locks rows in, so that two changes cannot deadlock)."""
    found: dict[int, Target] = {e.id: Target(e) for e in named}
    seasons = [e for e in named if e.is_season]
    for season_id, members in uow.seasons.members_of([s.id for s in seasons]).items():
        season = next(s for s in seasons if s.id == season_id)
        for member in members:
            found.setdefault(member.id, Target(member, follows=season))
    return [found[i] for i in sorted(found)]


def seasons_of(uow: UnitOfWork, event: Event) -> list[Event]:
    """The seasons an event of a season belongs to: its partial seasons, then its top-level season."""
    if event.top_level_season_id is None:
        return []
    partial_keys = uow.seasons.partial_season_keys_of([event.id]).get(event.id, [])
    top = uow.events.by_id(event.top_level_season_id)
    return [*uow.events.by_keys(event.workspace_id, partial_keys), *([top] if top is not None else [])]


def following(uow: UnitOfWork, target: Target, request: StatusChangeRequest) -> StatusChangeRequest | None:
    """The part of a season's change its event takes: the objects whose season status the event has not
    overridden (None if that leaves nothing). The rows are locked first, so no override comes in between."""
    labels = list(dict.fromkeys(o.label for o in request.objects))
    uow.objects.lock(target.event.id, labels)
    overridden = uow.seasons.overridden(target.event.id, labels)
    if not overridden:
        return request
    kept = tuple(o for o in request.objects if o.label not in overridden)
    return replace(request, objects=kept) if kept else None


def forget_overrides(uow: UnitOfWork, named: Sequence[Event], request: StatusChangeRequest) -> None:
    """After a season's objects are released, its events' overrides of them end: the events now sell them
    on their own anyway, and the season's next sale of them must reach them again."""
    if request.status != FREE:
        return
    seasons = [e for e in named if e.is_season]
    if not seasons:
        return
    labels = [o.label for o in request.objects]
    members = uow.seasons.members_of([s.id for s in seasons])
    uow.seasons.remove_overrides(sorted({m.id for found in members.values() for m in found}), labels)


def check_not_taken_by_season(
    uow: UnitOfWork, event: Event, named: Sequence[Event], request: StatusChangeRequest, now: datetime
) -> None:
    """IllegalStatusChange when a change named on an event of a season reaches a seat its season has taken
    and the event has not overridden: the season's holder keeps it until the season frees it, or the event
    overrides the season status first (otherwise the event could free and sell it again while the season
    holds it, and the season could no longer free it). Areas are left out: their places are counted per
    event. A change that also names the season, or that the season makes (origin SEASON: an event taking on
    what its season has taken), is the season's own."""
    if event.is_season or event.top_level_season_id is None or request.origin == "SEASON":
        return
    season_ids = {s.id for s in seasons_of(uow, event)}
    if any(e.id in season_ids for e in named):
        return
    labels = list(dict.fromkeys(o.label for o in request.objects))
    if not labels:
        return
    # The event's rows are locked first (as `following` does), so a season change that takes them cannot
    # commit between this look and the change; the seasons' rows are read, not locked.
    uow.objects.lock(event.id, labels)
    taken: set[str] = set()
    for season_id in sorted(season_ids):
        for label, row in uow.objects.get(season_id, labels).items():
            if row.object_type != ObjectType.GENERAL_ADMISSION and row.state.effective(now).status != FREE:
                taken.add(label)
    if not taken:
        return
    taken -= uow.seasons.overridden(event.id, sorted(taken))
    if taken:
        label = min(taken)
        raise IllegalStatusChange(label, "its season has taken it (override the season status first)", event.key)
