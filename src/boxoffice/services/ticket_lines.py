"""Ticket lines (a seat, or one place in a GA area) turned into inventory change requests.

Baskets, checkout and returns all hold, book or free "lines"; this is the one place that groups them per
event and counts places in GA areas, so each caller states only what should happen to them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Workspace
from boxoffice.services.inventory import ObjectRequest, StatusChangeRequest
from boxoffice.storage.uow import UnitOfWork


def change_requests(
    uow: UnitOfWork,
    workspace: Workspace,
    lines: Iterable[tuple[str, str]],
    status: str,
    *,
    known_areas: Mapping[str, Collection[str]] | None = None,
    **options: Any,
) -> list[StatusChangeRequest]:
    """One request per event, in first-seen order, for (event key, label) lines; `options` as for
    `StatusChangeRequest`. A GA area named n times becomes n places; a seat named twice stays an error.
    `known_areas`: the general admission areas among the labels, per event key, where the caller has read
    the rows already (an event missing from it is read)."""
    by_event: dict[str, Counter[str]] = defaultdict(Counter)
    for event_key, label in lines:
        by_event[event_key][label] += 1
    requests = []
    for event_key, labels in by_event.items():
        if known_areas is not None and event_key in known_areas:
            areas = set(known_areas[event_key])
        else:
            areas = _areas(uow, workspace, event_key, list(labels))
        objects = tuple(
            ObjectRequest(label, quantity=count if count > 1 or label in areas else None)
            for label, count in labels.items()
        )
        requests.append(StatusChangeRequest((event_key,), objects, status, **options))
    return requests


def _areas(uow: UnitOfWork, workspace: Workspace, event_key: str, labels: list[str]) -> set[str]:
    event = uow.events.by_key(workspace.id, event_key)
    if event is None:
        return set()  # the change itself reports the unknown event
    rows = uow.objects.get(event.id, labels)
    return {label for label, row in rows.items() if row.object_type == ObjectType.GENERAL_ADMISSION}
