"""Buyers race for one resale seat while its seller withdraws it, on PostgreSQL, through the real services.

For each of five listed seats, twelve web baskets try to add it and the seller withdraws it, released
together. Each seat ends either with its seller (withdrawn, no basket holds it) or in exactly one basket;
the baskets then check out at once: each resale seat is in at most one order, the listing says which, the
seller's ticket is resold exactly when it was bought, and the status log replays."""

from __future__ import annotations

from collections import Counter

from boxoffice.domain.errors import Conflict, ItemError
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import baskets, orders, resale
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.concurrency.race import race, retrying
from tests.factories import make_shop

SEATS = [f"B-{n}" for n in range(1, 6)]
BUYERS_PER_SEAT = 12
PAY = PaymentRequest("pay_later")


def test_buyers_and_the_seller_race_for_resale_seats(pg_db: Database) -> None:
    db = pg_db
    shop = make_shop(db)
    ws = shop.workspace
    first = baskets.open_basket(db, ws)
    baskets.add_tickets(db, ws, first.id, [TicketRequest(shop.event_key, s, shop.adult) for s in SEATS])
    seller = checkout(db, ws, CheckoutRequest(first.id, PAY, CustomerDetails("S", "Eller", "seller@x.org")))
    listings = {t.label: resale.list_ticket(db, ws, seller.id, t.id, 3300) for t in seller.tickets}
    callers = [(seat, n) for seat in SEATS for n in range(BUYERS_PER_SEAT + 1)]  # n == 0: the seller withdraws
    carts = [baskets.open_basket(db, ws).id for _ in callers]

    def go(i: int) -> str:
        seat, n = callers[i]
        if n == 0:
            retrying(lambda: resale.withdraw(db, ws, listings[seat].id))
            return "withdrawn"
        retrying(lambda: baskets.add_tickets(db, ws, carts[i], [TicketRequest(shop.event_key, seat, shop.adult)]))
        return "held"

    result = race(len(callers), go)
    assert result.unexpected((ItemError, Conflict)) == []
    outcomes = Counter((callers[o.index][0], o.value) for o in result.successes)
    for seat in SEATS:  # each seat: the seller's again, or one buyer's basket
        assert outcomes[(seat, "withdrawn")] + outcomes[(seat, "held")] == 1, outcomes

    holders = [o.index for o in result.successes if o.value == "held"]
    paid = race(
        len(holders),
        lambda j: retrying(
            lambda: checkout(db, ws, CheckoutRequest(carts[holders[j]], PAY, CustomerDetails(email=f"b{j}@x.org")))
        ),
    )
    assert paid.failures == []
    bought = {callers[holders[j]][0]: o.value.id for j, o in enumerate(paid.outcomes) if o.value is not None}
    infos = {i.label: i for i in object_infos(db, ws, shop.event_key, SEATS)}
    after = {t.label: t.status for t in orders.get_order(db, ws, seller.id).tickets}
    for seat in SEATS:
        listing = resale.get_listing(db, ws, listings[seat].id)
        assert infos[seat].status == BOOKED
        if seat in bought:
            assert (infos[seat].order_id, listing.status, listing.buyer_order_id) == (
                bought[seat],
                "sold",
                bought[seat],
            )
            assert after[seat] == "resold"
        else:
            assert (infos[seat].order_id, listing.status, after[seat]) == (seller.id, "withdrawn", "valid")
    assert audit(db, event_key=shop.event_key).clean
