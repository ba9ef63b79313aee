"""The catalogue: productions and performances, ticket types and price lists, funds, merchandise,
memberships, ticket subscriptions and attribute definitions. Admin use cases; validated, all or nothing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boxoffice.domain.catalogue import (
    AttributeDefinition,
    Fee,
    Fund,
    Membership,
    Performance,
    Price,
    PriceList,
    Production,
    StockItem,
    SubscriptionStructure,
    TicketType,
)
from boxoffice.domain.errors import AlreadyExists, CatalogueItemNotFound, EventNotFound, InvalidInput
from boxoffice.domain.records import Event, Workspace
from boxoffice.services.clock import utcnow
from boxoffice.services.events import EventSpec, create_events_in, require_event
from boxoffice.services.ids import new_id
from boxoffice.services.layouts import layout_for_event
from boxoffice.storage.uow import Database, UnitOfWork

_CURRENCY = re.compile(r"^[A-Z]{3}$")


def _currency(value: str) -> str:
    if not _CURRENCY.match(value):
        raise InvalidInput(f"Currency must be an ISO 4217 code such as GBP, not {value!r}")
    return value


def _amount(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"{what} must be a whole, non-negative number of minor units (pence, cents)")
    return value


def _name(value: str, what: str = "Name") -> str:
    if not value or not value.strip() or len(value) > 300:
        raise InvalidInput(f"{what} must be 1 to 300 characters")
    return value.strip()


# -- productions and performances ----------------------------------------------------------------------
def create_production(
    db: Database,
    workspace: Workspace,
    name: str,
    *,
    description: str = "",
    duration_minutes: int = 0,
    attributes: dict[str, Any] | None = None,
) -> Production:
    production = Production(
        new_id(), workspace.id, _name(name), description, max(0, duration_minutes), attributes or {}
    )
    with db.write() as uow:
        uow.catalogue.add_production(production, utcnow())
        uow.commit()
    return production


def require_production(uow: UnitOfWork, workspace: Workspace, production_id: str) -> Production:
    production = uow.catalogue.production(workspace.id, production_id)
    if production is None:
        raise CatalogueItemNotFound(f"Production not found: {production_id}")
    return production


def list_productions(db: Database, workspace: Workspace) -> list[Production]:
    with db.read() as uow:
        return uow.catalogue.productions(workspace.id)


def get_production(db: Database, workspace: Workspace, production_id: str) -> Production:
    with db.read() as uow:
        return require_production(uow, workspace, production_id)


def update_production(
    db: Database,
    workspace: Workspace,
    production_id: str,
    *,
    name: str | None = None,
    description: str | None = None,
    duration_minutes: int | None = None,
    attributes: dict[str, Any] | None = None,
) -> Production:
    """Change what is given; leave the rest."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = _name(name)
    if description is not None:
        values["description"] = description
    if duration_minutes is not None:
        values["duration_minutes"] = max(0, duration_minutes)
    if attributes is not None:
        values["attributes"] = attributes
    with db.write() as uow:
        require_production(uow, workspace, production_id)
        if values:
            uow.catalogue.update_production(production_id, **values)
        updated = require_production(uow, workspace, production_id)
        uow.commit()
    return updated


@dataclass(frozen=True, slots=True)
class PerformanceSpec:
    production_id: str
    chart_key: str
    start: datetime
    currency: str = "GBP"
    event_key: str | None = None
    web_sale_from: datetime | None = None
    web_sale_until: datetime | None = None
    box_office_sale_from: datetime | None = None
    box_office_sale_until: datetime | None = None
    name: str | None = None  # the inventory event's name (default: none)


def create_performance(db: Database, workspace: Workspace, spec: PerformanceSpec) -> Performance:
    """A new inventory event on the chart, sold as a performance of the production: one transaction."""
    if spec.start.tzinfo is None:
        raise InvalidInput("A performance start needs a timezone")
    with db.write() as uow:
        require_production(uow, workspace, spec.production_id)
        event = create_events_in(
            uow,
            workspace,
            [
                EventSpec(
                    chart_key=spec.chart_key,
                    key=spec.event_key,
                    name=spec.name,
                    date=spec.start.date().isoformat(),
                )
            ],
        )[0]
        performance = Performance(
            event_id=event.id,
            event_key=event.key,
            production_id=spec.production_id,
            start=spec.start,
            currency=_currency(spec.currency),
            web_sale_from=spec.web_sale_from,
            web_sale_until=spec.web_sale_until,
            box_office_sale_from=spec.box_office_sale_from,
            box_office_sale_until=spec.box_office_sale_until,
        )
        uow.catalogue.add_performance(performance)
        uow.commit()
    return performance


def require_performance(uow: UnitOfWork, workspace: Workspace, event_key: str) -> Performance:
    return require_event_performance(uow, workspace, event_key)[1]


def require_event_performance(uow: UnitOfWork, workspace: Workspace, event_key: str) -> tuple[Event, Performance]:
    """The performance and its event (the inventory), both read once."""
    event = uow.events.by_key(workspace.id, event_key)
    performance = uow.catalogue.performance(event.id) if event is not None else None
    if event is None or performance is None:
        raise EventNotFound(f"Performance not found: {event_key}")
    return event, performance


def get_performance(db: Database, workspace: Workspace, event_key: str) -> Performance:
    with db.read() as uow:
        return require_performance(uow, workspace, event_key)


def list_performances(
    db: Database,
    workspace: Workspace,
    *,
    production_id: str | None = None,
    start_from: datetime | None = None,
    start_to: datetime | None = None,
) -> list[Performance]:
    with db.read() as uow:
        return uow.catalogue.performances(
            workspace.id, production_id=production_id, start_from=start_from, start_to=start_to
        )


def update_performance(db: Database, workspace: Workspace, event_key: str, **values: Any) -> Performance:
    allowed = {"cancelled", "web_sale_from", "web_sale_until", "box_office_sale_from", "box_office_sale_until", "start"}
    unknown = set(values) - allowed
    if unknown:
        raise InvalidInput(f"Cannot change {', '.join(sorted(unknown))}")
    with db.write() as uow:
        performance = require_performance(uow, workspace, event_key)
        if values:  # an empty UPDATE is an SQL syntax error
            uow.catalogue.update_performance(performance.event_id, **values)
        updated = uow.catalogue.performance(performance.event_id)
        uow.commit()
    assert updated is not None
    return updated


# -- ticket types and price lists ----------------------------------------------------------------------
def create_ticket_type(db: Database, workspace: Workspace, name: str) -> TicketType:
    ticket_type = TicketType(new_id(), _name(name))
    with db.write() as uow:
        if any(t.name == ticket_type.name for t in uow.catalogue.ticket_types(workspace.id)):
            raise AlreadyExists(f"Ticket type {name!r} already exists")
        uow.catalogue.add_ticket_type(workspace.id, ticket_type)
        uow.commit()
    return ticket_type


def list_ticket_types(db: Database, workspace: Workspace) -> list[TicketType]:
    with db.read() as uow:
        return uow.catalogue.ticket_types(workspace.id)


def set_price_list(
    db: Database,
    workspace: Workspace,
    event_key: str,
    prices: Sequence[Price],
    fees: Sequence[tuple[str, int, str | None]] = (),
) -> PriceList:
    """Replace a performance's price list: (ticket type, price band) -> amount, plus per-ticket fees."""
    with db.write() as uow:
        performance = require_performance(uow, workspace, event_key)
        event = require_event(uow, workspace, event_key)
        bands = {c.key for c in layout_for_event(uow, event.chart_id).categories}
        types = {t.id for t in uow.catalogue.ticket_types(workspace.id)}
        seen: set[tuple[str, str]] = set()
        for price in prices:
            if price.ticket_type_id not in types:
                raise InvalidInput(f"Unknown ticket type {price.ticket_type_id}")
            if price.category_key not in bands:
                raise InvalidInput(f"Unknown price band {price.category_key}: the chart's bands are {sorted(bands)}")
            _amount(price.amount, "A price")
            if (price.ticket_type_id, price.category_key) in seen:
                raise InvalidInput(f"Two prices for ticket type {price.ticket_type_id} in band {price.category_key}")
            seen.add((price.ticket_type_id, price.category_key))
        fee_list = []
        for name, amount, ticket_type_id in fees:
            if ticket_type_id is not None and ticket_type_id not in types:
                raise InvalidInput(f"Unknown ticket type {ticket_type_id}")
            fee_list.append(Fee(new_id(), _name(name, "A fee name"), _amount(amount, "A fee"), ticket_type_id))
        uow.catalogue.replace_prices(performance.event_id, prices, fee_list)
        price_list = uow.catalogue.price_list(performance.event_id, performance.currency)
        uow.commit()
    return price_list


def get_price_list(db: Database, workspace: Workspace, event_key: str) -> PriceList:
    with db.read() as uow:
        performance = require_performance(uow, workspace, event_key)
        return uow.catalogue.price_list(performance.event_id, performance.currency)


# -- funds, stock, memberships, subscriptions, attributes ----------------------------------------------
def create_fund(
    db: Database,
    workspace: Workspace,
    name: str,
    *,
    currency: str = "GBP",
    description: str = "",
    minimum_amount: int = 0,
) -> Fund:
    fund = Fund(new_id(), _name(name), _currency(currency), description, _amount(minimum_amount, "A minimum"))
    with db.write() as uow:
        uow.catalogue.add_fund(workspace.id, fund)
        uow.commit()
    return fund


def list_funds(db: Database, workspace: Workspace) -> list[Fund]:
    with db.read() as uow:
        return uow.catalogue.funds(workspace.id)


def create_stock_item(
    db: Database,
    workspace: Workspace,
    name: str,
    *,
    price: int,
    stock_level: int,
    currency: str = "GBP",
    description: str = "",
) -> StockItem:
    item = StockItem(
        new_id(),
        _name(name),
        _amount(price, "A price"),
        _currency(currency),
        _amount(stock_level, "A stock level"),
        description,
    )
    with db.write() as uow:
        uow.catalogue.add_stock_item(workspace.id, item)
        uow.commit()
    return item


def list_stock_items(db: Database, workspace: Workspace) -> list[StockItem]:
    with db.read() as uow:
        return uow.catalogue.stock_items(workspace.id)


def set_stock_level(db: Database, workspace: Workspace, stock_item_id: str, level: int) -> StockItem:
    with db.write() as uow:
        if not any(s.id == stock_item_id for s in uow.catalogue.stock_items(workspace.id)):
            raise CatalogueItemNotFound(f"Stock item not found: {stock_item_id}")
        uow.catalogue.set_stock_level(stock_item_id, _amount(level, "A stock level"))
        item = next(s for s in uow.catalogue.stock_items(workspace.id) if s.id == stock_item_id)
        uow.commit()
    return item


def create_membership(
    db: Database,
    workspace: Workspace,
    name: str,
    *,
    price: int,
    currency: str = "GBP",
    duration_months: int = 12,
    auto_renew_allowed: bool = True,
    description: str = "",
) -> Membership:
    if duration_months < 1:
        raise InvalidInput("A membership lasts at least one month")
    membership = Membership(
        new_id(),
        _name(name),
        _amount(price, "A price"),
        _currency(currency),
        duration_months,
        auto_renew_allowed,
        description,
    )
    with db.write() as uow:
        uow.catalogue.add_membership(workspace.id, membership)
        uow.commit()
    return membership


def list_memberships(db: Database, workspace: Workspace) -> list[Membership]:
    with db.read() as uow:
        return uow.catalogue.memberships(workspace.id)


def create_subscription_structure(
    db: Database,
    workspace: Workspace,
    name: str,
    *,
    price: int,
    currency: str = "GBP",
    production_ids: Sequence[str] = (),
    description: str = "",
) -> SubscriptionStructure:
    structure = SubscriptionStructure(
        new_id(), _name(name), _amount(price, "A price"), _currency(currency), tuple(production_ids), description
    )
    with db.write() as uow:
        for production_id in production_ids:
            require_production(uow, workspace, production_id)
        uow.catalogue.add_subscription_structure(workspace.id, structure)
        uow.commit()
    return structure


def list_subscription_structures(db: Database, workspace: Workspace) -> list[SubscriptionStructure]:
    with db.read() as uow:
        return uow.catalogue.subscription_structures(workspace.id)


def create_attribute_definition(
    db: Database, workspace: Workspace, name: str, *, applies_to: str, visible_in_api: bool = True
) -> AttributeDefinition:
    if applies_to not in ("ticket", "order"):
        raise InvalidInput("An attribute applies to 'ticket' or 'order'")
    definition = AttributeDefinition(new_id(), _name(name), applies_to, visible_in_api)
    with db.write() as uow:
        if any(
            a.name == definition.name and a.applies_to == applies_to
            for a in uow.catalogue.attribute_definitions(workspace.id)
        ):
            raise AlreadyExists(f"A {applies_to} attribute {name!r} already exists")
        uow.catalogue.add_attribute_definition(workspace.id, definition)
        uow.commit()
    return definition


def list_attribute_definitions(db: Database, workspace: Workspace) -> list[AttributeDefinition]:
    with db.read() as uow:
        return uow.catalogue.attribute_definitions(workspace.id)
