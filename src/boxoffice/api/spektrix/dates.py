"""Date filters as Spektrix takes them: ``yyyy-mm-dd`` (a whole day) or an ISO date-time (UTC if naive)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from boxoffice.api.spektrix.errors import SpektrixError


def parse_bound(value: str | None, name: str, *, end: bool = False) -> datetime | None:
    """The instant a `_from` (start of that day) or `_to` (end of that day, inclusive) bound means."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.min, UTC)
            return moment + timedelta(days=1) - timedelta(microseconds=1) if end else moment
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SpektrixError(400, "VALIDATION_ERROR", f"{name} must be a date (yyyy-mm-dd) or date-time") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def within(moment: datetime, start: datetime | None, stop: datetime | None) -> bool:
    return (start is None or moment >= start) and (stop is None or moment <= stop)
