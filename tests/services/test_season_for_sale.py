"""For-sale changes on a season: a top-level season with forSalePropagated (the default) makes each change on
its events and partial seasons too, in one transaction; without it, or on a partial season, only the named
season changes. The change counts once against the daily limit, the season's (services/for_sale.py)."""

from __future__ import annotations

from typing import Any

import pytest

from boxoffice.domain.errors import InvalidInput, RateLimited
from boxoffice.domain.for_sale import ForSaleConfig
from boxoffice.domain.records import Workspace
from boxoffice.services import for_sale, seasons
from boxoffice.services.events import get_event, update_event
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import make_season


def off_sale(db: Database, ws: Workspace, event_key: str, labels: list[str]) -> list[str]:
    """Which of `labels` the event has off sale (wholly, or some places of a GA area)."""
    infos = object_infos(db, ws, event_key, labels)
    return [i.label for i in infos if not i.for_sale or i.num_not_for_sale]


def config(db: Database, ws: Workspace, event_key: str) -> ForSaleConfig | None:
    return for_sale.config_of(get_event(db, ws, event_key))


LABELS = ["A-1", "A-2", "B-1", "B-2", "GA"]


def test_marking_a_season_reaches_its_events_and_partial_seasons(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2"))
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["e1"])

    for_sale.replace_for_sale(db, ws, season.key, for_sale=False, objects=["A-1"], area_places={"GA": 3})

    expected = ForSaleConfig.of(False, ["A-1"], {"GA": 3})
    for key in ("season", "e1", "e2", "half"):
        assert config(db, ws, key) == expected
        assert off_sale(db, ws, key, LABELS) == ["A-1", "GA"]
    assert object_infos(db, ws, "e2", ["GA"])[0].num_not_for_sale == 3

    for_sale.replace_for_sale(db, ws, season.key, for_sale=True, categories=["2"])  # row A is category 2
    for key in ("season", "e1", "e2", "half"):
        assert off_sale(db, ws, key, LABELS) == ["B-1", "B-2", "GA"]

    for_sale.mark_everything(db, ws, season.key, for_sale=False)
    for key in ("season", "e1", "e2", "half"):
        assert off_sale(db, ws, key, LABELS) == LABELS

    for_sale.mark_everything(db, ws, season.key, for_sale=True)
    for key in ("season", "e1", "e2", "half"):
        assert config(db, ws, key) is None and off_sale(db, ws, key, LABELS) == []


def test_an_edit_on_a_season_is_made_on_each_event_keeping_what_an_event_set_on_its_own(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2"))
    for_sale.edit_for_sale(db, ws, "e1", not_for_sale=[("B-2", None)])  # e1's own

    for_sale.edit_for_sale(db, ws, season.key, not_for_sale=[("A-1", None), ("A-2", None)])
    for_sale.edit_for_sale(db, ws, season.key, for_sale=[("A-2", None)])

    assert off_sale(db, ws, "season", LABELS) == ["A-1"]
    assert off_sale(db, ws, "e1", LABELS) == ["A-1", "B-2"]
    assert off_sale(db, ws, "e2", LABELS) == ["A-1"]


def test_without_propagation_only_the_season_changes(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1",))
    update_event(db, ws, season.key, for_sale_propagated=False)

    for_sale.replace_for_sale(db, ws, season.key, for_sale=False, objects=["A-1"])
    for_sale.edit_for_sale(db, ws, season.key, not_for_sale=[("A-2", None)])

    assert off_sale(db, ws, "season", LABELS) == ["A-1", "A-2"]
    assert off_sale(db, ws, "e1", LABELS) == [] and config(db, ws, "e1") is None
    new = seasons.create_events_in_season(db, ws, season.key, event_keys=["e2"])
    assert [e.key for e in new] == ["e2"] and off_sale(db, ws, "e2", LABELS) == []  # its own config: none


def test_new_events_and_partial_seasons_start_with_the_config_of_a_propagating_season(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1",))
    for_sale.replace_for_sale(db, ws, season.key, for_sale=False, objects=["B-1"])

    seasons.create_events_in_season(db, ws, season.key, event_keys=["e2"])
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["e2"])

    assert off_sale(db, ws, "e2", LABELS) == ["B-1"] and off_sale(db, ws, "half", LABELS) == ["B-1"]
    for_sale.mark_everything(db, ws, season.key, for_sale=True)
    assert off_sale(db, ws, "e2", LABELS) == [] and off_sale(db, ws, "half", LABELS) == []


def test_a_partial_season_change_stays_on_the_partial_season(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1",))
    seasons.create_partial_season(db, ws, season.key, key="half", event_keys=["e1"])

    for_sale.replace_for_sale(db, ws, "half", for_sale=False, objects=["A-1"])

    assert off_sale(db, ws, "half", LABELS) == ["A-1"]
    assert off_sale(db, ws, "e1", LABELS) == [] and off_sale(db, ws, "season", LABELS) == []


def test_a_propagated_change_counts_once_against_the_season_and_not_against_its_events(db: Database) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2"))
    for n in range(2):
        for_sale.edit_for_sale(db, ws, "e1", not_for_sale=[(f"C-{n + 1}", None)], per_day=2)  # e1's day is used up

    left = for_sale.replace_for_sale(db, ws, season.key, for_sale=False, objects=["A-1"], per_day=2)

    assert left.remaining == 1  # the season's count
    assert off_sale(db, ws, "e1", LABELS) == ["A-1"]  # reached e1, whose own limit was used up
    with pytest.raises(RateLimited):
        for_sale.edit_for_sale(db, ws, "e1", not_for_sale=[("A-2", None)], per_day=2)
    assert for_sale.edit_for_sale(db, ws, "e2", per_day=2).changes_left.remaining == 1  # e2 was not charged
    for_sale.mark_everything(db, ws, season.key, for_sale=True, per_day=2)
    with pytest.raises(RateLimited):
        for_sale.mark_everything(db, ws, season.key, for_sale=False, per_day=2)
    assert off_sale(db, ws, "e2", LABELS) == []  # the refused change reached no event


def test_a_season_change_that_fails_on_one_event_changes_nothing(db: Database, monkeypatch: Any) -> None:
    ws, season = make_season(db, event_keys=("e1", "e2"))
    real = for_sale.apply_for_sale_config

    def failing_on_e2(uow: Any, event: Any, layout: Any, config: Any) -> None:
        if event.key == "e2":
            raise InvalidInput("e2 cannot take it")
        real(uow, event, layout, config)

    monkeypatch.setattr(for_sale, "apply_for_sale_config", failing_on_e2)
    with pytest.raises(InvalidInput):
        for_sale.replace_for_sale(db, ws, season.key, for_sale=False, objects=["A-1"])
    monkeypatch.undo()

    for key in ("season", "e1", "e2"):
        assert off_sale(db, ws, key, LABELS) == [] and config(db, ws, key) is None
    assert for_sale.mark_everything(db, ws, season.key, for_sale=True).remaining == 9  # nothing was counted
