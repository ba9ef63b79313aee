"""Chart copies (in the workspace, of the draft, to another workspace) and the chart archive, through the SDK."""

from __future__ import annotations

from typing import Any

import pytest
import seatsio
from seatsio import TableBookingConfig
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def _admin(company: SeatsioCompany) -> Any:
    return seatsio.Client(seatsio.Region(company.base_url), secret_key=company.admin_key, max_retries=0)


def _code(caught: pytest.ExceptionInfo[SeatsioException]) -> str:
    return str((caught.value.errors or [{}])[0]["code"])


def test_copy_keeps_the_drawing_and_tags_not_the_events(company: SeatsioCompany) -> None:
    charts = company.client.charts
    chart = charts.create("my chart", "BOOTHS")
    charts.add_tag(chart.key, "tag1")
    company.client.events.create(chart.key)

    copied = charts.copy(chart.key)

    assert copied.key != chart.key and copied.name == "my chart (copy)" and copied.status == "NOT_USED"
    assert copied.tags == ["tag1"] and copied.archived is False
    published = charts.retrieve_published_version(copied.key)
    assert (published.venueType, published.name) == ("BOOTHS", "my chart (copy)")
    assert charts.retrieve(chart.key).name == "my chart"  # the original stays as it is
    with pytest.raises(SeatsioException) as caught:
        charts.copy("nochart")
    assert _code(caught) == "CHART_NOT_FOUND"


def test_copy_of_the_draft_version(company: SeatsioCompany) -> None:
    charts = company.client.charts
    chart = charts.create("oldname")
    company.client.events.create(chart.key)
    with pytest.raises(SeatsioException) as caught:
        charts.copy_draft_version(chart.key)  # no draft yet
    assert _code(caught) == "NOT_FOUND"
    charts.update(chart.key, "newname")  # a chart with events: the change goes to its draft

    copied = charts.copy_draft_version(chart.key)

    assert copied.name == "newname (copy)" and copied.status == "NOT_USED"
    assert copied.draft_version_thumbnail_url is None  # the draft is the copy's published version
    assert charts.retrieve(chart.key).status == "PUBLISHED_WITH_DRAFT"  # the source keeps its draft


def test_copy_to_another_workspace_with_the_company_admin_key(company: SeatsioCompany) -> None:
    admin = _admin(company)
    chart = admin.charts.create("my chart", "SIMPLE")
    admin.charts.add_tag(chart.key, "tag1")
    other = admin.workspaces.create("my ws")
    other_client = seatsio.Client(seatsio.Region(company.base_url), secret_key=other.secret_key, max_retries=0)

    copied = admin.charts.copy_to_workspace(chart.key, other.key)
    back = admin.charts.copy_from_workspace_to(copied.key, other.key, company.workspace_key)

    assert copied.name == "my chart" and copied.tags == []  # same name; tags stay behind (seats.io)
    assert other_client.charts.retrieve(copied.key).name == "my chart"
    assert other_client.charts.retrieve_published_version(copied.key).venueType == "SIMPLE"
    assert company.client.charts.retrieve(back.key).name == "my chart"
    with pytest.raises(SeatsioException) as caught:
        company.client.charts.copy_to_workspace(chart.key, other.key)  # a workspace key cannot reach the other
    assert _code(caught) == "FORBIDDEN"
    with pytest.raises(SeatsioException) as caught:
        admin.charts.copy_to_workspace(chart.key, "noworkspace")
    assert _code(caught) == "WORKSPACE_NOT_FOUND"
    with pytest.raises(SeatsioException) as caught:
        admin.charts.copy_from_workspace_to(chart.key, other.key, company.workspace_key)  # not in `other`
    assert _code(caught) == "CHART_NOT_FOUND"


def test_archive(company: SeatsioCompany) -> None:
    charts = company.client.charts
    chart1, chart2, chart3 = charts.create(), charts.create(), charts.create()

    charts.move_to_archive(chart1.key)
    charts.move_to_archive(chart3.key)

    assert charts.retrieve(chart1.key).archived is True
    assert [c.key for c in charts.archive.list()] == [chart3.key, chart1.key]  # newest first
    assert all(c.archived for c in charts.archive.list())
    assert [c.key for c in charts.list()] == [chart2.key]  # the chart list leaves the archive out
    charts.move_out_of_archive(chart1.key)
    assert charts.retrieve(chart1.key).archived is False
    assert [c.key for c in charts.archive.list()] == [chart3.key]
    assert [c.key for c in charts.list()] == [chart2.key, chart1.key]
    with pytest.raises(SeatsioException) as caught:
        charts.move_to_archive("nochart")
    assert _code(caught) == "CHART_NOT_FOUND"


def test_move_an_event_to_a_new_chart_copy(company: SeatsioCompany) -> None:
    company.post_chart("hall", small_drawing(rows=1, seats_per_row=4))
    events, charts = company.client.events, company.client.charts
    charts.add_tag("hall", "tag1")
    event = events.create("hall", event_key="show", table_booking_config=TableBookingConfig.all_by_table())
    other = events.create("hall")
    events.book("show", ["A-1"], order_id="o1")
    token = company.client.hold_tokens.create().hold_token
    events.hold("show", ["A-2"], token)

    moved = events.move_event_to_new_chart_copy("show")

    assert moved.key == "show" and moved.id == event.id and moved.chart_key not in ("hall", "")
    assert moved.table_booking_config == event.table_booking_config
    copy = charts.retrieve(moved.chart_key)
    assert copy.name == "Small hall (copy)" and copy.tags == ["tag1"] and copy.status == "PUBLISHED"
    assert events.retrieve("show").chart_key == moved.chart_key and events.retrieve(other.key).chart_key == "hall"
    infos = events.retrieve_object_infos("show", ["A-1", "A-2", "A-3"])  # every status as it was
    assert (infos["A-1"].status, infos["A-1"].order_id) == ("booked", "o1")
    assert (infos["A-2"].status, infos["A-2"].hold_token) == ("reservedByToken", token)
    events.book("show", ["A-3"])
    assert events.retrieve_object_info("show", "A-3").status == "booked"
    with pytest.raises(SeatsioException) as caught:
        events.move_event_to_new_chart_copy("noevent")
    assert _code(caught) == "EVENT_NOT_FOUND"
