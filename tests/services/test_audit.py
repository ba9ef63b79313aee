"""The audit on channels' shares of GA areas: an area and its shares are bounded together, a share given
back must leave nothing taken in the log, and the area's count of places moved out must match its shares."""

from __future__ import annotations

from sqlalchemy import delete, update

from boxoffice.domain.records import Channel
from boxoffice.services import channels
from boxoffice.services.audit import audit
from boxoffice.services.inventory import ObjectRequest, book
from boxoffice.storage.tables import event_objects
from boxoffice.storage.uow import Database
from tests.factories import make_event


def _tamper(db: Database, statement: object) -> None:
    with db.write() as uow:
        uow.connection.execute(statement)  # type: ignore[call-overload]
        uow.commit()


def test_an_area_with_its_shares_is_clean(db: Database) -> None:
    ws, _ = make_event(db, key="e")
    channels.add_channels(db, ws, "e", [Channel("vip", "VIP", area_places=(("GA", 4),))])
    book(db, ws, ["e"], [ObjectRequest("GA", quantity=6), ObjectRequest("GA##vip", quantity=4)], channel_keys=("vip",))
    report = audit(db, event_key="e")
    assert report.clean, report.problems


def test_places_moved_out_that_no_share_holds_are_reported(db: Database) -> None:
    ws, _ = make_event(db, key="e")
    channels.add_channels(db, ws, "e", [Channel("vip", "VIP", area_places=(("GA", 4),))])
    _tamper(db, update(event_objects).where(event_objects.c.label == "GA").values(places_in_channels=0))
    book(db, ws, ["e"], [ObjectRequest("GA", quantity=10)])  # the area now sells the share's places again
    problems = audit(db, event_key="e").problems
    assert any("counts 0 places in channels, its shares hold 4" in p for p in problems), problems
    assert not any("over capacity" in p for p in problems)  # taken places alone are within 10 ...
    _tamper(db, update(event_objects).where(event_objects.c.label == "GA").values(places_in_channels=4))
    problems = audit(db, event_key="e").problems
    assert any("holds more places than its capacity" in p for p in problems), problems  # ... 10 + 4 are not


def test_a_share_gone_with_places_taken_is_reported(db: Database) -> None:
    ws, _ = make_event(db, key="e")
    channels.add_channels(db, ws, "e", [Channel("vip", "VIP", area_places=(("GA", 4),))])
    book(db, ws, ["e"], [ObjectRequest("GA##vip", quantity=2)], channel_keys=("vip",))
    _tamper(db, delete(event_objects).where(event_objects.c.label == "GA##vip"))
    problems = audit(db, event_key="e").problems
    assert any("GA##vip, a share given back, still replays to" in p for p in problems), problems
    assert not any("unknown object" in p for p in problems)  # its entries count with GA
