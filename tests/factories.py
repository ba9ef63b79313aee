"""Plain factory functions for tests: small charts, workspaces, events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event

from boxoffice.domain.agents import CommissionStructure
from boxoffice.domain.records import Event, Workspace
from boxoffice.services.agents import NewAgent
from boxoffice.services.charts import create_chart
from boxoffice.services.clock import utcnow
from boxoffice.services.events import EventSpec, create_event
from boxoffice.services.marketplaces import NewMarketplace
from boxoffice.services.partners import NewCredentials
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database

SYSTEM_SECRET = "test-system-secret"  # what the live test server runs with (tests/api/conftest.py)


def seat(label: str, x: float, y: float, category: int | str = 1, **flags: Any) -> dict[str, Any]:
    return {"label": label, "x": x, "y": y, "categoryKey": category, **flags}


def small_drawing(rows: int = 3, seats_per_row: int = 10, *, ga_capacity: int = 10) -> dict[str, Any]:
    """Rows A.. of numbered seats (row A nearest the stage), a GA area "GA", table T1 (per seat) and T2
    (as a whole), categories 1 and 2 (row A is category 2)."""
    row_list = [
        {
            "label": chr(ord("A") + r),
            "seats": [seat(str(s + 1), 10.0 * s, 20.0 * (r + 1), 2 if r == 0 else 1) for s in range(seats_per_row)],
        }
        for r in range(rows)
    ]
    table = {
        "label": "T1",
        "bookAsAWhole": False,
        "center": {"x": 300, "y": 100},
        "seats": [seat(str(i + 1), 300 + i, 110, 1) for i in range(4)],
        "categoryKey": 1,
    }
    table2 = {
        "label": "T2",
        "bookAsAWhole": True,
        "center": {"x": 400, "y": 100},
        "seats": [seat(str(i + 1), 400 + i, 110, 1) for i in range(4)],
        "categoryKey": 1,
    }
    return {
        "name": "Small hall",
        "venueType": "ROWS_WITHOUT_SECTIONS",
        "categories": {
            "list": [
                {"key": 1, "label": "Stalls", "color": "#ff0000", "accessible": False},
                {"key": 2, "label": "Front", "color": "#00ff00", "accessible": False},
            ],
            "maxCategoryKey": 2,
        },
        "subChart": {
            "rows": row_list,
            "tables": [table, table2],
            "generalAdmissionAreas": [
                {"label": "GA", "capacity": ga_capacity, "categoryKey": 1, "center": {"x": 500, "y": 50}}
            ],
            "focalPoint": {"x": 45, "y": 0},
        },
    }


def make_workspace(db: Database) -> Workspace:
    return create_company(db, "Test venue", is_test=True).workspace


def make_event(
    db: Database,
    workspace: Workspace | None = None,
    drawing: dict[str, Any] | None = None,
    *,
    key: str | None = None,
    **spec: Any,
) -> tuple[Workspace, Event]:
    workspace = workspace or make_workspace(db)
    chart = create_chart(db, workspace, drawing or small_drawing())
    event = create_event(db, workspace, EventSpec(chart_key=chart.key, key=key, **spec))
    return workspace, event


def make_season(
    db: Database,
    workspace: Workspace | None = None,
    drawing: dict[str, Any] | None = None,
    *,
    key: str = "season",
    event_keys: tuple[str, ...] = ("event1", "event2"),
) -> tuple[Workspace, Event]:
    """A top-level season on the small hall (or `drawing`) with events `event_keys`."""
    from boxoffice.services.seasons import SeasonSpec, create_season

    workspace = workspace or make_workspace(db)
    chart = create_chart(db, workspace, drawing or small_drawing())
    season = create_season(db, workspace, SeasonSpec(EventSpec(chart_key=chart.key, key=key), event_keys=event_keys))
    return workspace, season


# -- commerce -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ShopFixture:
    workspace: Workspace
    production_id: str
    event_key: str
    adult: str  # ticket type ids
    child: str
    fund_id: str
    stock_item_id: str
    membership_id: str
    subscription_id: str


def make_shop(
    db: Database,
    workspace: Workspace | None = None,
    *,
    start: datetime | None = None,
    ga_capacity: int = 10,
    stock_level: int = 5,
) -> ShopFixture:
    """A production with one performance on the small hall, priced: adult 2500/3000 (bands 1/2), child
    1500 (band 1 only); a fund, a stock item, a membership and a subscription."""
    from boxoffice.domain.catalogue import Price
    from boxoffice.services import catalogue

    workspace = workspace or make_workspace(db)
    chart = create_chart(db, workspace, small_drawing(ga_capacity=ga_capacity))
    production = catalogue.create_production(db, workspace, "Hamlet")
    performance = catalogue.create_performance(
        db,
        workspace,
        catalogue.PerformanceSpec(
            production_id=production.id,
            chart_key=chart.key,
            start=start or utcnow() + timedelta(days=7),
        ),
    )
    existing = {t.name: t.id for t in catalogue.list_ticket_types(db, workspace)}
    adult = existing.get("Adult") or catalogue.create_ticket_type(db, workspace, "Adult").id
    child = existing.get("Child") or catalogue.create_ticket_type(db, workspace, "Child").id
    catalogue.set_price_list(
        db,
        workspace,
        performance.event_key,
        [
            Price(adult, "1", 2500),
            Price(adult, "2", 3000),
            Price(child, "1", 1500),
        ],
        fees=[("Booking fee", 100, None)],
    )
    fund = catalogue.create_fund(db, workspace, "Friends of the theatre", minimum_amount=100)
    stock = catalogue.create_stock_item(db, workspace, "Programme", price=500, stock_level=stock_level)
    membership = catalogue.create_membership(db, workspace, "Friend", price=6000)
    subscription = catalogue.create_subscription_structure(
        db, workspace, "Season ticket", price=12000, production_ids=[production.id]
    )
    if not existing:
        catalogue.create_attribute_definition(db, workspace, "Dietary requirements", applies_to="ticket")
        catalogue.create_attribute_definition(db, workspace, "Access needs", applies_to="order")
        catalogue.create_attribute_definition(db, workspace, "Internal note", applies_to="order", visible_in_api=False)
    return ShopFixture(
        workspace, production.id, performance.event_key, adult, child, fund.id, stock.id, membership.id, subscription.id
    )


def make_agent(
    db: Database,
    workspace: Workspace,
    *,
    login: str = "tix4u",
    restricted: bool = False,
    commission: CommissionStructure | None = None,
) -> NewAgent:
    """An agent (with a commission structure if `commission` is given: it is created first)."""
    from boxoffice.services import agents
    from boxoffice.services.customers import CustomerDetails

    structure_id = agents.create_commission_structure(db, workspace, commission).id if commission else None
    setup = agents.AgentSetup(
        login=login,
        customer=CustomerDetails(login.capitalize(), "Agency", f"{login}@agents.example"),
        commission_structure_id=structure_id,
        restricted=restricted,
    )
    return agents.create_agent(db, workspace, setup, system_secret=SYSTEM_SECRET)


def make_marketplace(
    db: Database,
    shop: ShopFixture,
    *,
    kind: str = "orderIntegration",
    name: str = "TickPick",
    hold_minutes: int = 15,
    auto_reject_minutes: int = 60,
) -> NewMarketplace:
    """A marketplace of `shop`'s workspace, selling as its adult ticket type."""
    from boxoffice.services import marketplaces

    setup = marketplaces.MarketplaceSetup(name, kind, shop.adult, hold_minutes, auto_reject_minutes)
    return marketplaces.create_marketplace(db, shop.workspace, setup, system_secret=SYSTEM_SECRET)


def make_partner(
    db: Database, shop: ShopFixture, *, payout_configured: bool = True, ttl_minutes: int = 10
) -> NewCredentials:
    """A partner of `shop`'s workspace, quoting as its adult ticket type, able to trade."""
    from boxoffice.services import partners

    setup = partners.PartnerSetup(
        "Ticket Buyback", shop.adult, ttl_minutes, payout_configured, "transfers@venue.example"
    )
    return partners.create_partner(db, shop.workspace, setup)


def commission(kind: str = "fixed", **values: Any) -> CommissionStructure:
    """A commission structure to give `make_agent` (GBP)."""
    return CommissionStructure("", 0, f"{kind} commission", kind, "GBP", **values)


# -- watching the database ------------------------------------------------------------------------------
@contextmanager
def recorded_queries(db: Database) -> Iterator[list[str]]:
    """The SQL sent through SQLAlchemy while inside, in order (SQLite's own BEGIN left out)."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        if not sql.startswith("BEGIN"):
            sent.append(sql)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
