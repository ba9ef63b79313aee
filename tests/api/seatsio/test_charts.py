"""Charts through the official SDK: create, retrieve, list, update, versions, draft and publish, categories."""

from __future__ import annotations

import httpx
import pytest
from seatsio import Category
from seatsio.exceptions import SeatsioException

from tests.api.conftest import LiveServer
from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing


def test_create_with_defaults_and_options(company: SeatsioCompany) -> None:
    charts = company.client.charts

    chart = charts.create()
    named = charts.create(
        name="aChart",
        venue_type="BOOTHS",
        categories=[
            {"key": 1, "label": "Category 1", "color": "#aaaaaa"},
            {"key": 2, "label": "Category 2", "color": "#bbbbbb", "accessible": True},
        ],
    )

    assert chart.id and chart.key and chart.status == "NOT_USED" and chart.name == "Untitled chart"
    assert chart.published_version_thumbnail_url and chart.draft_version_thumbnail_url is None
    assert chart.events is None and chart.tags == [] and chart.archived is False
    assert named.name == "aChart"
    assert charts.retrieve_published_version(named.key).venueType == "BOOTHS"
    assert charts.list_categories(named.key) == [
        Category(1, "Category 1", "#aaaaaa", False),
        Category(2, "Category 2", "#bbbbbb", True),
    ]
    raw = httpx.post(
        f"{company.base_url}/charts", content=b'{"categories": ["garbage"]}', auth=(company.secret_key, "")
    )
    assert raw.status_code == 400 and raw.json()["errors"][0]["code"] == "VALIDATION_ERROR"


def test_retrieve_list_filter_tags_and_expand(company: SeatsioCompany) -> None:
    charts = company.client.charts
    stadium = charts.create(name="some stadium")
    theatre = charts.create(name="a theatre")
    other = charts.create(name="some other stadium")
    charts.add_tag(stadium.key, "tag1")
    charts.add_tag(theatre.key, "tag1")
    charts.add_tag(theatre.key, "tag2")
    charts.remove_tag(theatre.key, "tag2")
    e1 = company.client.events.create(stadium.key)
    e2 = company.client.events.create(stadium.key)

    assert [c.key for c in charts.list()] == [other.key, theatre.key, stadium.key]
    assert [c.key for c in charts.list(chart_filter="stadium")] == [other.key, stadium.key]
    assert [c.key for c in charts.list(tag="tag1")] == [theatre.key, stadium.key]
    assert [c.key for c in charts.list(chart_filter="stadium", tag="tag1")] == [stadium.key]
    expanded = next(c for c in charts.list(expand_events=True, expand_validation=True) if c.key == stadium.key)
    assert [e.id for e in expanded.events] == [e2.id, e1.id] and expanded.validation == {"errors": [], "warnings": []}
    assert charts.retrieve(theatre.key).tags == ["tag1"]
    assert charts.retrieve(theatre.key).zones is None  # a chart without zones has none listed
    assert sorted(charts.list_all_tags()) == ["tag1"]
    retrieved = charts.retrieve_with_events(stadium.key)
    assert retrieved.status == "PUBLISHED" and [e.id for e in retrieved.events] == [e2.id, e1.id]
    assert charts.validate_published_version(stadium.key).errors == []
    with pytest.raises(SeatsioException) as caught:
        charts.retrieve("unexistingChart")
    assert caught.value.errors[0]["code"] == "CHART_NOT_FOUND"
    assert caught.value.message.startswith("Chart not found: unexistingChart was not found in workspace ")


def test_update_name_and_categories(company: SeatsioCompany) -> None:
    charts = company.client.charts
    chart = charts.create(name="aChart - unchanged", venue_type="BOOTHS", categories=[])

    charts.update(chart.key, new_name="aChart")
    charts.update(chart.key, categories=[{"key": 1, "label": "Category 1", "color": "#aaaaaa", "accessible": False}])
    charts.add_category(chart.key, Category("k2", "Two", "#bbbbbb", True))
    charts.update_category(chart.key, 1, "One", "#cccccc", True)
    charts.remove_category(chart.key, "k2")

    assert charts.retrieve(chart.key).name == "aChart"
    assert charts.list_categories(chart.key) == [Category(1, "One", "#cccccc", True)]
    with pytest.raises(SeatsioException) as caught:
        charts.update(chart.key, categories=["sdkqlmqdsklmsdq"])
    # as the SDK's own tests/charts/testUpdateChart.py (test_update_categories_post_garbage) expects
    assert caught.value.errors[0]["code"] == "VALIDATION_ERROR"
    assert "400 Bad Request" in caught.value.message and caught.value.message.startswith("400 Bad Request: ")
    assert caught.value.requestId is not None and caught.value.cause is None
    with pytest.raises(SeatsioException) as caught:  # a rule broken, not an unreadable body: said as it is
        charts.update(chart.key, new_name="x" * 501)
    assert caught.value.errors[0]["code"] == "VALIDATION_ERROR" and "Bad Request" not in caught.value.message
    with pytest.raises(SeatsioException) as caught:
        charts.remove_category(chart.key, "nope")
    assert caught.value.errors[0]["code"] == "CATEGORY_NOT_FOUND"


def test_draft_and_publish(company: SeatsioCompany, live_server: LiveServer) -> None:
    from boxoffice.services import charts as chart_service
    from boxoffice.services.workspaces import authenticate

    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    charts = company.client.charts
    company.client.events.create("hall", event_key="show")
    with pytest.raises(SeatsioException):
        charts.retrieve_draft_version("hall")
    drawing = small_drawing(rows=2, seats_per_row=2)
    drawing["name"] = "Bigger hall"
    workspace = authenticate(live_server.db, company.secret_key).workspace
    chart_service.save_draft(live_server.db, workspace, "hall", drawing)  # the designer's save: no SDK call

    assert charts.retrieve("hall").status == "PUBLISHED_WITH_DRAFT"
    assert charts.retrieve_draft_version("hall").name == "Bigger hall"
    charts.publish_draft_version("hall")

    published = charts.retrieve("hall")
    assert published.status == "PUBLISHED" and published.name == "Bigger hall"
    assert published.draft_version_thumbnail_url is None
    assert charts.retrieve_published_version("hall").name == "Bigger hall"
    assert company.client.events.retrieve_object_info("show", "B-2").status == "free"  # new seats reach events
    with pytest.raises(SeatsioException) as caught:
        charts.publish_draft_version("hall")
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"


def test_charts_are_listed_a_page_at_a_time(company: SeatsioCompany) -> None:
    charts = company.client.charts
    made = [charts.create(name=f"chart {n}") for n in range(5)]
    newest_first = [c.key for c in reversed(made)]

    first = charts.list_first_page(page_size=2)
    assert [c.key for c in first.items] == newest_first[:2]
    assert first.next_page_starts_after == made[3].id and first.previous_page_ends_before is None
    second = charts.list_page_after(first.next_page_starts_after, page_size=2)
    assert [c.key for c in second.items] == newest_first[2:4]
    assert second.previous_page_ends_before == made[2].id
    back = charts.list_page_before(second.previous_page_ends_before, page_size=2)
    assert [c.key for c in back.items] == newest_first[:2]
    last = charts.list_page_after(second.next_page_starts_after, page_size=2)
    assert [c.key for c in last.items] == newest_first[4:] and last.next_page_starts_after is None
    assert [c.key for c in charts.list()] == newest_first  # the SDK's lister follows the pages
    assert [c.key for c in charts.list(chart_filter="chart 1")] == [made[1].key]
    raw = httpx.get(f"{company.base_url}/charts", params={"limit": 0}, auth=(company.secret_key, ""))
    assert raw.status_code == 400 and raw.json()["errors"][0]["code"] == "VALIDATION_ERROR"
    many = httpx.get(f"{company.base_url}/charts", auth=(company.secret_key, "")).json()
    assert len(many["items"]) == 5 and "next_page_starts_after" not in many  # 20 a page unless asked


def test_updates_of_a_chart_with_events_go_to_a_draft(company: SeatsioCompany) -> None:
    charts = company.client.charts
    chart = charts.create(name="oldname", categories=[{"key": 1, "label": "One", "color": "#aaaaaa"}])
    company.client.events.create(chart.key, event_key="show")

    charts.update(chart.key, new_name="newname")
    charts.add_category(chart.key, Category(2, "Two", "#bbbbbb", False))

    retrieved = charts.retrieve(chart.key)
    assert (retrieved.name, retrieved.status) == ("oldname", "PUBLISHED_WITH_DRAFT")
    assert retrieved.draft_version_thumbnail_url
    assert charts.retrieve_published_version(chart.key).name == "oldname"
    assert charts.retrieve_draft_version(chart.key).name == "newname"
    assert [c.key for c in charts.list_categories(chart.key)] == [1, 2]  # the draft's, edited in turn
    assert charts.validate_draft_version(chart.key).errors == []

    charts.discard_draft_version(chart.key)
    retrieved = charts.retrieve(chart.key)
    assert (retrieved.name, retrieved.status, retrieved.draft_version_thumbnail_url) == ("oldname", "PUBLISHED", None)
    assert [c.key for c in charts.list_categories(chart.key)] == [1]
    with pytest.raises(SeatsioException):
        charts.retrieve_draft_version(chart.key)
    with pytest.raises(SeatsioException) as caught:
        charts.discard_draft_version(chart.key)
    assert caught.value.errors[0]["code"] == "INVALID_INPUT"

    charts.update(chart.key, new_name="newname")
    charts.publish_draft_version(chart.key)
    assert (charts.retrieve(chart.key).name, charts.retrieve(chart.key).status) == ("newname", "PUBLISHED")


def test_a_drawing_with_thousands_of_problems_names_the_first_hundred_and_counts_the_rest(
    company: SeatsioCompany,
) -> None:
    drawing = small_drawing(rows=15, seats_per_row=10)
    drawing["categories"]["list"] = []  # every seat (150), table seat and area names a category not there

    response = httpx.post(f"{company.base_url}/system/public/charts/many", json=drawing, auth=(company.secret_key, ""))

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert len(errors) == 101
    assert {e["code"] for e in errors} == {"CHART_VALIDATION_FAILED"}
    assert {e["problem"] for e in errors[:100]} == {"UNKNOWN_CATEGORY"}
    assert errors[100]["problem"] == "MORE"
    assert errors[100]["message"].startswith("... and ") and errors[100]["message"].endswith(" more problems")


def test_thumbnails_of_the_published_version_and_the_draft_are_pngs(company: SeatsioCompany) -> None:
    company.post_chart("pictured", small_drawing())
    charts = company.client.charts
    company.client.events.create("pictured", event_key="show")

    published = charts.retrieve_published_version_thumbnail("pictured")
    with pytest.raises(SeatsioException) as no_draft:
        charts.retrieve_draft_version_thumbnail("pictured")
    charts.update("pictured", new_name="renamed")
    draft = charts.retrieve_draft_version_thumbnail("pictured")
    served = httpx.get(
        f"{company.base_url}{charts.retrieve('pictured').published_version_thumbnail_url}",
        auth=(company.secret_key, ""),
    )

    assert published.startswith(b"\x89PNG") and draft.startswith(b"\x89PNG") and b"PNG" in published
    assert served.headers["content-type"] == "image/png" and served.content == published
    assert no_draft.value.errors[0]["code"] == "NOT_FOUND"
    with pytest.raises(SeatsioException) as unknown:
        charts.retrieve_published_version_thumbnail("no-such-chart")
    assert unknown.value.errors[0]["code"] == "CHART_NOT_FOUND"


def test_retrieve_shows_the_venue_type_and_list_limits_expanded_events(company: SeatsioCompany) -> None:
    """seatsio-js: retrieve reads venueType of an unexpanded chart; charts.listAll(withEventsLimit(2)) gets
    each chart's two newest events."""
    auth = (company.secret_key, "")
    chart = company.client.charts.create()
    assert company.client.charts.retrieve(chart.key).venue_type == "SIMPLE"
    assert company.client.charts.retrieve(chart.key).zones is None  # none drawn: left out, as the SDKs expect
    keys = [company.client.events.create(chart.key).key for _ in range(3)]
    listed = httpx.get(f"{company.base_url}/charts", params={"expand": "events", "eventsLimit": "2"}, auth=auth)
    assert [e["key"] for e in listed.json()["items"][0]["events"]] == [keys[2], keys[1]]
    every = httpx.get(f"{company.base_url}/charts", params={"expand": "events"}, auth=auth)
    assert len(every.json()["items"][0]["events"]) == 3
    for bad in ("0", "x", "-1"):
        refused = httpx.get(f"{company.base_url}/charts", params={"expand": "events", "eventsLimit": bad}, auth=auth)
        assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "VALIDATION_ERROR"
