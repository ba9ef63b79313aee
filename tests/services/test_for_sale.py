"""An event's for-sale config changes at most 10 times a day (seats.io's limit): every kind of change
counts, each event on its own, and the count starts again at midnight UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.domain.errors import RateLimited
from boxoffice.services import for_sale
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
