"""audit: replay each event's status-change log from empty and compare it with what is stored.

For a seat, every log entry must start from the status the replay has reached (a second "free → booked"
on a booked seat is a double sale) and the last entry must be the stored status. For a GA area, the
replayed places per status must equal the stored allocations and never exceed capacity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from boxoffice.domain.areas import SHARE_SEPARATOR
from boxoffice.domain.layout import ObjectType
from boxoffice.domain.statuses import FREE
from boxoffice.storage.uow import Database


@dataclass(slots=True)
class AuditReport:
    events_checked: int = 0
    entries_replayed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def audit(db: Database, *, workspace_id: int | None = None, event_key: str | None = None) -> AuditReport:
    report = AuditReport()
    with db.read() as uow:
        from sqlalchemy import select

        from boxoffice.storage.tables import events

        query = select(events.c.id, events.c.key)
        if workspace_id is not None:
            query = query.where(events.c.workspace_id == workspace_id)
        if event_key is not None:
            query = query.where(events.c.key == event_key)
        targets = uow.connection.execute(query.order_by(events.c.id)).all()
        for event_id, key in targets:
            report.events_checked += 1
            _audit_event(uow, event_id, key, report)
    return report


def _audit_event(uow: object, event_id: int, key: str, report: AuditReport) -> None:
    from boxoffice.storage.uow import UnitOfWork

    assert isinstance(uow, UnitOfWork)
    rows = {r.state.label: r for r in uow.objects.all(event_id)}

    def area_of(label: str) -> str | None:
        """The GA area whose places `label` counts: itself, or the area of a channel's share of it (also
        of a share since given back, whose row is gone and whose log entries stay)."""
        row = rows.get(label)
        if row is not None:
            return row.partition_of or label if row.object_type == ObjectType.GENERAL_ADMISSION else None
        area, separator, _ = label.partition(SHARE_SEPARATOR)
        parent = rows.get(area) if separator else None
        return area if parent is not None and parent.object_type == ObjectType.GENERAL_ADMISSION else None

    seat_status: dict[str, str] = {}
    area_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    area_totals: dict[str, int] = defaultdict(int)  # places taken in an area and its channels' shares
    for entry_id, label, previous, status, quantity in uow.status_log.replay_rows(event_id):
        report.entries_replayed += 1
        row = rows.get(label)
        area = area_of(label)
        if row is None and area is None:
            report.problems.append(f"event {key}: log entry {entry_id} names unknown object {label}")
            continue
        if area is not None:
            # A share's size changes as places move in and out, so the bound that holds at every entry is
            # the area's own capacity, over the area and its shares together.
            counts = area_counts[label]
            if previous != FREE:
                counts[previous] -= quantity
                area_totals[area] -= quantity
                if counts[previous] < 0:
                    report.problems.append(
                        f"event {key}: {label} has fewer than 0 places {previous} after entry {entry_id}"
                    )
            if status != FREE:
                counts[status] += quantity
                area_totals[area] += quantity
            if area_totals[area] > rows[area].capacity:
                report.problems.append(f"event {key}: {area} is over capacity after entry {entry_id}")
            continue
        replayed = seat_status.get(label, FREE)
        if previous != replayed:
            report.problems.append(
                f"event {key}: {label} entry {entry_id} changes {previous} -> {status}, but it was {replayed}"
            )
        seat_status[label] = status
    stored_areas: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for label, status, _token, quantity in uow.objects.allocation_totals(event_id):
        stored_areas[label][status] += quantity
    in_shares: dict[str, int] = defaultdict(int)
    for row in rows.values():
        if row.partition_of is not None:
            in_shares[row.partition_of] += row.capacity
    for label, row in rows.items():
        if row.object_type == ObjectType.GENERAL_ADMISSION:
            replayed_counts = {s: n for s, n in area_counts.get(label, {}).items() if n}
            stored = {s: n for s, n in stored_areas.get(label, {}).items() if n}
            if replayed_counts != stored:
                report.problems.append(f"event {key}: {label} stored {stored} but the log replays to {replayed_counts}")
            if sum(stored.values()) + row.places_in_channels > row.capacity:
                report.problems.append(f"event {key}: {label} holds more places than its capacity {row.capacity}")
            if row.partition_of is None and row.places_in_channels != in_shares.get(label, 0):
                report.problems.append(
                    f"event {key}: {label} counts {row.places_in_channels} places in channels, "
                    f"its shares hold {in_shares.get(label, 0)}"
                )
            continue
        replayed = seat_status.get(label, FREE)
        if replayed != row.state.status:
            report.problems.append(f"event {key}: {label} is {row.state.status} but the log replays to {replayed}")
    for label, counts in area_counts.items():
        if label not in rows and any(counts.values()):
            report.problems.append(f"event {key}: {label}, a share given back, still replays to {dict(counts)}")
