"""64 web baskets fight for the last places on PostgreSQL, through the basket and checkout services.

Six reserved seats and five general-admission places are left. 64 baskets, released together, each try to
add one seat (ten or so per seat); then 64 more each try to add one GA place. Exactly the places that were
left are won, no seat is in two baskets, the GA area never goes over capacity, every winner checks out
(concurrently) into a booking, every loser hears which item failed, and the status log replays (audit clean).
A caller that meets a lock it could not get in time (Busy, the API's 409 + Retry-After) retries, as a client does.
"""

from __future__ import annotations

from collections import Counter

from boxoffice.domain.baskets import Basket, Order
from boxoffice.domain.errors import ItemError
from boxoffice.domain.statuses import BOOKED
from boxoffice.services import baskets
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.inventory import ObjectRequest, book
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.concurrency.race import race, retrying
from tests.factories import make_shop

THREADS = 64
LAST_SEATS = [f"B-{n}" for n in range(1, 7)]
GA_CAPACITY = 10
GA_LEFT = 5


def test_64_baskets_fight_for_the_last_seats_and_ga_places(pg_db: Database) -> None:
    db = pg_db
    shop = make_shop(db, ga_capacity=GA_CAPACITY)
    ws = shop.workspace
    sold = [i.label for i in object_infos(db, ws, shop.event_key) if i.object_type == "seat" and "-" in i.label]
    sold = [label for label in sold if label not in LAST_SEATS and not label.startswith("T")]
    book(db, ws, [shop.event_key], sold, order_id="earlier")
    book(db, ws, [shop.event_key], [ObjectRequest("GA", quantity=GA_CAPACITY - GA_LEFT)], order_id="earlier")
    seat_baskets = [baskets.open_basket(db, ws).id for _ in range(THREADS)]
    ga_baskets = [baskets.open_basket(db, ws).id for _ in range(THREADS)]

    def want_seat(i: int) -> Basket:
        request = TicketRequest(shop.event_key, LAST_SEATS[i % len(LAST_SEATS)], shop.adult)
        return retrying(lambda: baskets.add_tickets(db, ws, seat_baskets[i], [request]))

    def want_ga(i: int) -> Basket:
        request = TicketRequest(shop.event_key, "GA", shop.child)
        return retrying(lambda: baskets.add_tickets(db, ws, ga_baskets[i], [request]))

    seats = race(THREADS, want_seat)
    places = race(THREADS, want_ga)

    for result, available in ((seats, len(LAST_SEATS)), (places, GA_LEFT)):
        assert [f"{o.index}: {o.error!r}" for o in result.failures if not isinstance(o.error, ItemError)] == []
        assert all(isinstance(o.error, ItemError) and o.error.index == 0 for o in result.failures)
        assert len(result.successes) == available
    won = Counter(t.label for o in seats.successes if o.value is not None for t in o.value.tickets)
    assert won == Counter(LAST_SEATS)  # each of the six seats in exactly one basket
    area = object_infos(db, ws, shop.event_key, ["GA"])[0]
    assert (area.num_held, area.num_booked, area.num_free) == (GA_LEFT, GA_CAPACITY - GA_LEFT, 0)

    winners = [seat_baskets[o.index] for o in seats.successes] + [ga_baskets[o.index] for o in places.successes]
    pay = PaymentRequest("pay_later")

    def check_out(i: int) -> Order:
        buyer = CustomerDetails("Buyer", str(i), f"buyer{i}@example.org")
        return retrying(lambda: checkout(db, ws, CheckoutRequest(winners[i], pay, buyer, idempotency_key=f"k{i}")))

    orders = race(len(winners), check_out)
    assert [repr(o.error) for o in orders.failures] == []
    infos = {i.label: i for i in object_infos(db, ws, shop.event_key, [*LAST_SEATS, "GA"])}
    order_ids = {o.value.id for o in orders.successes if o.value is not None}
    assert len(order_ids) == len(winners)
    assert all(infos[s].status == BOOKED and infos[s].order_id in order_ids for s in LAST_SEATS)
    assert len({infos[s].order_id for s in LAST_SEATS}) == len(LAST_SEATS)
    assert (infos["GA"].num_booked, infos["GA"].num_held) == (GA_CAPACITY, 0)
    report = audit(db, workspace_id=ws.id)
    assert report.clean, report.problems
