from __future__ import annotations

import pytest

from boxoffice.domain.errors import BasketConsumed, BasketEmpty, Conflict, InvalidInput, PaymentDeclined
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import baskets, catalogue, orders
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, IdempotencyMismatch, checkout
from boxoffice.services.customers import CustomerDetails
from boxoffice.services.payments import PaymentRequest
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, make_shop

CARD = PaymentRequest("test_card", card_number="4242 4242 4242 4242")
ANN = CustomerDetails("Ann", "Smith", "ann@example.org", {"city": "Leeds"})


def full_basket(db: Database, shop: ShopFixture) -> str:
    basket = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(
        db,
        shop.workspace,
        basket.id,
        [
            TicketRequest(shop.event_key, "A-1", shop.adult, {"Dietary requirements": "none"}),
            TicketRequest(shop.event_key, "GA", shop.child),
        ],
    )
    baskets.add_donation(db, shop.workspace, basket.id, shop.fund_id, 1000)
    baskets.add_merchandise(db, shop.workspace, basket.id, shop.stock_item_id, quantity=2)
    baskets.add_membership(db, shop.workspace, basket.id, shop.membership_id)
    baskets.set_order_attributes(db, shop.workspace, basket.id, {"Access needs": "step-free"})
    return basket.id


def test_checkout_books_every_hold_and_makes_one_order(db: Database) -> None:
    shop = make_shop(db)
    basket_id = full_basket(db, shop)
    order = checkout(db, shop.workspace, CheckoutRequest(basket_id, CARD, ANN))
    assert order.total == 3100 + 1600 + 1000 + 1000 + 6000
    assert [t.label for t in order.tickets] == ["A-1", "GA"] and all(len(t.barcode) == 16 for t in order.tickets)
    assert order.payments[0].status == "paid" and order.attributes == {"Access needs": "step-free"}
    infos = {i.label: i for i in object_infos(db, shop.workspace, shop.event_key, ["A-1", "GA"])}
    assert infos["A-1"].status == BOOKED and infos["A-1"].order_id == order.id
    assert infos["GA"].num_booked == 1 and infos["GA"].num_held == 0
    stock = next(s for s in catalogue.list_stock_items(db, shop.workspace) if s.id == shop.stock_item_id)
    assert stock.stock_level == 3
    with pytest.raises(BasketConsumed):
        checkout(db, shop.workspace, CheckoutRequest(basket_id, CARD, ANN))
    assert audit(db).clean


def test_the_same_idempotency_key_returns_the_same_order(db: Database) -> None:
    shop = make_shop(db)
    basket_id = full_basket(db, shop)
    first = checkout(db, shop.workspace, CheckoutRequest(basket_id, CARD, ANN, idempotency_key="k1"))
    again = checkout(db, shop.workspace, CheckoutRequest(basket_id, CARD, ANN, idempotency_key="k1"))
    assert again.id == first.id and again.reference == first.reference
    other = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, other.id, [TicketRequest(shop.event_key, "B-1", shop.adult)])
    with pytest.raises(IdempotencyMismatch):
        checkout(db, shop.workspace, CheckoutRequest(other.id, CARD, ANN, idempotency_key="k1"))


def test_a_declined_card_leaves_the_basket_as_it_was(db: Database) -> None:
    shop = make_shop(db)
    basket_id = full_basket(db, shop)
    with pytest.raises(PaymentDeclined):
        checkout(db, shop.workspace, CheckoutRequest(basket_id, PaymentRequest("test_card", "4000000000000002"), ANN))
    with pytest.raises(InvalidInput):
        checkout(db, shop.workspace, CheckoutRequest(basket_id, PaymentRequest("test_card", "1234"), ANN))
    basket = baskets.get_basket(db, shop.workspace, basket_id)
    assert basket.status == "open" and len(basket.tickets) == 2
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"])[0].status == HELD
    order = checkout(db, shop.workspace, CheckoutRequest(basket_id, PaymentRequest("pay_later"), ANN))
    assert order.payments[0].status == "pending"


def test_empty_basket_and_missing_customer_are_refused(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(BasketEmpty):
        checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, ANN))
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    with pytest.raises(InvalidInput):
        checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD))
    assert baskets.get_basket(db, shop.workspace, basket.id).status == "open"


def test_a_member_cannot_buy_the_same_membership_again(db: Database) -> None:
    shop = make_shop(db)
    first = baskets.open_basket(db, shop.workspace)
    baskets.add_membership(db, shop.workspace, first.id, shop.membership_id)
    order = checkout(db, shop.workspace, CheckoutRequest(first.id, CARD, ANN))
    second = baskets.open_basket(db, shop.workspace)
    baskets.add_membership(db, shop.workspace, second.id, shop.membership_id)
    with pytest.raises(Conflict):
        checkout(db, shop.workspace, CheckoutRequest(second.id, CARD, ANN))  # same customer, by email
    assert order.customer_id is not None


def test_cancel_and_return_free_the_seats_at_once(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(
        db,
        shop.workspace,
        basket.id,
        [
            TicketRequest(shop.event_key, "A-1", shop.adult),
            TicketRequest(shop.event_key, "A-2", shop.adult),
            TicketRequest(shop.event_key, "GA", shop.adult),
        ],
    )
    order = checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, ANN))
    returned = orders.return_tickets(db, shop.workspace, order.id, [order.tickets[0].id])
    assert returned.refunded == 3100 and returned.status == "confirmed"
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"])[0].status == FREE
    cancelled = orders.cancel_order(db, shop.workspace, order.id)
    assert cancelled.status == "cancelled" and cancelled.refunded == order.total
    infos = {i.label: i for i in object_infos(db, shop.workspace, shop.event_key, ["A-2", "GA"])}
    assert infos["A-2"].status == FREE and infos["GA"].num_booked == 0
    found = orders.search_orders(db, shop.workspace, barcode=order.tickets[1].barcode)
    assert [o.id for o in found] == [order.id]
    assert orders.search_orders(db, shop.workspace, event_key=shop.event_key)[0].id == order.id
    assert audit(db).clean


def test_the_order_checkout_answers_is_the_order_it_stored(db: Database) -> None:
    shop = make_shop(db)
    basket_id = full_basket(db, shop)
    answered = checkout(db, shop.workspace, CheckoutRequest(basket_id, CARD, ANN, idempotency_key="k1"))
    assert answered == orders.get_order(db, shop.workspace, answered.id)
