"""holds.expire: tidy lapsed holds back to where they came from, and log it.

Correctness never waits for this: the compare-and-set already treats a lapsed hold as free. This only
makes the stored status match what everyone already sees, and writes the log entry that says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services.clock import utcnow
from boxoffice.storage import status_log
from boxoffice.storage.uow import Database, UnitOfWork


def expire(db: Database, *, now: datetime | None = None, batch: int = 500) -> int:
    """Release lapsed holds in batches; returns how many objects or areas were tidied."""
    moment = now or utcnow()
    total = 0
    while True:
        with db.write() as uow:
            targets = sorted(
                set(uow.objects.lapsed_holds(moment, batch)) | set(uow.objects.lapsed_area_holds(moment, batch))
            )
            if not targets:
                return total
            total += release_lapsed(uow, targets, moment, origin="EXPIRY")
            uow.commit()
        if len(targets) < batch:
            return total


def release_lapsed(uow: UnitOfWork, targets: Iterable[tuple[int, str]], now: datetime, *, origin: str) -> int:
    """Lock each (event, label), and if its hold has lapsed by `now`, put it back and log it."""
    by_event: dict[int, list[str]] = defaultdict(list)
    for event_id, label in targets:
        by_event[event_id].append(label)
    released = 0
    for event_id in sorted(by_event):
        event = uow.events.by_id(event_id)
        if event is None:
            continue
        rows = uow.objects.lock(event_id, by_event[event_id])
        log: list[dict[str, Any]] = []
        changes = []
        areas = [label for label, row in rows.items() if row.capacity and row.object_type == "generalAdmission"]
        allocations = uow.objects.allocations(event_id, areas)
        for label, row in rows.items():
            if label in allocations:
                area = row.area(allocations[label])
                from boxoffice.domain.areas import AreaMove

                for lapsed in area.lapsed(now):
                    uow.objects.apply_area_move(
                        event_id, label, AreaMove(HELD, FREE, lapsed.quantity, lapsed.hold_token)
                    )
                    log.append(
                        status_log.entry(
                            event.workspace_id,
                            event_id,
                            label,
                            FREE,
                            HELD,
                            now,
                            origin=origin,
                            quantity=lapsed.quantity,
                            hold_token=lapsed.hold_token,
                        )
                    )
                    released += 1
                continue
            state = row.state
            effective = state.effective(now)
            if state.status == HELD and effective.status != HELD:
                changes.append((state.version, effective))
                log.append(
                    status_log.entry(
                        event.workspace_id,
                        event_id,
                        label,
                        effective.status,
                        HELD,
                        now,
                        origin=origin,
                        hold_token=state.hold_token,
                    )
                )
        if changes:
            uow.objects.compare_and_set(event_id, changes)
            released += len(changes)
        uow.status_log.append(log)
    return released
