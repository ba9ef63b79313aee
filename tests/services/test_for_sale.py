"""An event's for-sale config changes at most 10 times a day (seats.io's limit): every kind of change
counts, each event on its own, and the count starts again at midnight UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.domain.errors import EventNotFound, RateLimited
from boxoffice.domain.for_sale import ForSaleConfig
from boxoffice.services import for_sale
from boxoffice.services.events import get_event
from boxoffice.storage.uow import Database
from tests.factories import make_event


def test_ten_changes_a_day_of_any_kind_then_429_until_midnight(db: Database) -> None:
    ws, event = make_event(db)
    _, other = make_event(db, ws)
    now = datetime.now(UTC).replace(hour=20, minute=0, second=0, microsecond=0) - timedelta(days=1)

    left = []
    for n in range(10):
        written = for_sale.edit_for_sale(db, ws, event.key, not_for_sale=[(f"A-{n + 1}", None)], now=now)
        left.append(written.changes_left.remaining)
    assert left == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]
    assert written.changes_left.reset_at == now.replace(hour=0) + timedelta(days=1)

    with pytest.raises(RateLimited) as refused:
        for_sale.edit_for_sale(db, ws, event.key, not_for_sale=[("B-1", None)], now=now)
    assert refused.value.retry_after == 4 * 3600
    assert written.config is not None and "B-1" not in written.config.objects  # the refused change did nothing
    assert for_sale.edit_for_sale(db, ws, other.key, now=now).changes_left.remaining == 9  # each event its own

    tomorrow = now + timedelta(hours=4)
    assert for_sale.edit_for_sale(db, ws, event.key, now=tomorrow).changes_left.remaining == 9


def test_replacing_and_marking_everything_count_too(db: Database) -> None:
    ws, event = make_event(db)
    assert for_sale.replace_for_sale(db, ws, event.key, for_sale=False, objects=["A-1"]).remaining == 9
    assert for_sale.mark_everything(db, ws, event.key, for_sale=False).remaining == 8
    assert for_sale.mark_everything(db, ws, event.key, for_sale=True).remaining == 7
    assert for_sale.replace_for_sale(db, ws, event.key, for_sale=True, per_day=4).remaining == 0
    with pytest.raises(RateLimited):
        for_sale.mark_everything(db, ws, event.key, for_sale=True, per_day=4)


def test_an_edit_of_several_events_changes_all_of_them_or_none(db: Database) -> None:
    ws, first = make_event(db)
    _, second = make_event(db, ws)
    off = {first.key: ((), [("A-1", None)]), second.key: ((), [("A-2", None)])}

    with pytest.raises(EventNotFound):  # an unknown event: found before anything changes
        for_sale.edit_for_sale_of_events(db, ws, {**off, "nope": ((), [("A-3", None)])})
    for_sale.replace_for_sale(db, ws, second.key, for_sale=True, objects=["A-9"], per_day=2)
    with pytest.raises(RateLimited):  # the second event's last change of the day was just used
        for_sale.edit_for_sale_of_events(db, ws, off, per_day=1)
    assert for_sale.config_of(get_event(db, ws, first.key)) is None  # the first one was not kept either

    written = for_sale.edit_for_sale_of_events(db, ws, off, per_day=2)
    assert list(written) == [first.key, second.key]
    assert for_sale.config_of(get_event(db, ws, first.key)) == ForSaleConfig.of(False, ["A-1"])
    assert written[second.key].changes_left.remaining == 0
