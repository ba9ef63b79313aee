"""Resale of booked tickets: listed at the seller's price, bought through a basket at that price (the seller's
ticket resold, its payout recorded, in the buyer's order's transaction), or withdrawn back to the seller."""

from __future__ import annotations

import pytest

from boxoffice.domain.errors import Conflict, InvalidInput, ItemError
from boxoffice.domain.resale import NotListable
from boxoffice.domain.statuses import BOOKED, RESALE
from boxoffice.services import baskets, orders, resale
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, make_shop

CARD = PaymentRequest("test_card", card_number="4242 4242 4242 4242")


def buy(db: Database, shop: ShopFixture, labels: list[str], email: str) -> str:
    basket = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, x, shop.adult) for x in labels])
    order = checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, CustomerDetails("A", "B", email)))
    return order.id


def seat(db: Database, shop: ShopFixture, label: str) -> tuple[str, str | None]:
    info = object_infos(db, shop.workspace, shop.event_key, [label])[0]
    return info.status, info.order_id


def test_a_listed_ticket_is_bought_at_its_price_and_the_seller_is_paid(db: Database) -> None:
    shop = make_shop(db)
    seller = orders.get_order(db, shop.workspace, buy(db, shop, ["A-1", "A-2"], "seller@example.org"))
    ticket = seller.tickets[0]
    listing = resale.list_ticket(db, shop.workspace, seller.id, ticket.id, 4500, fee=500)
    assert (listing.status, listing.payout, listing.label) == ("listed", 4000, "A-1")
    assert seat(db, shop, "A-1") == (RESALE, seller.id)

    basket = baskets.open_basket(db, shop.workspace)
    held = baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    line = held.tickets[0]
    assert (line.price, line.fees, line.resale_listing_id) == (4500, 0, listing.id)
    with pytest.raises(Conflict):  # held by a buyer: no longer withdrawable
        resale.withdraw(db, shop.workspace, listing.id)
    buyer = checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, CustomerDetails("C", "D", "buyer@x.org")))
    assert buyer.total == 4500 and seat(db, shop, "A-1") == (BOOKED, buyer.id)
    sold = resale.get_listing(db, shop.workspace, listing.id)
    assert (sold.status, sold.buyer_order_id, sold.payout) == ("sold", buyer.id, 4000)
    after = orders.get_order(db, shop.workspace, seller.id)
    assert [t.status for t in after.tickets] == ["resold", "valid"]
    # the seller's resold ticket cannot be listed again, returned or cancelled back onto the buyer's seat
    with pytest.raises(NotListable):
        resale.list_ticket(db, shop.workspace, seller.id, ticket.id, 4000)
    orders.cancel_order(db, shop.workspace, seller.id)
    assert seat(db, shop, "A-1") == (BOOKED, buyer.id) and seat(db, shop, "A-2")[0] == "free"
    assert audit(db).clean


def test_a_withdrawn_listing_gives_the_seat_back_to_its_seller(db: Database) -> None:
    shop = make_shop(db)
    seller = orders.get_order(db, shop.workspace, buy(db, shop, ["B-1"], "seller@example.org"))
    listing = resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[0].id, 3000)
    with pytest.raises(NotListable):
        resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[0].id, 3000)  # listed already
    withdrawn = resale.withdraw(db, shop.workspace, listing.id)
    assert withdrawn.status == "withdrawn" and seat(db, shop, "B-1") == (BOOKED, seller.id)
    with pytest.raises(Conflict):
        resale.withdraw(db, shop.workspace, listing.id)
    # a web buyer now meets a booked seat; the seller may list it again
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError):
        baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "B-1", shop.adult)])
    again = resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[0].id, 2000)
    assert [x.id for x in resale.search(db, shop.workspace, status="listed")] == [again.id]
    assert audit(db).clean


def test_what_cannot_be_listed_is_refused_and_changes_nothing(db: Database) -> None:
    shop = make_shop(db)
    seller = orders.get_order(db, shop.workspace, buy(db, shop, ["C-1", "C-2"], "seller@example.org"))
    for price, fee in ((0, 0), (-5, 0), (100, 101), (100, -1)):
        with pytest.raises(InvalidInput):
            resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[0].id, price, fee=fee)
    with pytest.raises(NotListable):
        resale.list_ticket(db, shop.workspace, seller.id, "no-such-ticket", 100)
    orders.return_tickets(db, shop.workspace, seller.id, [seller.tickets[1].id])
    with pytest.raises(NotListable):
        resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[1].id, 100)
    assert seat(db, shop, "C-1") == (BOOKED, seller.id) and resale.search(db, shop.workspace) == []


def test_a_listed_ticket_is_not_returned_and_a_resold_one_is_not_refunded(db: Database) -> None:
    shop = make_shop(db)
    seller = orders.get_order(db, shop.workspace, buy(db, shop, ["A-5", "A-6"], "seller@example.org"))
    listing = resale.list_ticket(db, shop.workspace, seller.id, seller.tickets[0].id, 5000)
    with pytest.raises(Conflict, match="resale"):
        orders.return_tickets(db, shop.workspace, seller.id, [seller.tickets[0].id])
    with pytest.raises(Conflict, match="resale"):
        orders.cancel_order(db, shop.workspace, seller.id)
    assert seat(db, shop, "A-5") == (RESALE, seller.id)
    buyer_id = buy(db, shop, ["A-5"], "buyer@example.org")
    assert resale.get_listing(db, shop.workspace, listing.id).buyer_order_id == buyer_id
    cancelled = orders.cancel_order(db, shop.workspace, seller.id)
    assert cancelled.refunded == seller.total - (seller.tickets[0].price + seller.tickets[0].fees)
    assert seat(db, shop, "A-5") == (BOOKED, buyer_id) and seat(db, shop, "A-6")[0] == "free"
    assert audit(db).clean
