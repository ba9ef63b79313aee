"""Agent sales made the way the Agency API makes them, for the invoice and report tests: an agent basket,
tickets (and items) added, checkout on account."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from boxoffice.domain.baskets import Order
from boxoffice.services import baskets
from boxoffice.services.baskets import TicketRequest
from boxoffice.services.checkout import CheckoutRequest, checkout
from boxoffice.services.payments import PaymentRequest
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture

ON_ACCOUNT = PaymentRequest("agency")
CARD = PaymentRequest("test_card", card_number="4242 4242 4242 4242")


def sell_as_agent(
    db: Database,
    shop: ShopFixture,
    agent_id: str,
    tickets: Sequence[tuple[str, str]],  # (label, ticket type id)
    *,
    event_key: str | None = None,
    end_customer: dict[str, str] | None = None,
    merchandise: int = 0,  # programmes (500 each)
    donation: int = 0,
    at: datetime | None = None,  # when the order is made
) -> Order:
    basket = baskets.open_basket(db, shop.workspace, channel="agent", customer_id=agent_id)
    if end_customer is not None:
        with db.write() as uow:
            uow.baskets.update(basket.id, end_customer=end_customer, delivery_method="collect")
            uow.commit()
    key = event_key or shop.event_key
    if tickets:
        requests = [TicketRequest(key, label, ticket_type) for label, ticket_type in tickets]
        baskets.add_tickets(db, shop.workspace, basket.id, requests)
    if merchandise:
        baskets.add_merchandise(db, shop.workspace, basket.id, shop.stock_item_id, quantity=merchandise)
    if donation:
        baskets.add_donation(db, shop.workspace, basket.id, shop.fund_id, donation)
    return checkout(db, shop.workspace, CheckoutRequest(basket.id, ON_ACCOUNT), now=at)


def another_performance(
    db: Database, shop: ShopFixture, *, currency: str = "GBP", days: int = 14, key: str | None = None
) -> str:
    """A second performance of the shop's production on a new small hall, priced as make_shop prices (in
    `currency`), `days` from now; its event key."""
    from boxoffice.domain.catalogue import Price
    from boxoffice.services import catalogue
    from boxoffice.services.charts import create_chart
    from boxoffice.services.clock import utcnow
    from tests.factories import small_drawing

    chart = create_chart(db, shop.workspace, small_drawing())
    spec = catalogue.PerformanceSpec(
        shop.production_id, chart.key, utcnow() + timedelta(days=days), currency=currency, event_key=key
    )
    performance = catalogue.create_performance(db, shop.workspace, spec)
    prices = [Price(shop.adult, "1", 2500), Price(shop.adult, "2", 3000), Price(shop.child, "1", 1500)]
    catalogue.set_price_list(db, shop.workspace, performance.event_key, prices, fees=[("Booking fee", 100, None)])
    return performance.event_key


def sell_online(db: Database, shop: ShopFixture, label: str) -> Order:
    """A web sale of one adult ticket, paid by card: no agent's."""
    from boxoffice.services.customers import CustomerDetails

    basket = baskets.open_basket(db, shop.workspace)
    baskets.add_tickets(db, shop.workspace, basket.id, [TicketRequest(shop.event_key, label, shop.adult)])
    customer = CustomerDetails("Ann", "Smith", "ann@example.org")
    return checkout(db, shop.workspace, CheckoutRequest(basket.id, CARD, customer))
