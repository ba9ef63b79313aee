"""For-sale changes on a season through the official SDK: a top-level season with forSalePropagated (the
default) passes each change on to its events and partial seasons; with it false, only the season changes."""

from __future__ import annotations

import pytest
from seatsio import ForSaleConfig
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def for_sale(company: SeatsioCompany, event_key: str, labels: list[str]) -> dict[str, bool]:
    infos = company.client.events.retrieve_object_infos(event_key, labels)
    return {label: bool(infos[label].for_sale) for label in labels}


def test_for_sale_changes_on_a_season_reach_its_events_and_partial_seasons(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    company.client.seasons.create("hall", key="league", event_keys=["match1", "match2"])
    company.client.seasons.create_partial_season("league", partial_season_key="half", event_keys=["match1"])

    company.client.events.replace_for_sale_config("league", False, objects=["A-1", "A-2"], area_places={"GA": 4})

    expected = ForSaleConfig.create_new(False, ["A-1", "A-2"], {"GA": 4}, [])
    for key in ("league", "match1", "match2", "half"):
        assert company.client.events.retrieve(key).for_sale_config == expected
        assert for_sale(company, key, ["A-1", "A-2", "A-3"]) == {"A-1": False, "A-2": False, "A-3": True}
        assert company.client.events.retrieve_object_info(key, "GA").num_not_for_sale == 4
    with pytest.raises(SeatsioException):
        company.client.events.book("match2", ["A-1"])  # not for sale in the event either

    edited = company.client.events.edit_for_sale_config("league", for_sale=[{"object": "A-2"}])
    assert edited.for_sale_config.objects == ["A-1"] and edited.rate_limit_info.rate_limit_remaining_calls == 8
    for key in ("match1", "match2", "half"):
        assert for_sale(company, key, ["A-1", "A-2"]) == {"A-1": False, "A-2": True}

    company.client.events.mark_everything_as_for_sale("league")
    for key in ("league", "match1", "match2", "half"):
        assert company.client.events.retrieve(key).for_sale_config is None
    company.client.events.book("match2", ["A-1"])
    # the season's three changes counted against the season only: each event still has its ten
    own = company.client.events.edit_for_sale_config("match2", not_for_sale=[{"object": "B-1"}])
    assert own.rate_limit_info.rate_limit_remaining_calls == 9


def test_events_created_later_start_with_a_propagating_seasons_config(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    company.client.seasons.create("hall", key="league")
    company.client.events.mark_as_not_for_sale("league", objects=["B-1"])

    company.client.seasons.create_events("league", event_keys=["late"])

    assert company.client.events.retrieve("late").for_sale_config == ForSaleConfig.create_new(False, ["B-1"], {}, [])
    assert for_sale(company, "late", ["B-1", "B-2"]) == {"B-1": False, "B-2": True}


def test_with_for_sale_propagated_false_only_the_season_changes(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing())
    company.client.seasons.create("hall", key="league", event_keys=["match1"], for_sale_propagated=False)

    company.client.events.mark_as_not_for_sale("league", objects=["A-1"])
    company.client.events.mark_everything_as_not_for_sale("league")
    company.client.seasons.create_events("league", event_keys=["late"])

    assert company.client.events.retrieve("league").for_sale_config == ForSaleConfig.create_new(True, [], {}, [])
    for key in ("match1", "late"):
        assert company.client.events.retrieve(key).for_sale_config is None
        assert for_sale(company, key, ["A-1", "B-1"]) == {"A-1": True, "B-1": True}
    company.client.events.book("match1", ["A-1"])
