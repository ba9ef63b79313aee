from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.errors import (
    AlreadyMember,
    BasketEmpty,
    InvalidInput,
    ItemError,
    NotOnSale,
    OutOfStock,
)
from boxoffice.domain.statuses import FREE, HELD
from boxoffice.services import baskets, catalogue
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import book
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import make_shop, recorded_queries


def test_tickets_are_priced_holds_under_the_basket_token(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    basket = baskets.add_tickets(
        db,
        shop.workspace,
        basket.id,
        [
            TicketRequest(shop.event_key, "A-1", shop.adult),
            TicketRequest(shop.event_key, "B-1", shop.child),
            TicketRequest(shop.event_key, "GA", shop.adult),
            TicketRequest(shop.event_key, "GA", shop.adult),
        ],
    )
    assert [(t.label, t.price, t.fees) for t in basket.tickets] == [
        ("A-1", 3000, 100),
        ("B-1", 1500, 100),
        ("GA", 2500, 100),
        ("GA", 2500, 100),
    ]
    assert basket.total == 9900
    infos = {i.label: i for i in object_infos(db, shop.workspace, shop.event_key, ["A-1", "B-1", "GA"])}
    assert infos["A-1"].status == HELD and infos["A-1"].hold_token == basket.hold_token
    assert infos["GA"].num_held == 2
    assert audit(db).clean


def test_adding_is_all_or_nothing_and_names_the_failing_item(db: Database) -> None:
    shop = make_shop(db)
    book(db, shop.workspace, [shop.event_key], ["B-2"])
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError) as taken:
        baskets.add_tickets(
            db,
            shop.workspace,
            basket.id,
            [TicketRequest(shop.event_key, "B-1", shop.adult), TicketRequest(shop.event_key, "B-2", shop.adult)],
        )
    assert taken.value.index == 1
    with pytest.raises(ItemError) as unpriced:
        baskets.add_tickets(
            db,
            shop.workspace,
            basket.id,
            [TicketRequest(shop.event_key, "B-1", shop.adult), TicketRequest(shop.event_key, "A-1", shop.child)],
        )
    assert unpriced.value.index == 1 and unpriced.value.code == "PRICE_NOT_FOUND"
    assert baskets.get_basket(db, shop.workspace, basket.id).tickets == ()
    assert object_infos(db, shop.workspace, shop.event_key, ["B-1"])[0].status == FREE


def test_a_performance_off_sale_online_is_refused_while_others_sell(db: Database) -> None:
    shop = make_shop(db)
    other = make_shop(db, shop.workspace)
    catalogue.update_performance(db, shop.workspace, other.event_key, web_sale_from=utcnow() + timedelta(days=1))
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError) as caught:
        baskets.add_tickets(
            db,
            shop.workspace,
            basket.id,
            [TicketRequest(shop.event_key, "C-1", shop.adult), TicketRequest(other.event_key, "C-1", other.adult)],
        )
    assert caught.value.index == 1 and isinstance(caught.value.cause, NotOnSale)
    box_office = baskets.open_basket(db, shop.workspace, channel="box_office")
    baskets.add_tickets(db, shop.workspace, box_office.id, [TicketRequest(other.event_key, "C-1", other.adult)])


def test_an_idle_basket_lapses_and_its_seats_return_without_any_job(db: Database) -> None:
    shop = make_shop(db)
    now = utcnow()
    basket = baskets.open_basket(db, shop.workspace, now=now)
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)], now=now)
    later = now + timedelta(minutes=21)
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"], now=later)[0].status == FREE
    rival = baskets.open_basket(db, shop.workspace, now=later)
    baskets.add_tickets(db, shop.workspace, rival.id, [TicketRequest(shop.event_key, "A-1", shop.adult)], now=later)
    revived = baskets.get_basket(db, shop.workspace, basket.id, now=later)
    assert revived.tickets == () and revived.hold_token != basket.hold_token
    assert audit(db).clean


def test_activity_keeps_a_basket_alive(db: Database) -> None:
    shop = make_shop(db)
    now = utcnow()
    basket = baskets.open_basket(db, shop.workspace, now=now)
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)], now=now)
    for minutes in (15, 30, 45):
        kept = baskets.get_basket(db, shop.workspace, basket.id, now=now + timedelta(minutes=minutes))
        assert len(kept.tickets) == 1
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"], now=now + timedelta(minutes=60))[0].status == HELD


def test_remove_and_clear_release_the_seats(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    basket = baskets.add_tickets(
        db,
        shop.workspace,
        basket.id,
        [TicketRequest(shop.event_key, "A-1", shop.adult), TicketRequest(shop.event_key, "GA", shop.adult)],
    )
    basket = baskets.remove_tickets(db, shop.workspace, basket.id, [basket.tickets[0].id])
    assert [t.label for t in basket.tickets] == ["GA"]
    assert object_infos(db, shop.workspace, shop.event_key, ["A-1"])[0].status == FREE
    baskets.add_donation(db, shop.workspace, basket.id, shop.fund_id, 500)
    basket = baskets.clear_basket(db, shop.workspace, basket.id)
    assert basket.empty
    assert object_infos(db, shop.workspace, shop.event_key, ["GA"])[0].num_held == 0
    assert audit(db).clean


def test_best_available_in_a_band(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    basket = baskets.add_best_available(db, shop.workspace, basket.id, shop.event_key, 2, shop.child)
    assert len(basket.tickets) == 2 and {t.category_key for t in basket.tickets} == {"1"}  # child: band 1 only
    assert all(t.price == 1500 for t in basket.tickets)


def test_attributes_only_visible_ones_and_not_on_an_empty_basket(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(BasketEmpty):
        baskets.set_order_attributes(db, shop.workspace, basket.id, {"Access needs": "wheelchair"})
    basket = baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    basket = baskets.set_ticket_attributes(db, shop.workspace, basket.id, {"Dietary requirements": "vegan"})
    assert basket.tickets[0].attributes == {"Dietary requirements": "vegan"}
    with pytest.raises(InvalidInput):
        baskets.set_order_attributes(db, shop.workspace, basket.id, {"Internal note": "x"})
    with pytest.raises(InvalidInput):
        baskets.set_order_attributes(db, shop.workspace, basket.id, {"access needs": "x"})  # exact names only
    basket = baskets.set_order_attributes(db, shop.workspace, basket.id, {"Access needs": "wheelchair"})
    assert basket.order_attributes == {"Access needs": "wheelchair"}


def test_other_items_and_their_rules(db: Database) -> None:
    shop = make_shop(db, stock_level=2)
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(InvalidInput):
        baskets.add_donation(db, shop.workspace, basket.id, shop.fund_id, 50)  # under the fund's minimum
    with pytest.raises(InvalidInput):
        baskets.add_merchandise(db, shop.workspace, basket.id, shop.stock_item_id, reference="x" * 31)
    baskets.add_merchandise(db, shop.workspace, basket.id, shop.stock_item_id, quantity=2, reference="For Ann")
    with pytest.raises(OutOfStock):
        baskets.add_merchandise(db, shop.workspace, basket.id, shop.stock_item_id)
    baskets.add_membership(db, shop.workspace, basket.id, shop.membership_id, auto_renew=True)
    with pytest.raises(AlreadyMember):
        baskets.add_membership(db, shop.workspace, basket.id, shop.membership_id)
    basket = baskets.add_ticket_subscription(db, shop.workspace, basket.id, shop.subscription_id, quantity=2)
    assert sorted((i.kind, i.total) for i in basket.items) == [
        ("membership", 6000),
        ("merchandise", 1000),
        ("subscription", 24000),
    ]


def test_several_items_are_all_or_nothing(db: Database) -> None:
    shop = make_shop(db, stock_level=1)
    basket = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError) as caught:
        baskets.add_items(
            db,
            shop.workspace,
            basket.id,
            [
                baskets.Donation(shop.fund_id, 500),
                baskets.Merchandise(shop.stock_item_id),
                baskets.Merchandise(shop.stock_item_id),  # the second one is one too many
            ],
        )
    assert caught.value.index == 2 and isinstance(caught.value.cause, OutOfStock)
    assert baskets.get_basket(db, shop.workspace, basket.id).items == ()


@pytest.mark.parametrize("minutes_later", [1, 21])  # live, and lapsed (the default TTL is 20 minutes)
def test_the_basket_get_answers_is_the_basket_it_stored(db: Database, minutes_later: int) -> None:
    shop = make_shop(db)
    now = utcnow()
    basket = baskets.open_basket(db, shop.workspace, now=now)
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, "A-1", shop.adult)], now=now)
    baskets.add_donation(db, shop.workspace, basket.id, shop.fund_id, 1000, now=now)
    answered = baskets.get_basket(db, shop.workspace, basket.id, now=now + timedelta(minutes=minutes_later))
    with db.read() as uow:
        assert answered == uow.baskets.get(shop.workspace.id, basket.id)
    assert bool(answered.tickets) == (minutes_later == 1)


def test_adding_tickets_reads_their_event_once(db: Database) -> None:
    shop = make_shop(db)
    basket = baskets.open_basket(db, shop.workspace)
    with recorded_queries(db) as sent:
        added = baskets.add_tickets(
            db,
            shop.workspace,
            basket.id,
            [TicketRequest(shop.event_key, "A-1", shop.adult), TicketRequest(shop.event_key, "GA", shop.adult)],
        )
    reads = [sql for sql in sent if "FROM events" in sql]
    assert [t.label for t in added.tickets] == ["A-1", "GA"]
    infos = {i.label: i for i in object_infos(db, shop.workspace, shop.event_key, ["A-1", "GA"])}
    assert infos["A-1"].status == HELD and infos["GA"].num_held == 1
    assert len(reads) == 1  # pricing read it; the holds use that read (3 reads before)
