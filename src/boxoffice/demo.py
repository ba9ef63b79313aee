"""Demo data: a venue with a generated theatre chart and a production with a few performances, priced
and ready to sell, plus a fund, merchandise, a membership and a ticket subscription."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from boxoffice.demo_chart import theatre_chart
from boxoffice.domain.catalogue import Price
from boxoffice.domain.charts import parse_chart
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Channel, Workspace
from boxoffice.services import catalogue
from boxoffice.services.channels import add_channels
from boxoffice.services.charts import create_chart
from boxoffice.services.workspaces import create_company
from boxoffice.storage.uow import Database

CURTAIN_UP = time(19, 30)
TICKET_TYPES = {"Adult": 100, "Concession": 80, "Child": 50}  # percent of the adult price


@dataclass(frozen=True, slots=True)
class DemoKeys:
    company_admin_key: str
    workspace_key: str
    workspace_secret_key: str
    chart_key: str
    event_keys: list[str]
    seats: int
    production_id: str = ""
    ticket_type_ids: dict[str, str] = field(default_factory=dict)  # name -> id
    fund_id: str = ""
    stock_item_ids: list[str] = field(default_factory=list)
    membership_id: str = ""
    subscription_id: str = ""
    # those who sell for the venue (made only when BOXOFFICE_SYSTEM_SECRET is set: their keys derive from it)
    agent_id: str = ""
    agent_login: str = ""
    agent_key: str = ""
    agent_locked: list[str] = field(default_factory=list)  # on the first performance
    marketplace_oi_id: str = ""
    marketplace_oi_key: str = ""
    marketplace_ion_id: str = ""
    marketplace_ion_key: str = ""
    partner_client_id: str = ""
    partner_client_secret: str = ""

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2))

    @classmethod
    def load(cls, path: Path) -> DemoKeys | None:
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def create_demo(db: Database, *, performances: int = 3, system_secret: str = "") -> DemoKeys:
    created = create_company(db, "Demo venue")
    workspace = created.workspace
    drawing = theatre_chart()
    chart = create_chart(db, workspace, drawing, key="demo-theatre")
    layout = parse_chart(drawing)
    production = catalogue.create_production(
        db, workspace, "The Demo Show", description="A demonstration in two acts", duration_minutes=150
    )
    first = date.today() + timedelta(days=14)
    event_keys = []
    for i in range(performances):
        day = first + timedelta(days=i)
        performance = catalogue.create_performance(
            db,
            workspace,
            catalogue.PerformanceSpec(
                production_id=production.id,
                chart_key=chart.key,
                start=datetime.combine(day, CURTAIN_UP, tzinfo=UTC),
                currency="GBP",
                event_key=f"demo-{day.isoformat()}",
                name=f"The Demo Show, performance {i + 1}",
            ),
        )
        add_channels(db, workspace, performance.event_key, [Channel("press", "Press and guests", "#aa00ff", 1, ())])
        event_keys.append(performance.event_key)
    ticket_type_ids = {name: catalogue.create_ticket_type(db, workspace, name).id for name in TICKET_TYPES}
    for event_key in event_keys:
        catalogue.set_price_list(
            db, workspace, event_key, _prices(layout, ticket_type_ids), fees=[("Booking fee", 150, None)]
        )
    fund = catalogue.create_fund(db, workspace, "Friends of the Demo Theatre", minimum_amount=100)
    stock_ids = [
        catalogue.create_stock_item(db, workspace, "Programme", price=500, stock_level=200).id,
        catalogue.create_stock_item(db, workspace, "Tote bag", price=1200, stock_level=50).id,
    ]
    membership = catalogue.create_membership(
        db, workspace, "Demo Friend", price=6000, duration_months=12, auto_renew_allowed=True
    )
    subscription = catalogue.create_subscription_structure(
        db, workspace, "Demo Season", price=12000, production_ids=[production.id]
    )
    _attributes(db, workspace)
    seats = sum(1 for o in layout.objects.values() if o.object_type.value == "seat")
    sellers = _sellers(db, workspace, event_keys[0], ticket_type_ids["Adult"], system_secret) if system_secret else {}
    return DemoKeys(
        company_admin_key=created.admin_key,
        workspace_key=workspace.key,
        workspace_secret_key=created.workspace_secret_key,
        chart_key=chart.key,
        event_keys=event_keys,
        seats=seats,
        production_id=production.id,
        ticket_type_ids=ticket_type_ids,
        fund_id=fund.id,
        stock_item_ids=stock_ids,
        membership_id=membership.id,
        subscription_id=subscription.id,
        **sellers,
    )


AGENT_LOCK = ["Balcony-A-1", "Balcony-A-2", "Balcony-A-3", "Balcony-A-4"]


def _sellers(db: Database, workspace: Workspace, first_event: str, adult: str, system_secret: str) -> dict[str, Any]:
    """An agent on 10 % commission with four balcony seats locked for it on the first performance, a
    marketplace of each kind and a partner that may trade, with their keys (shown by `boxoffice demo`)."""
    from boxoffice.domain.agents import CommissionStructure
    from boxoffice.services import agent_locks, agents, marketplaces, partners
    from boxoffice.services.customers import CustomerDetails

    structure = agents.create_commission_structure(
        db, workspace, CommissionStructure("", 0, "Standard agency", "percentage", "GBP", basis_points=1000)
    )
    agent = agents.create_agent(
        db,
        workspace,
        agents.AgentSetup("demo-agency", CustomerDetails("Demo", "Agency", "sales@agency.example"), structure.id),
        system_secret=system_secret,
    )
    agent_locks.lock(db, workspace, first_event, agent.agent.id, objects=AGENT_LOCK)
    oi = marketplaces.create_marketplace(
        db,
        workspace,
        marketplaces.MarketplaceSetup("Demo Exchange", "orderIntegration", adult),
        system_secret=system_secret,
    )
    ion = marketplaces.create_marketplace(
        db,
        workspace,
        marketplaces.MarketplaceSetup("Demo Resale", "instantNotification", adult),
        system_secret=system_secret,
    )
    partner = partners.create_partner(
        db, workspace, partners.PartnerSetup("Demo Partner", adult, payout_configured=True)
    )
    return {
        "agent_id": agent.agent.id,
        "agent_login": agent.agent.login,
        "agent_key": agent.key,
        "agent_locked": list(AGENT_LOCK),
        "marketplace_oi_id": oi.marketplace.id,
        "marketplace_oi_key": oi.key,
        "marketplace_ion_id": ion.marketplace.id,
        "marketplace_ion_key": ion.key,
        "partner_client_id": partner.partner.client_id,
        "partner_client_secret": partner.client_secret,
    }


def _prices(layout: Layout, ticket_type_ids: dict[str, str]) -> list[Price]:
    """Every ticket type in every price band of the chart: dearest band first, 45.00 down by 7.50 a band."""
    prices = []
    for rank, category in enumerate(layout.categories):
        adult = max(1500, 4500 - 750 * rank)
        for name, percent in TICKET_TYPES.items():
            prices.append(Price(ticket_type_ids[name], category.key, adult * percent // 100))
    return prices


def _attributes(db: Database, workspace: Workspace) -> None:
    catalogue.create_attribute_definition(db, workspace, "Dietary requirements", applies_to="ticket")
    catalogue.create_attribute_definition(db, workspace, "Access needs", applies_to="order")
