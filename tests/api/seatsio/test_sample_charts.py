"""The shared sample charts (seats.io's own test charts) through the official SDK."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from seatsio.events.objectProperties import ObjectProperties
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany


def _load(shared_charts: Path, name: str) -> dict[str, Any]:
    drawing: dict[str, Any] = json.loads((shared_charts / f"{name}.json").read_text())
    return drawing


def test_sample_chart_rows_ga_and_categories(company: SeatsioCompany, shared_charts: Path) -> None:
    company.post_chart("sample", _load(shared_charts, "sampleChart"))
    client = company.client

    event = client.events.create("sample", event_key="e")
    client.events.book("e", [ObjectProperties("A-1", ticket_type="tt1")], order_id="order1")
    client.events.book("e", [ObjectProperties("GA1", quantity=5)])

    assert [c.key for c in event.categories] == [9, 10, "string11"]
    a1 = client.events.retrieve_object_info("e", "A-1")
    assert a1.category_key == "9" and a1.category_label == "Cat1" and a1.right_neighbour == "A-2"
    assert a1.labels == {"own": {"label": "1", "type": "seat"}, "parent": {"label": "A", "type": "row"}}
    ga = client.events.retrieve_object_info("e", "GA1")
    assert (ga.capacity, ga.num_booked, ga.num_free, ga.object_type) == (100, 5, 95, "generalAdmission")
    # variable occupancy as the drawing gives it: GA1 true, GA2 false, both with a minimum of 1; GA1 has no
    # maximum drawn, so its capacity is (seats.io's tests/events/eventReportsTest.py, test_reportItemProperties)
    assert (ga.variable_occupancy, ga.min_occupancy, ga.max_occupancy) == (True, 1, 100)
    assert client.events.reports.by_label("e", "GA1")[0].max_occupancy == 100
    ga2 = client.events.retrieve_object_info("e", "GA2")
    assert (ga2.variable_occupancy, ga2.min_occupancy) == (False, 1)
    assert client.events.retrieve_object_info("e", "A-1").variable_occupancy is None  # a seat has none
    assert client.charts.retrieve_published_version("sample").name == client.charts.retrieve("sample").name


def test_sections_tables_and_floors(company: SeatsioCompany, shared_charts: Path) -> None:
    client = company.client
    for name in ("sampleChartWithSections", "sampleChartWithTables", "sampleChartWithFloors"):
        company.post_chart(name, _load(shared_charts, name))
        client.events.create(name, event_key=name)

    booked = client.events.book("sampleChartWithSections", ["Section A-A-1"])
    seat = client.events.retrieve_object_info("sampleChartWithSections", "Section A-A-1")
    assert seat.status == "booked" and seat.section == "Section A" and seat.entrance == "Entrance 1"
    labels = {
        "own": {"label": "1", "type": "seat"},
        "parent": {"label": "A", "type": "row"},
        "section": "Section A",
        "entrance": {"label": "Entrance 1"},  # the section's entrance, in the labels but not the ids
    }
    assert seat.labels == labels and booked.objects["Section A-A-1"].labels == labels
    assert seat.ids == {"own": "1", "parent": "A", "section": "Section A"}

    client.events.book("sampleChartWithTables", ["T1-1"])
    t1 = client.events.retrieve_object_info("sampleChartWithTables", "T1")
    assert t1.object_type == "table" and t1.num_seats == 6 and t1.book_as_a_whole is False
    assert client.events.retrieve_object_info("sampleChartWithTables", "T1-1").labels["parent"] == {
        "label": "T1",
        "type": "table",
    }
    by_table = client.events.create("sampleChartWithTables", table_booking_config=_all_by_table())
    client.events.book(by_table.key, ["T2"])
    assert client.events.retrieve_object_info(by_table.key, "T2").status == "booked"

    floor_seat = client.events.retrieve_object_info("sampleChartWithFloors", "S1-A-1")
    assert floor_seat.floor == {"name": "1", "displayName": "Floor 1"} and floor_seat.section == "S1"


def _all_by_table() -> Any:
    from seatsio import TableBookingConfig

    return TableBookingConfig.all_by_table()


def test_a_broken_chart_is_rejected_with_every_problem(company: SeatsioCompany, shared_charts: Path) -> None:
    drawing = _load(shared_charts, "sampleChartWithErrors")
    drawing["categories"]["list"] = drawing["categories"]["list"][:1]  # Cat2's seats and GA lose their category
    drawing["subChart"]["generalAdmissionAreas"][0]["capacity"] = -1
    response = httpx.post(
        f"{company.base_url}/system/public/charts/broken", json=drawing, auth=(company.secret_key, "")
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert {e["code"] for e in errors} == {"CHART_VALIDATION_FAILED"}
    assert {e["problem"] for e in errors} == {"UNKNOWN_CATEGORY", "INVALID_CAPACITY"}
    assert any("'C-1'" in e["message"] for e in errors)
    with pytest.raises(SeatsioException) as caught:
        company.client.charts.retrieve("broken")
    assert caught.value.errors[0]["code"] == "CHART_NOT_FOUND"  # nothing kept


def test_zones_chart_of_8897_seats(company: SeatsioCompany, shared_charts: Path) -> None:
    company.post_chart("stadium", _load(shared_charts, "sampleChartWithZones"))
    client = company.client
    chart = client.charts.retrieve("stadium")
    assert chart.name and chart.status == "NOT_USED"
    assert [(z.key, z.label) for z in chart.zones] == [("finishline", "Finish Line"), ("midtrack", "Mid Track")]
    listed = next(iter(client.charts.list(expand_zones=True, expand_venue_type=True)))
    assert listed.venue_type == "WITH_ZONES"  # the drawing's "ZONES", under seats.io's current name
    assert [(z.key, z.label) for z in listed.zones] == [("finishline", "Finish Line"), ("midtrack", "Mid Track")]

    client.events.create("stadium", event_key="race")  # one event per database: ~1 s
    token = client.hold_tokens.create().hold_token
    booked = client.events.book("race", ["Goal Stand 4-A-1", "MT3-Z-139"], order_id="o1")
    held = client.events.hold("race", ["Goal Stand 4-A-2"], token)
    best = client.events.hold_best_available("race", 4, hold_token=token, zone="midtrack")
    best_booked = client.events.book_best_available("race", 2, zone="finishline", ticket_types=["adult", "child"])

    assert booked.objects["MT3-Z-139"].zone == "midtrack" and booked.objects["MT3-Z-139"].section == "MT3"
    assert held.objects["Goal Stand 4-A-2"].zone == "finishline"
    assert len(best.objects) == 4 and best.next_to_each_other is True
    assert {d.zone for d in best.objectDetails.values()} == {"midtrack"}
    assert {d.status for d in best.objectDetails.values()} == {"reservedByToken"}
    assert len({(d.section, d.labels["parent"]["label"]) for d in best.objectDetails.values()}) == 1  # one row
    assert [best_booked.objectDetails[o].ticket_type for o in best_booked.objects] == ["adult", "child"]
    assert {d.zone for d in best_booked.objectDetails.values()} == {"finishline"}
    infos = client.events.retrieve_object_infos("race", [*best.objects, "Goal Stand 4-A-1"])
    assert {infos[o].hold_token for o in best.objects} == {token}
    assert infos["Goal Stand 4-A-1"].distance_to_focal_point is not None
    assert client.charts.retrieve("stadium").status == "PUBLISHED"
