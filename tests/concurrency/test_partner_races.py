"""Partners race for one row and for their own quotes on PostgreSQL, through the real services.

32 quote requests for 2 seats each go for row B (10 seats) at once: the quotes that are made hold disjoint
seats (at most 5 quotes), every other request hears SEATS_UNAVAILABLE. Then every quote is turned into an
order by three callers at once: each quote becomes exactly one order, and the status log replays."""

from __future__ import annotations

from collections import Counter

from boxoffice.domain.partners import QuoteAlreadyOrdered, SeatsUnavailable
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import partners
from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.concurrency.race import race, retrying
from tests.factories import make_partner, make_shop


def test_quotes_for_one_row_hold_disjoint_seats_and_each_becomes_one_order(pg_db: Database) -> None:
    db = pg_db
    shop = make_shop(db)
    ws = shop.workspace
    partner = make_partner(db, shop).partner

    quotes = race(32, lambda i: retrying(lambda: partners.create_quote(db, ws, partner, shop.event_key, "B", 2)))

    assert quotes.unexpected((SeatsUnavailable,)) == []
    made = [o.value for o in quotes.successes if o.value is not None]
    held = Counter(label for q in made for label in q.labels)
    assert held and max(held.values()) == 1  # no seat in two quotes
    assert 1 <= len(made) <= 5

    calls = [(q, n) for q in made for n in range(3)]
    orders = race(len(calls), lambda j: retrying(lambda: partners.create_order(db, ws, partner, calls[j][0].id)))
    assert orders.unexpected((QuoteAlreadyOrdered,)) == []
    placed = Counter(calls[o.index][0].id for o in orders.successes)
    assert placed == Counter({q.id: 1 for q in made})  # each quote exactly one order
    infos = object_infos(db, ws, shop.event_key, sorted(held))
    assert all(i.status == BOOKED for i in infos)
    assert audit(db, event_key=shop.event_key).clean
