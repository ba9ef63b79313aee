from __future__ import annotations

import pytest

from boxoffice.domain.records import Channel
from boxoffice.services import channels, hold_tokens
from boxoffice.services.inventory import ObjectRequest, book, hold
from boxoffice.services.reports import report, summary
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_status_summary_counts_seats_and_ga_places(db: Database) -> None:
    ws, event = make_event(db)
    book(db, ws, [event.key], ["A-1", "A-2", ObjectRequest("GA", quantity=3)], order_id="o1")
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["B-1", ObjectRequest("GA", quantity=2)], token.token)
    counts = {status: bucket.count for status, bucket in summary(db, ws, event.key, "byStatus").items()}
    # 30 row seats + T1's 4 seats (per seat) + T2 as a whole (4 seats) = 38 places, plus 10 GA places
    assert counts == {"booked": 5, "reservedByToken": 3, "free": 40}
    booked = report(db, ws, event.key, "byOrderId", filter_value="o1")
    assert {"A-1", "A-2"} <= {i.label for i in booked["o1"]}


def test_reports_by_channel_and_category(db: Database) -> None:
    ws, event = make_event(db)
    channels.add_channels(db, ws, event.key, [Channel("vip", "VIP", objects=("A-1", "A-2"))])
    by_channel = report(db, ws, event.key, "byChannel")
    assert sorted(i.label for i in by_channel["vip"]) == ["A-1", "A-2"]
    by_category = summary(db, ws, event.key, "byCategoryKey")
    assert by_category["2"].count == 10


@pytest.mark.parametrize("zoned", [False, True], ids=["no zones", "seats in one zone"])
def test_summaries_counted_by_the_database_match_the_object_by_object_rules(
    db: Database, monkeypatch: pytest.MonkeyPatch, zoned: bool
) -> None:
    """A chart without tables is summarised by SQL GROUP BY; it must say exactly what the full rules say."""
    from datetime import timedelta

    from boxoffice.services import for_sale, reports
    from boxoffice.services.clock import utcnow
    from tests.factories import small_drawing

    drawing = small_drawing()
    drawing["subChart"]["tables"] = []
    if zoned:  # every seat in zone "stalls", the GA area in none: zones follow from sections
        drawing["zones"] = {"list": [{"key": "stalls", "label": "Stalls"}]}
        for row in drawing["subChart"]["rows"]:
            for drawn in row["seats"]:
                drawn["zone"] = "stalls"
    ws, event = make_event(db, drawing=drawing)
    channels.add_channels(db, ws, event.key, [Channel("vip", "VIP", objects=("A-1", "A-2", "C-9"))])
    for_sale.replace_for_sale(db, ws, event.key, for_sale=False, objects=["B-9", "B-10"])
    book(db, ws, [event.key], ["B-1", "B-2", ObjectRequest("GA", quantity=3)], order_id="o1")
    book(db, ws, [event.key], ["A-1"], order_id="o2", channel_keys=frozenset({"vip"}))
    token = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["C-1", "C-2", ObjectRequest("GA", quantity=2)], token.token)
    short = hold_tokens.create_hold_token(db, ws)
    hold(db, ws, [event.key], ["C-3"], short.token)
    later = utcnow() + timedelta(minutes=16)  # `short` and `token` have lapsed by then
    for moment in (None, later):
        for grouping in reports.SUMMARY_GROUPINGS:
            fast = summary(db, ws, event.key, grouping, now=moment)
            deep = reports.deep_summary(db, ws, event.key, grouping, now=moment)
            with monkeypatch.context() as m:
                m.setattr(reports, "_shape", lambda _layout: (True, None))
                assert fast == summary(db, ws, event.key, grouping, now=moment), grouping
                assert deep == reports.deep_summary(db, ws, event.key, grouping, now=moment), grouping
    by_zone = summary(db, ws, event.key, "bySection")["NO_SECTION"].by["byZone"]
    assert by_zone == ({"stalls": 30, "NO_ZONE": 10} if zoned else {"NO_ZONE": 40})
    # selectable: what a ticket buyer can pick (free and for sale), counted by the database too
    free = summary(db, ws, event.key, "byStatus")["free"]
    assert free.by["bySelectability"] == {"selectable": 22 + 5, "not_selectable": 2}  # B-9, B-10 off sale
