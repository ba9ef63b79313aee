"""Date filters as Spektrix takes them: ``yyyy-mm-dd`` (a whole day) or an ISO date-time (UTC if naive)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from boxoffice.api.spektrix.errors import SpektrixError


def parse_bound(value: str | None, name: str, *, end: bool = False) -> datetime | None:
    """The instant a `_from` (start of that day) or `_to` (end of that day, inclusive) bound means."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time.max if end else time.min, UTC)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # in UTC, as the database compares it (year 1 at +05:00 is before year 1 in UTC: refused here)
        return parsed.astimezone(UTC) if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError):
        raise SpektrixError(400, "VALIDATION_ERROR", f"{name} must be a date (yyyy-mm-dd) or date-time") from None


def within(moment: datetime, start: datetime | None, stop: datetime | None) -> bool:
    return (start is None or moment >= start) and (stop is None or moment <= stop)
