from __future__ import annotations

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
