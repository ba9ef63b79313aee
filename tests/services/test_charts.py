"""services/charts: an update of a chart no event uses is published at once; once events use it, it is a
draft until published (or discarded), and the events keep the published version meanwhile."""

from __future__ import annotations

import pytest

from boxoffice.domain.errors import InvalidInput
from boxoffice.services import chart_reports, charts
from boxoffice.storage.uow import Database
from tests.factories import make_event, make_workspace, small_drawing

PIT = {"key": 1, "label": "Pit", "color": "#ff0000", "accessible": False}  # was "Stalls"
FRONT = {"key": 2, "label": "Front", "color": "#00ff00", "accessible": False}


def test_a_chart_without_events_changes_at_once(db: Database) -> None:
    workspace = make_workspace(db)
    chart = charts.create_chart(db, workspace, small_drawing(), key="hall")

    updated = charts.update_chart(db, workspace, "hall", name="New hall")

    assert (updated.name, updated.has_draft, updated.published_version) == ("New hall", False, 2)
    assert charts.published_drawing(db, workspace, chart.key)["name"] == "New hall"


def test_a_chart_with_events_gets_a_draft(db: Database) -> None:
    workspace, event = make_event(db)
    key = event.chart_key

    first = charts.update_chart(db, workspace, key, name="Draft hall")
    second = charts.update_chart(db, workspace, key, categories=[PIT, FRONT])

    assert (first.name, first.has_draft, first.published_version) == ("Small hall", True, 1)
    assert second.published_version == 1
    draft = charts.draft_drawing(db, workspace, key)
    assert draft["name"] == "Draft hall"  # the second update started from the draft
    assert [c.label for c in charts.editable_layout(db, workspace, key).categories] == ["Pit", "Front"]
    assert charts.published_drawing(db, workspace, key)["name"] == "Small hall"
    labels = chart_reports.report(db, workspace, key, "byCategoryLabel", version="draft").groups
    assert sorted(labels) == ["Front", "NO_CATEGORY", "Pit"]
    assert "Stalls" in chart_reports.report(db, workspace, key, "byCategoryLabel").groups

    published = charts.publish_draft(db, workspace, key)
    assert (published.name, published.has_draft, published.published_version) == ("Draft hall", False, 2)


def test_discarding_a_draft_keeps_the_published_version(db: Database) -> None:
    workspace, event = make_event(db)
    charts.update_chart(db, workspace, event.chart_key, name="Draft hall")

    charts.discard_draft(db, workspace, event.chart_key)

    chart = charts.get_chart(db, workspace, event.chart_key)
    assert (chart.name, chart.has_draft, chart.published_version) == ("Small hall", False, 1)
    with pytest.raises(InvalidInput):
        charts.discard_draft(db, workspace, event.chart_key)
