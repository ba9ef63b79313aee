"""Seasons (seats.io): events grouped so that one status change sells an object for all of them.

A top-level season holds events; a partial season holds some of its top-level season's events (half-season
tickets). A season is an event too, with objects of its own. A status change named on a season is made on
the season and on each of its events, in one transaction, so an object is taken for the season only if it
is takeable in every event, and an event cannot sell what its season has taken: they share the rows.

    top-level season ──holds──▶ event 1, event 2, event 3
    partial season   ──holds──▶ event 1, event 2   (always events of its top-level season)

An event may override the season status of an object (seats.io's override-season-status): the event then
sells it on its own, and changes named on the season pass it by until the season frees it.
"""

from __future__ import annotations

from collections.abc import Sequence

from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.records import Event

TOP_LEVEL = "TOP_LEVEL"
PARTIAL = "PARTIAL"
MAX_EVENTS_PER_CALL = 200  # events a season call may create or name: each is a row per object of the chart


def propagates_for_sale(season: Event) -> bool:
    """Do for-sale config changes named on `season` reach its events and partial seasons too? Only a
    top-level season's, and only while its forSalePropagated (default true) says so (services/for_sale.py)."""
    return season.season_kind == TOP_LEVEL and bool(season.settings.get("forSalePropagated", True))


def check_event_keys(keys: Sequence[str]) -> None:
    """InvalidInput for a list of event keys a season call cannot take: repeated keys, or too many."""
    if len(keys) > MAX_EVENTS_PER_CALL:
        raise InvalidInput(f"At most {MAX_EVENTS_PER_CALL} events per call")
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise InvalidInput(f"Event keys are given more than once: {', '.join(repeated)}")


def check_number_of_events(number: int | None) -> None:
    if number is not None and not 1 <= number <= MAX_EVENTS_PER_CALL:
        raise InvalidInput(f"numberOfEvents must be 1 to {MAX_EVENTS_PER_CALL}")
