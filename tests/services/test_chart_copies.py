"""services/chart_copies: a copy is a new, unused chart with the source's drawing; the archive is a flag."""

from __future__ import annotations

from boxoffice.services import chart_copies, charts
from boxoffice.storage.uow import Database
from tests.factories import make_event, make_workspace, small_drawing


def test_a_copy_is_a_new_chart_with_the_same_objects(db: Database) -> None:
    workspace, event = make_event(db)
    source = charts.get_chart(db, workspace, event.chart_key)

    copy = chart_copies.copy_chart(db, workspace, source.key)

    assert copy.id != source.id and copy.published_version == 1 and not copy.has_draft
    assert charts.events_of_charts(db, [copy])[copy.id] == []
    assert set(charts.chart_layout(db, copy).objects) == set(charts.chart_layout(db, source).objects)


def test_a_copys_name_stays_within_the_longest_chart_name(db: Database) -> None:
    workspace = make_workspace(db)
    charts.create_chart(db, workspace, {**small_drawing(), "name": "n" * 500}, key="long")

    copy = chart_copies.copy_chart(db, workspace, "long")

    assert len(copy.name) == 500 and copy.name.endswith(" (copy)")
    assert charts.published_drawing(db, workspace, copy.key)["name"] == copy.name


def test_archiving_is_a_flag_on_the_chart(db: Database) -> None:
    workspace = make_workspace(db)
    charts.create_chart(db, workspace, small_drawing(), key="hall")

    chart_copies.set_archived(db, workspace, "hall", True)
    assert charts.get_chart(db, workspace, "hall").archived is True
    chart_copies.set_archived(db, workspace, "hall", False)
    assert charts.get_chart(db, workspace, "hall").archived is False


def test_an_event_moved_to_a_new_chart_copy_keeps_its_objects_and_the_source_keeps_its_draft(db: Database) -> None:
    workspace, event = make_event(db)
    charts.update_chart(db, workspace, event.chart_key, name="Renamed")  # a draft: events keep the published

    moved = chart_copies.move_event_to_new_chart_copy(db, workspace, event.key)

    copy = charts.get_chart(db, workspace, moved.chart_key)
    source = charts.get_chart(db, workspace, event.chart_key)
    assert moved.id == event.id and copy.name == "Small hall (copy)" and source.has_draft
    assert [e.id for e in charts.events_of_charts(db, [copy])[copy.id]] == [event.id]
    assert charts.events_of_charts(db, [source])[source.id] == []
    assert set(charts.chart_layout(db, copy).objects) == set(charts.chart_layout(db, source).objects)
