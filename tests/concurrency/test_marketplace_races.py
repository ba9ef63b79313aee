"""Marketplaces race web buyers for the last seats on PostgreSQL, through the real services.

Six seats are left. 64 callers, released together, each go for one of them (about ten a seat): a third are
Order Integration holds, a third Instant Notification sales, a third web baskets. Each seat is won exactly
once (a hold, a confirmed sale or a basket); every other sale is pending, every other hold or basket hears
which item failed. Then the holds are invoiced and the baskets checked out concurrently: each seat ends in
exactly one order, and the status log replays (audit clean).
"""

from __future__ import annotations

from collections import Counter

from boxoffice.domain.errors import ItemError
from boxoffice.domain.marketplaces import MarketplaceHold, MarketplaceSale
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import baskets, marketplaces
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.inventory import book
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.concurrency.race import race, retrying
from tests.factories import make_marketplace, make_shop

THREADS = 64
LAST_SEATS = [f"C-{n}" for n in range(1, 7)]


def test_marketplace_holds_and_sales_and_web_baskets_fight_for_the_last_seats(pg_db: Database) -> None:
    db = pg_db
    shop = make_shop(db)
    ws = shop.workspace
    others = [
        i.label
        for i in object_infos(db, ws, shop.event_key)
        if i.object_type == "seat" and i.label[0] in "ABC" and i.label not in LAST_SEATS
    ]
    book(db, ws, [shop.event_key], others, order_id="earlier")
    oi = make_marketplace(db, shop, name="Ticket Evolution").marketplace
    ion = make_marketplace(db, shop, kind="instantNotification", name="StubHub").marketplace
    web_baskets = [baskets.open_basket(db, ws).id for _ in range(THREADS)]

    def go(i: int) -> tuple[str, str, object]:
        seat = LAST_SEATS[i % len(LAST_SEATS)]
        if i % 3 == 0:
            hold = retrying(lambda: marketplaces.place_hold(db, ws, oi, f"OI-{i}", shop.event_key, [seat]))
            return "hold", seat, hold
        if i % 3 == 1:
            sale = retrying(lambda: marketplaces.notify_sale(db, ws, ion, f"ION-{i}", shop.event_key, [seat], {}))
            return "sale", seat, sale
        request = TicketRequest(shop.event_key, seat, shop.adult)
        return "web", seat, retrying(lambda: baskets.add_tickets(db, ws, web_baskets[i], [request]))

    result = race(THREADS, go)

    assert result.unexpected((ItemError,)) == []
    winners: Counter[str] = Counter()
    pending = 0
    for outcome in result.successes:
        assert outcome.value is not None
        kind, seat, value = outcome.value
        if kind == "sale" and isinstance(value, MarketplaceSale) and value.status == "pending":
            pending += 1
            continue
        winners[seat] += 1
    assert winners == Counter(LAST_SEATS)  # each seat won exactly once, by whichever channel
    assert pending + len(result.failures) == THREADS - len(LAST_SEATS)

    def finish(i: int) -> object:
        won = result.outcomes[i].value
        assert won is not None
        kind, _seat, value = won
        if kind == "hold" and isinstance(value, MarketplaceHold):
            return retrying(lambda: marketplaces.invoice_hold(db, ws, oi, value.id, {"reference": f"B-{i}"}))
        if kind == "web":
            ann = CustomerDetails("Ann", "Smith", f"ann{i}@example.org")
            return retrying(lambda: checkout(db, ws, CheckoutRequest(web_baskets[i], PaymentRequest("pay_later"), ann)))
        return value

    to_finish = [o.index for o in result.successes]
    finished = race(len(to_finish), lambda j: finish(to_finish[j]))
    assert finished.failures == []
    infos = object_infos(db, ws, shop.event_key, LAST_SEATS)
    assert [i.status for i in infos] == [BOOKED] * len(LAST_SEATS)
    assert len({i.order_id for i in infos}) == len(LAST_SEATS)  # six seats, six different orders
    assert audit(db, event_key=shop.event_key).clean
