"""Event reports through the official SDK, checked value by value on a small known event.

The event (tests.factories.small_drawing, 2 rows of 4): A-1..A-4 (category 2 "Front"), B-1..B-4, table T1
booked per seat (T1-1..T1-4), table T2 booked as a whole (4 seats), GA area "GA" of 10 places (all category 1
"Stalls"). Bookable: 8 row seats, T1's 4 seats, T2, GA = 14 objects, 26 places. Then:
channel vip = A-1, A-2; A-3 booked (order o1, ticket type adult); GA 3 booked; B-1 and GA 2 held;
B-2 "mystatus"; T2 booked (order o2); B-4 not for sale.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from seatsio.events.objectProperties import ObjectProperties
from seatsio.exceptions import SeatsioException

from tests.api.seatsio.conftest import SeatsioCompany
from tests.factories import small_drawing

KEY = "show"
# a group seats.io lists though nothing is in it
EMPTY = {
    "count": 0,
    "bySection": {},
    "byStatus": {},
    "byCategoryKey": {},
    "byCategoryLabel": {},
    "bySelectability": {},
    "byAvailability": {},
    "byAvailabilityReason": {},
    "byChannel": {},
    "byObjectType": {},
    "byZone": {},
}


@pytest.fixture
def event(company: SeatsioCompany) -> SeatsioCompany:
    company.post_chart("hall", small_drawing(rows=2, seats_per_row=4))
    events = company.client.events
    events.create("hall", event_key=KEY)
    events.channels.add(KEY, "vip", "VIP", "#FF0000", 1, ["A-1", "A-2"])
    events.book(KEY, [ObjectProperties("A-3", ticket_type="adult"), ObjectProperties("GA", quantity=3)], order_id="o1")
    token = company.client.hold_tokens.create().hold_token
    events.hold(KEY, [ObjectProperties("B-1"), ObjectProperties("GA", quantity=2)], token)
    events.change_object_status(KEY, ["B-2"], "mystatus")
    events.book(KEY, ["T2"], order_id="o2")
    events.mark_as_not_for_sale(KEY, objects=["B-4"])
    return company


def _labels(report: Any, group: str) -> list[str]:
    return sorted(item.label for item in report.get(group))


def test_detailed_reports(event: SeatsioCompany) -> None:
    reports = event.client.events.reports
    by_status = reports.by_status(KEY)
    assert set(by_status.items) == {"free", "booked", "reservedByToken", "mystatus"}
    assert _labels(by_status, "booked") == ["A-3", "T2"]
    assert _labels(by_status, "reservedByToken") == ["B-1"]
    assert _labels(by_status, "mystatus") == ["B-2"]
    free = ["A-1", "A-2", "A-4", "B-3", "B-4", "GA", "T1-1", "T1-2", "T1-3", "T1-4"]
    assert _labels(by_status, "free") == free

    by_type = reports.by_object_type(KEY)
    assert {t: len(items) for t, items in by_type.items.items()} == {
        "seat": 12,
        "table": 1,
        "generalAdmission": 1,
        "booth": 0,
    }
    assert _labels(reports.by_channel(KEY), "vip") == ["A-1", "A-2"]
    assert len(reports.by_channel(KEY).get("NO_CHANNEL")) == 12
    by_order = reports.by_order_id(KEY)
    assert _labels(by_order, "o1") == ["A-3"] and _labels(by_order, "o2") == ["T2"]
    assert len(by_order.get("NO_ORDER_ID")) == 12
    by_category = reports.by_category_label(KEY)
    assert _labels(by_category, "Front") == ["A-1", "A-2", "A-3", "A-4"] and len(by_category.get("Stalls")) == 10
    assert len(reports.by_category_key(KEY).get("1")) == 10
    assert len(reports.by_section(KEY).get("NO_SECTION")) == 14
    assert len(reports.by_zone(KEY).get("NO_ZONE")) == 14
    by_availability = reports.by_availability(KEY)
    assert _labels(by_availability, "not_available") == ["A-3", "B-1", "B-2", "B-4", "T2"]
    assert len(by_availability.get("available")) == 9
    by_reason = reports.by_availability_reason(KEY)
    assert _labels(by_reason, "not_for_sale") == ["B-4"] and _labels(by_reason, "mystatus") == ["B-2"]
    assert len(by_reason.get("available")) == 9

    item = reports.by_label(KEY).get("A-3")[0]
    assert (item.status, item.order_id, item.ticket_type, item.category_key, item.category_label) == (
        "booked",
        "o1",
        "adult",
        "2",
        "Front",
    )
    assert item.is_available is False and item.channel is None and item.section is None
    assert reports.by_label(KEY).get("A-1")[0].channel == "vip"
    ga = reports.by_label(KEY).get("GA")[0]
    assert (ga.capacity, ga.num_booked, ga.num_held, ga.num_free, ga.object_type) == (10, 3, 2, 5, "generalAdmission")
    # some places booked and some held, places left: the area is "free", as seats.io reports it (its SDK's
    # tests/events/eventReportsTest.py, test_reportItemPropertiesForGA: 5 booked, 3 held of 100 -> "free")
    assert ga.status == "free" and event.client.events.retrieve_object_info(KEY, "GA").status == "free"
    assert reports.by_label(KEY).get("T2")[0].num_seats == 4
    # no seasons here: nothing's season status is overridden, and seats.io says so with a 0
    assert {i.season_status_overridden_quantity for i in (item, ga, reports.by_label(KEY).get("T2")[0])} == {0}


def test_one_group(event: SeatsioCompany) -> None:
    reports = event.client.events.reports
    assert sorted(i.label for i in reports.by_status(KEY, "booked")) == ["A-3", "T2"]
    assert reports.by_status(KEY, "nope") == []
    assert [i.label for i in reports.by_channel(KEY, "vip")] == ["A-1", "A-2"]
    assert [i.label for i in reports.by_label(KEY, "B-2")] == ["B-2"]
    assert len(reports.by_object_type(KEY, "seat")) == 12


def test_flat_list_and_csv(event: SeatsioCompany) -> None:
    reports = event.client.events.reports
    flat = reports.flat_list(KEY)
    labels = [i.label for i in flat]
    assert labels == sorted(labels) and len(labels) == 14 and "T1" not in labels and "T2-1" not in labels
    csv = reports.flat_list_csv(KEY).splitlines()
    assert csv[0].startswith("label,objectType,status,")
    assert len(csv) == 15 and any(line.startswith("A-3,seat,booked,2,Front,,,o1,") for line in csv)


def test_summaries_count_places(event: SeatsioCompany) -> None:
    reports = event.client.events.reports
    by_status = reports.summary_by_status(KEY)
    counts = {status: bucket["count"] for status, bucket in by_status.items()}
    assert counts == {"free": 14, "booked": 8, "reservedByToken": 3, "mystatus": 1}
    free = by_status["free"]
    assert free["byCategoryKey"] == {"2": 3, "1": 11}
    assert free["byCategoryLabel"] == {"Front": 3, "Stalls": 11}
    assert free["byChannel"] == {"vip": 2, "NO_CHANNEL": 12}
    assert free["byAvailability"] == {"available": 13, "not_available": 1}
    assert free["bySelectability"] == {"selectable": 13, "not_selectable": 1}  # B-4, not for sale
    assert free["byAvailabilityReason"] == {"available": 13, "not_for_sale": 1}
    assert free["byObjectType"] == {"seat": 9, "generalAdmission": 5}
    assert free["bySection"] == {"NO_SECTION": 14}
    assert "byStatus" not in free
    assert by_status["booked"]["byObjectType"] == {"seat": 1, "table": 4, "generalAdmission": 3}

    by_type = reports.summary_by_object_type(KEY)
    assert by_type["seat"]["count"] == 12
    assert by_type["seat"]["byStatus"] == {"free": 9, "booked": 1, "reservedByToken": 1, "mystatus": 1}
    assert by_type["generalAdmission"]["byStatus"] == {"free": 5, "booked": 3, "reservedByToken": 2}
    assert by_type["table"] == {
        "count": 4,
        "byStatus": {"booked": 4},
        "byCategoryKey": {"1": 4},
        "byCategoryLabel": {"Stalls": 4},
        "bySection": {"NO_SECTION": 4},
        "bySelectability": {"not_selectable": 4},
        "byAvailability": {"not_available": 4},
        "byAvailabilityReason": {"booked": 4},
        "byChannel": {"NO_CHANNEL": 4},
        "byZone": {"NO_ZONE": 4},
    }
    by_channel = reports.summary_by_channel(KEY)
    assert by_channel["vip"]["count"] == 2 and by_channel["NO_CHANNEL"]["count"] == 24
    by_availability = reports.summary_by_availability(KEY)
    assert by_availability["available"]["count"] == 13 and by_availability["not_available"]["count"] == 13
    by_reason = reports.summary_by_availability_reason(KEY)
    assert {r: b["count"] for r, b in by_reason.items()} == {
        "available": 13,
        "not_for_sale": 1,
        "booked": 8,
        "reservedByToken": 3,
        "mystatus": 1,
        "disabled_by_social_distancing": 0,  # listed, as seats.io lists every fixed reason
    }
    assert reports.summary_by_category_key(KEY)["1"]["byStatus"] == {
        "free": 11,
        "booked": 7,
        "reservedByToken": 3,
        "mystatus": 1,
    }
    assert reports.summary_by_category_label(KEY)["Front"]["count"] == 4
    by_zone = reports.summary_by_zone(KEY)
    assert by_zone["NO_ZONE"]["count"] == 26 and "byZone" not in by_zone["NO_ZONE"]


def test_deep_summaries(event: SeatsioCompany) -> None:
    reports = event.client.events.reports
    deep = reports.deep_summary_by_status(KEY)
    assert deep["booked"]["count"] == 8
    assert deep["booked"]["bySection"]["NO_SECTION"]["count"] == 8
    assert deep["booked"]["bySection"]["NO_SECTION"]["byAvailability"] == {"not_available": 8}
    assert deep["booked"]["byObjectType"]["generalAdmission"] == {
        "count": 3,
        "byCategoryKey": {"1": 3},
        "byCategoryLabel": {"Stalls": 3},
        "bySection": {"NO_SECTION": 3},
        "bySelectability": {"not_selectable": 3},
        "byAvailability": {"not_available": 3},
        "byAvailabilityReason": {"booked": 3},
        "byChannel": {"NO_CHANNEL": 3},
        "byZone": {"NO_ZONE": 3},
    }
    by_channel = reports.deep_summary_by_channel(KEY)
    assert by_channel["vip"]["byCategoryLabel"]["Front"]["count"] == 2
    assert by_channel["vip"]["byCategoryLabel"]["Front"]["byStatus"] == {"free": 2}
    assert reports.deep_summary_by_availability(KEY)["not_available"]["byCategoryLabel"]["Front"]["bySection"] == {
        "NO_SECTION": 1
    }
    assert deep["free"]["bySection"]["NO_SECTION"]["bySelectability"] == {"selectable": 13, "not_selectable": 1}
    by_key = reports.deep_summary_by_category_key(KEY)
    assert "byCategoryLabel" not in by_key["2"] and "byCategoryLabel" not in by_key["2"]["bySection"]["NO_SECTION"]
    assert by_key["2"]["bySection"]["NO_SECTION"]["bySelectability"] == {"selectable": 3, "not_selectable": 1}
    # the status's breakdown by category key has no category label in it either
    assert "byCategoryLabel" not in deep["free"]["byCategoryKey"]["1"]
    assert by_key["NO_CATEGORY"] == {k: v for k, v in EMPTY.items() if k not in ("byCategoryKey", "byCategoryLabel")}
    for kind in ("object_type", "category_key", "category_label", "section", "zone", "availability_reason"):
        deep_report = getattr(reports, f"deep_summary_by_{kind}")(KEY)
        assert sum(group["count"] for group in deep_report.values()) == 26, kind


def test_summaries_list_empty_groups_as_seatsio_does(event: SeatsioCompany) -> None:
    """Every object type, every category of the chart and NO_CATEGORY, every zone and NO_ZONE, and the
    fixed availability reasons are listed even when empty: count 0 and every breakdown {}. A category's key
    and label are one dimension: neither summary breaks down by the other."""
    reports = event.client.events.reports
    by_type = reports.summary_by_object_type(KEY)
    assert by_type["booth"] == {key: value for key, value in EMPTY.items() if key != "byObjectType"}

    by_key = reports.summary_by_category_key(KEY)
    assert set(by_key) == {"1", "2", "NO_CATEGORY"}
    assert by_key["NO_CATEGORY"] == {k: v for k, v in EMPTY.items() if k not in ("byCategoryKey", "byCategoryLabel")}
    assert by_key["2"] == {
        "count": 4,
        "bySection": {"NO_SECTION": 4},
        "byStatus": {"free": 3, "booked": 1},
        "bySelectability": {"selectable": 3, "not_selectable": 1},
        "byAvailability": {"available": 3, "not_available": 1},
        "byAvailabilityReason": {"available": 3, "booked": 1},
        "byChannel": {"vip": 2, "NO_CHANNEL": 2},
        "byObjectType": {"seat": 4},
        "byZone": {"NO_ZONE": 4},
    }
    by_label = reports.summary_by_category_label(KEY)
    assert set(by_label) == {"Stalls", "Front", "NO_CATEGORY"} and "byCategoryKey" not in by_label["Front"]

    by_reason = reports.summary_by_availability_reason(KEY)
    assert by_reason["disabled_by_social_distancing"] == {
        key: value for key, value in EMPTY.items() if key != "byAvailabilityReason"
    }
    assert by_reason["mystatus"]["bySelectability"] == {"not_selectable": 1}
    # statuses, availability and channels list what there is
    assert set(reports.summary_by_status(KEY)) == {"free", "booked", "reservedByToken", "mystatus"}
    assert set(reports.summary_by_channel(KEY)) == {"vip", "NO_CHANNEL"}
    assert set(reports.summary_by_zone(KEY)) == {"NO_ZONE"}


def test_empty_groups_of_zones_and_of_the_events_own_categories(company: SeatsioCompany) -> None:
    from seatsio.domain import Category

    drawing = small_drawing(rows=2, seats_per_row=4)
    drawing["zones"] = {"list": [{"key": "front", "label": "Front"}, {"key": "balcony", "label": "Balcony"}]}
    for row in drawing["subChart"]["rows"]:
        for drawn in row["seats"]:
            drawn["zone"] = "front"
    company.post_chart("zoned", drawing)
    events = company.client.events
    key = str(events.create("zoned", categories=[Category("boxes", "Boxes", "#0000ff")]).key)
    events.book(key, ["A-1"])
    reports = events.reports

    by_zone = reports.summary_by_zone(key)
    assert set(by_zone) == {"front", "balcony", "NO_ZONE"}
    assert by_zone["front"]["count"] == 8 and "byZone" not in by_zone["front"]
    assert by_zone["front"]["bySelectability"] == {"selectable": 7, "not_selectable": 1}
    assert by_zone["balcony"] == {k: v for k, v in EMPTY.items() if k != "byZone"}
    assert by_zone["NO_ZONE"]["count"] == 4 + 4 + 10  # T1's seats, T2, the GA area
    assert reports.summary_by_category_key(key)["boxes"]["count"] == 0
    assert reports.summary_by_category_label(key)["Boxes"]["byStatus"] == {}
    deep = reports.deep_summary_by_zone(key)
    assert deep["balcony"]["count"] == 0 and deep["balcony"]["byCategoryLabel"] == {}
    assert deep["front"]["byCategoryLabel"]["Front"]["bySelectability"] == {"selectable": 3, "not_selectable": 1}


def test_sections(company: SeatsioCompany, shared_charts: Path) -> None:
    company.post_chart("sections", json.loads((shared_charts / "sampleChartWithSections.json").read_text()))
    events = company.client.events
    key = str(events.create("sections").key)
    events.book(key, ["Section A-A-1"])
    reports = events.reports
    summary = reports.summary_by_section(key)
    assert summary["Section A"]["count"] == 36 and summary["Section B"]["count"] == 35
    assert summary["Section A"]["byStatus"] == {"free": 35, "booked": 1}
    assert summary["Section A"]["byCategoryKey"] == {"1": 36}
    assert summary["Section B"]["byCategoryLabel"] == {"cat2": 35}
    assert len(reports.by_section(key, "Section B")) == 35
    item = reports.by_section(key).get("Section A")[0]
    assert item.section == "Section A" and item.labels["section"] == "Section A"
    deep = reports.deep_summary_by_section(key)
    assert deep["Section A"]["byCategoryLabel"]["cat1"]["byStatus"] == {"free": 35, "booked": 1}
    assert reports.summary_by_status(key)["booked"]["bySection"] == {"Section A": 1}
    assert summary["Section A"]["byZone"] == {"NO_ZONE": 36}  # every summary breaks down by zone too
    assert reports.summary_by_status(key)["booked"]["byZone"] == {"NO_ZONE": 1}


def test_tables_booked_by_table_keep_the_drawings_book_as_a_whole(company: SeatsioCompany) -> None:
    from seatsio import TableBookingConfig

    company.post_chart("hall", small_drawing(rows=1, seats_per_row=2))
    events = company.client.events
    key = str(events.create("hall", table_booking_config=TableBookingConfig.all_by_table()).key)

    by_label = events.reports.by_label(key)

    t1, t2 = by_label.get("T1")[0], by_label.get("T2")[0]
    assert (t1.num_seats, t1.book_as_a_whole) == (4, False)  # drawn per seat, sold whole by this event
    assert (t2.num_seats, t2.book_as_a_whole) == (4, True)
    assert by_label.get("T1-1") is None  # the event sells the table, not its seats


def test_errors(event: SeatsioCompany) -> None:
    with pytest.raises(SeatsioException) as missing:
        event.client.events.reports.by_status("nope")
    assert (missing.value.errors or [{}])[0]["code"] == "EVENT_NOT_FOUND"
    auth = (event.secret_key, "")
    # bySelectability is a breakdown of every summary, not a report type of its own
    for path in ("byPrice", "byLabel/summary", "byPrice/summary/deep", "bySelectability/summary"):
        response = httpx.get(f"{event.base_url}/reports/events/{KEY}/{path}", auth=auth)
        assert response.status_code == 400 and response.json()["errors"][0]["code"] == "INVALID_INPUT", path
    assert httpx.get(f"{event.base_url}/reports/events/{KEY}").status_code == 401
