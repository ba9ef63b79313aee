from __future__ import annotations

from datetime import timedelta

from boxoffice.domain.statuses import FREE, HELD, RESALE
from boxoffice.jobs.holds import expire
from boxoffice.services import hold_tokens
from boxoffice.services.audit import audit
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import ObjectRequest, book, hold, put_up_for_resale
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_expire_tidies_lapsed_holds_back_to_where_they_came_from(db: Database) -> None:
    ws, event = make_event(db)
    now = utcnow()
    book(db, ws, [event.key], ["B-1"])
    put_up_for_resale(db, ws, [event.key], ["B-1"])
    token = hold_tokens.create_hold_token(db, ws, 1, now=now)
    keep = hold_tokens.create_hold_token(db, ws, 30, now=now)
    hold(db, ws, [event.key], ["A-1", "B-1", ObjectRequest("GA", quantity=4)], token.token)
    hold(db, ws, [event.key], ["A-2"], keep.token)
    assert expire(db, now=now) == 0
    later = now + timedelta(minutes=5)
    assert expire(db, now=later) == 3
    infos = {i.label: i for i in object_infos(db, ws, event.key, ["A-1", "A-2", "B-1", "GA"], now=later)}
    assert infos["A-1"].status == FREE and infos["B-1"].status == RESALE and infos["A-2"].status == HELD
    assert infos["GA"].num_held == 0
    assert expire(db, now=later) == 0
    assert audit(db).clean
