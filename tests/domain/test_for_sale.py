from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from boxoffice.domain.errors import InvalidInput, RateLimited
from boxoffice.domain.for_sale import ForSaleConfig, day_start, edit_for_sale, next_change, place

# (label, category, capacity if GA): two seats of category 1, one of category 2, a GA area of 10
OBJECTS = [("A-1", "1", None), ("A-2", "1", None), ("B-1", "2", None), ("GA", "2", 10)]


def test_no_config_puts_everything_on_sale() -> None:
    placed = place(None, OBJECTS)
    assert placed.off_sale == frozenset() and placed.places_off_sale == {}


def test_not_for_sale_names_what_is_off() -> None:
    placed = place(ForSaleConfig.of(False, ["A-1", "unknown"], {"GA": 3}, ["9"]), OBJECTS)
    assert placed.off_sale == {"A-1"} and placed.places_off_sale == {"GA": 3}
    assert place(ForSaleConfig.of(False, categories=["2"]), OBJECTS).off_sale == {"B-1", "GA"}
    assert place(ForSaleConfig.of(False, area_places={"GA": 30}), OBJECTS).places_off_sale == {"GA": 10}


def test_for_sale_names_the_only_things_on() -> None:
    placed = place(ForSaleConfig.of(True, ["A-1"], {"GA": 3}), OBJECTS)
    assert placed.off_sale == {"A-2", "B-1"} and placed.places_off_sale == {"GA": 7}
    assert place(ForSaleConfig.of(True, categories=["2"]), OBJECTS).off_sale == {"A-1", "A-2"}
    assert place(ForSaleConfig(True), OBJECTS).off_sale == {"A-1", "A-2", "B-1", "GA"}  # nothing on sale
    # an area named whole wins over a number of its places
    assert place(ForSaleConfig.of(True, ["GA"], {"GA": 3}), OBJECTS).places_off_sale == {}


def test_area_places_are_for_general_admission_areas() -> None:
    with pytest.raises(InvalidInput):
        place(ForSaleConfig.of(False, area_places={"A-1": 1}), OBJECTS)
    with pytest.raises(InvalidInput):
        ForSaleConfig.of(False, area_places={"GA": -1})


def test_edit_adds_and_removes_on_the_side_the_config_reads() -> None:
    config = edit_for_sale(None, not_for_sale=[("A-1", None), ("GA", 5)])
    assert config == ForSaleConfig.of(False, ["A-1"], {"GA": 5})
    config = edit_for_sale(config, for_sale=[("GA", 2)], not_for_sale=[("GA", 1), ("B-1", None)])
    assert config == ForSaleConfig.of(False, ["A-1", "B-1"], {"GA": 4})
    assert edit_for_sale(config, for_sale=[("A-1", None), ("B-1", None), ("GA", 9)]) is None  # all back on sale
    # a config naming what is on sale: for_sale adds to it, not_for_sale takes away
    only = ForSaleConfig.of(True, ["A-1"], {"GA": 3})
    assert edit_for_sale(only, for_sale=[("A-2", None)], not_for_sale=[("A-1", None), ("GA", 1)]) == ForSaleConfig.of(
        True, ["A-2"], {"GA": 2}
    )
    with pytest.raises(InvalidInput):
        edit_for_sale(None, not_for_sale=[("GA", 0)])


def test_config_round_trips_through_its_stored_form() -> None:
    config = ForSaleConfig.of(False, ["A-1"], {"GA": 3}, [2])  # type: ignore[list-item]
    assert ForSaleConfig.from_json(config.to_json()) == config
    assert config.to_json() == {"forSale": False, "objects": ["A-1"], "areaPlaces": {"GA": 3}, "categories": ["2"]}
    assert ForSaleConfig.from_json(None) is None


def test_ten_changes_a_day_then_refused_until_midnight_utc() -> None:
    now = datetime(2026, 3, 4, 20, 30, tzinfo=UTC)
    midnight = datetime(2026, 3, 5, tzinfo=UTC)
    assert [next_change(n, now).remaining for n in range(10)] == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    assert next_change(0, now).reset_at == midnight
    with pytest.raises(RateLimited) as refused:
        next_change(10, now)
    assert refused.value.retry_after == 3.5 * 3600 and refused.value.http_status == 429
    assert next_change(2, now, per_day=3).remaining == 0


def test_the_day_is_a_utc_day() -> None:
    late_in_new_york = datetime(2026, 3, 4, 21, 0, tzinfo=timezone(timedelta(hours=-5)))  # 02:00 UTC on the 5th
    assert day_start(late_in_new_york) == datetime(2026, 3, 5, tzinfo=UTC)
    just_before = datetime(2026, 3, 5, 23, 59, 59, 500_000, tzinfo=UTC)
    with pytest.raises(RateLimited) as refused:
        next_change(10, just_before)
    assert refused.value.retry_after == 1  # never 0: a client told to wait 0 seconds would spin
