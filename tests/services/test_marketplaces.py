"""Marketplaces: Order Integration holds (binding, then invoiced or released) and Instant Notification sales
(confirmed at once, or pending until invoiced after all, rejected, or rejected automatically)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from boxoffice.domain.errors import InvalidInput, ItemError, NotOnSale, Unauthorized
from boxoffice.domain.marketplaces import MarketplaceHoldExpired, MarketplaceStateConflict
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.jobs.marketplaces import auto_reject
from boxoffice.services import baskets, marketplaces
from boxoffice.services.audit import audit
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.clock import utcnow
from boxoffice.services.marketplaces import ReferenceReused
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import SYSTEM_SECRET, ShopFixture, make_marketplace, make_shop


def status_of(db: Database, shop: ShopFixture, label: str) -> str:
    return object_infos(db, shop.workspace, shop.event_key, [label])[0].status


def test_an_order_integration_hold_binds_then_is_invoiced_once(db: Database) -> None:
    shop = make_shop(db)
    tickpick = make_marketplace(db, shop).marketplace
    seen = marketplaces.availability(db, shop.workspace, tickpick, shop.event_key, ["A-1", "B-1", "Z-9", "GA"])
    assert [(s.label, s.available, s.price) for s in seen] == [
        ("A-1", True, 3000),
        ("B-1", True, 2500),
        ("Z-9", False, None),
        ("GA", False, 2500),
    ]
    hold = marketplaces.place_hold(db, shop.workspace, tickpick, "TP-1", shop.event_key, ["A-1", "B-1"])
    assert hold.status == "held" and status_of(db, shop, "A-1") == HELD
    assert hold.expires_at - hold.created_at == timedelta(minutes=15)
    # a buyer on the website cannot take a held seat; the marketplace's availability says so too
    web = baskets.open_basket(db, shop.workspace)
    with pytest.raises(ItemError):
        baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "A-1", shop.adult)])
    assert not marketplaces.availability(db, shop.workspace, tickpick, shop.event_key, ["A-1"])[0].available
    # the same reference is the same hold; with other seats it is refused
    assert marketplaces.place_hold(db, shop.workspace, tickpick, "TP-1", shop.event_key, ["B-1", "A-1"]) == hold
    with pytest.raises(ReferenceReused):
        marketplaces.place_hold(db, shop.workspace, tickpick, "TP-1", shop.event_key, ["A-2"])

    buyer = {"firstName": "Ann", "lastName": "Smith", "reference": "TP-ORDER-9"}
    invoiced, order = marketplaces.invoice_hold(db, shop.workspace, tickpick, hold.id, buyer)
    assert invoiced.status == "invoiced" and invoiced.order_id == order.id
    assert order.customer_id == tickpick.id and order.channel == "marketplace"
    assert order.end_customer == buyer and [p.method for p in order.payments] == ["marketplace"]
    assert [t.label for t in order.tickets] == ["A-1", "B-1"] and order.total == 3000 + 2500 + 2 * 100
    assert status_of(db, shop, "A-1") == BOOKED
    again, same = marketplaces.invoice_hold(db, shop.workspace, tickpick, hold.id, {})
    assert same == order and again.status == "invoiced"
    with pytest.raises(MarketplaceStateConflict):
        marketplaces.release_hold(db, shop.workspace, tickpick, hold.id)
    assert audit(db).clean


def test_a_released_or_expired_hold_cannot_be_invoiced(db: Database) -> None:
    shop = make_shop(db)
    oi = make_marketplace(db, shop, hold_minutes=1).marketplace
    released = marketplaces.place_hold(db, shop.workspace, oi, "R-1", shop.event_key, ["A-1"])
    assert marketplaces.release_hold(db, shop.workspace, oi, released.id).status == "released"
    assert marketplaces.release_hold(db, shop.workspace, oi, released.id).status == "released"  # again: the same
    assert status_of(db, shop, "A-1") == FREE
    with pytest.raises(MarketplaceStateConflict):
        marketplaces.invoice_hold(db, shop.workspace, oi, released.id, {})

    lapsing = marketplaces.place_hold(db, shop.workspace, oi, "R-2", shop.event_key, ["A-2"])
    with db.write() as uow:  # its time passes: the basket and the hold lapse together
        past = utcnow() - timedelta(minutes=2)
        uow.marketplaces.update_hold(lapsing.id, expires_at=past)
        basket = uow.baskets.get(shop.workspace.id, lapsing.basket_id)
        assert basket is not None
        uow.baskets.update(basket.id, last_activity_at=past - timedelta(minutes=1))
        uow.hold_tokens.set_expiry(basket.hold_token, past)
        uow.commit()
    assert marketplaces.get_hold(db, oi, lapsing.id).status == "expired"
    with pytest.raises(MarketplaceHoldExpired):
        marketplaces.invoice_hold(db, shop.workspace, oi, lapsing.id, {})
    assert status_of(db, shop, "A-2") == FREE  # a lapsed hold is free to everyone at once
    assert audit(db).clean


def test_holds_are_all_or_nothing_and_checked(db: Database) -> None:
    shop = make_shop(db)
    oi = make_marketplace(db, shop).marketplace
    marketplaces.place_hold(db, shop.workspace, oi, "X-1", shop.event_key, ["A-3"])
    with pytest.raises(ItemError):
        marketplaces.place_hold(db, shop.workspace, oi, "X-2", shop.event_key, ["A-4", "A-3"])
    assert status_of(db, shop, "A-4") == FREE
    for bad in ([], ["A-5", "A-5"], [f"S-{i}" for i in range(101)]):
        with pytest.raises(InvalidInput):
            marketplaces.place_hold(db, shop.workspace, oi, "X-3", shop.event_key, bad)
    with pytest.raises(InvalidInput):
        marketplaces.place_hold(db, shop.workspace, oi, "", shop.event_key, ["A-6"])
    ion = make_marketplace(db, shop, kind="instantNotification", name="StubHub").marketplace
    with pytest.raises(InvalidInput, match="orderIntegration"):
        marketplaces.place_hold(db, shop.workspace, ion, "X-4", shop.event_key, ["A-6"])


def test_an_instant_notification_sale_is_confirmed_or_pending_then_invoiced_or_rejected(db: Database) -> None:
    shop = make_shop(db)
    stubhub = make_marketplace(db, shop, kind="instantNotification", name="StubHub").marketplace
    sold = marketplaces.notify_sale(db, shop.workspace, stubhub, "SH-1", shop.event_key, ["A-1"], {"lastName": "Lee"})
    assert sold.status == "confirmed" and sold.order_id is not None
    assert status_of(db, shop, "A-1") == BOOKED
    assert marketplaces.notify_sale(db, shop.workspace, stubhub, "SH-1", shop.event_key, ["A-1"], {}) == sold

    # A-2 is held by a web buyer: the sale waits
    web = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "A-2", shop.adult)])
    waiting = marketplaces.notify_sale(db, shop.workspace, stubhub, "SH-2", shop.event_key, ["A-2", "A-3"], {})
    assert waiting.status == "pending" and waiting.order_id is None and "A-2" in (waiting.reason or "")
    assert status_of(db, shop, "A-3") == FREE  # nothing of a pending sale is held
    assert [s.id for s in marketplaces.list_sales(db, shop.workspace, status="pending")] == [waiting.id]
    # the venue frees the seat and invoices the sale after all
    baskets.clear_basket(db, shop.workspace, web.id)
    invoiced = marketplaces.invoice_sale(db, shop.workspace, waiting.id)
    assert invoiced.status == "confirmed" and status_of(db, shop, "A-2") == BOOKED
    assert marketplaces.get_sale(db, stubhub, waiting.id).status == "confirmed"

    lost = marketplaces.notify_sale(db, shop.workspace, stubhub, "SH-3", shop.event_key, ["A-1"], {})
    assert lost.status == "pending"
    rejected = marketplaces.reject_sale(db, shop.workspace, lost.id, reason="sold at the box office")
    assert rejected.status == "rejected" and rejected.reason == "sold at the box office"
    with pytest.raises(MarketplaceStateConflict):
        marketplaces.reject_sale(db, shop.workspace, lost.id)
    with pytest.raises(MarketplaceStateConflict):
        marketplaces.invoice_sale(db, shop.workspace, lost.id)
    assert marketplaces.get_sale(db, stubhub, lost.id).status == "rejected"
    assert audit(db).clean


def test_a_sale_pending_past_its_window_is_rejected_automatically(db: Database) -> None:
    shop = make_shop(db)
    ion = make_marketplace(db, shop, kind="instantNotification", name="SeatGeek", auto_reject_minutes=5).marketplace
    web = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, web.id, [TicketRequest(shop.event_key, "B-2", shop.adult)])
    waiting = marketplaces.notify_sale(db, shop.workspace, ion, "SG-1", shop.event_key, ["B-2"], {})
    assert waiting.status == "pending"
    assert auto_reject(db) == 0  # not yet
    with db.write() as uow:
        uow.marketplaces.update_sale(waiting.id, received_at=utcnow() - timedelta(minutes=6))
        uow.commit()
    # readers see it rejected before the job writes it down, and the venue can no longer invoice it
    assert marketplaces.get_sale(db, ion, waiting.id).status == "autoRejected"
    assert [s.status for s in marketplaces.list_sales(db, shop.workspace, status="autoRejected")] == ["autoRejected"]
    with pytest.raises(MarketplaceStateConflict):
        marketplaces.invoice_sale(db, shop.workspace, waiting.id)
    assert auto_reject(db) == 1
    assert auto_reject(db) == 0
    with db.read() as uow:
        stored = uow.marketplaces.sale(waiting.id)
    assert stored is not None and stored.status == "autoRejected"


def test_a_sale_for_an_unknown_or_closed_performance_is_bad_input_not_pending(db: Database) -> None:
    shop = make_shop(db, start=utcnow() + timedelta(days=3))
    ion = make_marketplace(db, shop, kind="instantNotification").marketplace
    with pytest.raises(Exception, match="not found"):
        marketplaces.notify_sale(db, shop.workspace, ion, "U-1", "no-such-event", ["A-1"], {})
    oi = make_marketplace(db, shop, name="Gametime").marketplace
    with pytest.raises(NotOnSale):
        past = make_shop(db, shop.workspace, start=utcnow() - timedelta(hours=1))
        marketplaces.availability(db, shop.workspace, oi, past.event_key, ["A-1"])
    assert marketplaces.list_sales(db, shop.workspace) == []


def test_keys_sign_requests_and_a_regenerated_key_replaces_the_old_one(db: Database) -> None:
    shop = make_shop(db)
    made = make_marketplace(db, shop)
    message = marketplaces.signed_message("1700000000", "POST", "/marketplace/v1/holds", b"{}")
    signature = marketplaces.sign(made.key, message)
    assert (
        marketplaces.authenticate(db, made.marketplace.id, message, signature, system_secret=SYSTEM_SECRET)[1]
        == made.marketplace
    )
    fresh = marketplaces.regenerate_key(db, shop.workspace, made.marketplace.id, system_secret=SYSTEM_SECRET)
    with pytest.raises(Unauthorized):
        marketplaces.authenticate(db, made.marketplace.id, message, signature, system_secret=SYSTEM_SECRET)
    marketplaces.authenticate(
        db,
        made.marketplace.id,
        message,
        marketplaces.sign(fresh.key, message),
        system_secret=SYSTEM_SECRET,
    )
    marketplaces.update_marketplace(db, shop.workspace, made.marketplace.id, active=False)
    with pytest.raises(Unauthorized):
        marketplaces.authenticate(
            db,
            made.marketplace.id,
            message,
            marketplaces.sign(fresh.key, message),
            system_secret=SYSTEM_SECRET,
        )
