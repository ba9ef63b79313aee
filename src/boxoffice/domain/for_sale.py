"""For-sale configuration (seats.io's forSaleConfig): which objects, categories and GA places may be sold.

`for_sale` says how the lists read. False: what they name is off sale and everything else on sale; True:
what they name is the only thing on sale. `area_places` names part of a general admission area: that many
of its places off sale (False) or on sale (True). Labels and categories are kept as given, known to the
chart or not (seats.io does the same: a chart may gain them later); only the known ones take effect.

An event's for-sale config changes at most `CALLS_PER_DAY` times a day (seats.io's limit; days in UTC
here): `next_change` says how many are left after one more, or refuses it with `RateLimited`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from boxoffice.domain.errors import InvalidInput, RateLimited

CALLS_PER_DAY = 10  # seats.io: "a rate limit of 10 calls per day per event"


@dataclass(frozen=True, slots=True)
class ForSaleConfig:
    for_sale: bool
    objects: tuple[str, ...] = ()
    area_places: Mapping[str, int] = field(default_factory=dict)
    categories: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        for_sale: bool,
        objects: Iterable[str] = (),
        area_places: Mapping[str, int] | None = None,
        categories: Iterable[str] = (),
    ) -> ForSaleConfig:
        places = dict(area_places or {})
        for label, n in places.items():
            if n < 0:
                raise InvalidInput(f"areaPlaces: {label} has {n} places; give 0 or more")
        return cls(
            for_sale,
            tuple(dict.fromkeys(objects)),
            {label: n for label, n in places.items() if n > 0},
            tuple(dict.fromkeys(str(c) for c in categories)),
        )

    @classmethod
    def from_json(cls, stored: Mapping[str, Any] | None) -> ForSaleConfig | None:
        if not stored:
            return None
        return cls.of(
            bool(stored.get("forSale", False)),
            stored.get("objects") or (),
            stored.get("areaPlaces") or {},
            stored.get("categories") or (),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "forSale": self.for_sale,
            "objects": list(self.objects),
            "areaPlaces": dict(self.area_places),
            "categories": list(self.categories),
        }

    @property
    def everything_for_sale(self) -> bool:
        """Nothing named as off sale: the same as no config at all."""
        return not self.for_sale and not self.objects and not self.area_places and not self.categories


def edit_for_sale(
    config: ForSaleConfig | None,
    *,
    for_sale: Iterable[tuple[str, int | None]] = (),
    not_for_sale: Iterable[tuple[str, int | None]] = (),
) -> ForSaleConfig | None:
    """seats.io's edit-for-sale-config: objects (or a number of an area's places) put on sale or taken off,
    leaving the rest as it is. Returns None when everything is on sale again."""
    current = config or ForSaleConfig(False)
    objects = dict.fromkeys(current.objects)
    places = dict(current.area_places)
    # the lists name what is off sale (for_sale False) or what is on sale (True): naming adds, the other side removes
    adding, removing = (for_sale, not_for_sale) if current.for_sale else (not_for_sale, for_sale)
    for label, quantity in removing:
        if quantity is None:
            objects.pop(label, None)
            places.pop(label, None)
        else:
            places[label] = places.get(label, 0) - _quantity(label, quantity)
    for label, quantity in adding:
        if quantity is None:
            objects[label] = None
            places.pop(label, None)
        else:
            places[label] = places.get(label, 0) + _quantity(label, quantity)
    edited = ForSaleConfig.of(current.for_sale, objects, {k: max(0, n) for k, n in places.items()}, current.categories)
    return None if edited.everything_for_sale else edited


def _quantity(label: str, quantity: int) -> int:
    if quantity < 1:
        raise InvalidInput(f"quantity for {label} must be at least 1, was {quantity}")
    return quantity


@dataclass(frozen=True, slots=True)
class Placed:
    """What a config means for one chart's objects: labels wholly off sale, and GA places off sale."""

    off_sale: frozenset[str]
    places_off_sale: Mapping[str, int]


def place(
    config: ForSaleConfig | None,
    objects: Iterable[tuple[str, str | None, int | None]],
) -> Placed:
    """`objects`: (label, category key, capacity if a general admission area else None) of every object."""
    if config is None:
        return Placed(frozenset(), {})
    categories = set(config.categories)
    off: set[str] = set()
    places_off: dict[str, int] = {}
    named = set(config.objects)
    for label, category_key, capacity in objects:
        listed = label in named or (category_key is not None and category_key in categories)
        places = config.area_places.get(label)
        if places is not None and not listed:
            if capacity is None:
                raise InvalidInput(f"areaPlaces is for general admission areas; {label} is not one")
            # off sale: that many places; on sale: that many and no more
            places_off[label] = min(places, capacity) if not config.for_sale else max(0, capacity - places)
        elif listed != config.for_sale:
            off.add(label)
    return Placed(frozenset(off), {label: n for label, n in places_off.items() if n})


@dataclass(frozen=True, slots=True)
class ChangesLeft:
    remaining: int  # changes still allowed today after this one
    reset_at: datetime  # when the count starts again


def day_start(now: datetime) -> datetime:
    """The start (UTC midnight) of the day `now` falls in: changes since then count against today."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def next_change(changes_today: int, now: datetime, per_day: int = CALLS_PER_DAY) -> ChangesLeft:
    """One more change of an event's for-sale config today, after `changes_today` of them; `RateLimited`
    (retry after the seconds left of the day) when none is left.

    >>> next_change(0, datetime(2026, 1, 2, 18, 0, tzinfo=UTC))
    ChangesLeft(remaining=9, reset_at=datetime.datetime(2026, 1, 3, 0, 0, tzinfo=datetime.timezone.utc))
    """
    reset_at = day_start(now) + timedelta(days=1)
    if changes_today >= per_day:
        wait = max(1, math.ceil((reset_at - now).total_seconds()))
        raise RateLimited(
            f"The for-sale config of an event can change {per_day} times a day; try again in {wait} seconds", wait
        )
    return ChangesLeft(per_day - changes_today - 1, reset_at)
