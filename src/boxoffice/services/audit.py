"""audit: replay each event's status-change log from empty and compare it with what is stored.

For a seat, every log entry must start from the status the replay has reached (a second "free → booked"
on a booked seat is a double sale) and the last entry must be the stored status. For a GA area, the
replayed places per status must equal the stored allocations and never exceed capacity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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
    seat_status: dict[str, str] = {}
    area_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for entry_id, label, previous, status, quantity in uow.status_log.replay_rows(event_id):
        report.entries_replayed += 1
        row = rows.get(label)
        if row is None:
            report.problems.append(f"event {key}: log entry {entry_id} names unknown object {label}")
            continue
        if row.object_type == ObjectType.GENERAL_ADMISSION:
            counts = area_counts[label]
            if previous != FREE:
                counts[previous] -= quantity
                if counts[previous] < 0:
                    report.problems.append(
                        f"event {key}: {label} has fewer than 0 places {previous} after entry {entry_id}"
                    )
            if status != FREE:
                counts[status] += quantity
            if sum(counts.values()) > row.capacity:
                report.problems.append(f"event {key}: {label} is over capacity after entry {entry_id}")
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
    for label, row in rows.items():
        if row.object_type == ObjectType.GENERAL_ADMISSION:
            replayed_counts = {s: n for s, n in area_counts.get(label, {}).items() if n}
            stored = {s: n for s, n in stored_areas.get(label, {}).items() if n}
            if replayed_counts != stored:
                report.problems.append(f"event {key}: {label} stored {stored} but the log replays to {replayed_counts}")
            if sum(stored.values()) > row.capacity:
                report.problems.append(f"event {key}: {label} holds more places than its capacity {row.capacity}")
            continue
        replayed = seat_status.get(label, FREE)
        if replayed != row.state.status:
            report.problems.append(f"event {key}: {label} is {row.state.status} but the log replays to {replayed}")
