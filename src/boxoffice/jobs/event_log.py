"""event_log.prune: forget event log items past keeping (14 days), oldest first, in batches.

Listing never depends on this: an item older than that is not listed whether or not it is still stored.
This only keeps the table from growing for ever.
"""

from __future__ import annotations

from datetime import datetime

from boxoffice.domain.event_log import listed_since
from boxoffice.services.clock import utcnow
from boxoffice.storage.uow import Database


def prune(db: Database, *, now: datetime | None = None, batch: int = 1000) -> int:
    """Delete every item no longer listed at `now`, `batch` a transaction; returns how many."""
    before = listed_since(now or utcnow())
    total = 0
    while True:
        with db.write() as uow:
            deleted = uow.event_log.prune(before, batch)
            uow.commit()
        total += deleted
        if deleted < batch:
            return total
