"""The records an answer names (events, performances, productions, layouts, ticket types, item names,
customers), read lazily and kept for the rest of the request.

A basket answer names the same event for every ticket, its performance and production, its chart's
layout and every ticket type; read one at a time, each in a transaction of its own, that was seven
transactions per answer. Inside `reading()` they share one read transaction; outside it each lookup reads
in its own, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Self, TypeVar

from boxoffice.domain.agents import Agent, CommissionStructure
from boxoffice.domain.baskets import DONATION, MEMBERSHIP, MERCHANDISE, SUBSCRIPTION
from boxoffice.domain.catalogue import Customer, Performance, Production
from boxoffice.domain.errors import CatalogueItemNotFound, EventNotFound
from boxoffice.domain.layout import Layout
from boxoffice.domain.records import Event, Workspace
from boxoffice.services.agents import commission_structure_of
from boxoffice.services.catalogue import require_production
from boxoffice.services.charts import require_chart
from boxoffice.services.events import require_event
from boxoffice.services.layouts import layout_for_chart, layout_of
from boxoffice.storage.uow import Database, UnitOfWork

T = TypeVar("T")


class Lookup:
    """Names and shapes needed to render, fetched once per request."""

    def __init__(self, db: Database, workspace: Workspace) -> None:
        self.db = db
        self.workspace = workspace
        self._reads: ExitStack | None = None
        self._uow: UnitOfWork | None = None
        self._events: dict[str, Event] = {}
        self._performances: dict[str, Performance] = {}
        self._productions: dict[str, Production] = {}
        self._layouts: dict[str, Layout] = {}
        self._ticket_types: dict[str, str] | None = None
        self._items: dict[tuple[str, str], str] | None = None
        self._structures: dict[str, CommissionStructure | None] = {}

    @contextmanager
    def reading(self) -> Iterator[Self]:
        """Every lookup made inside reads through one read transaction, opened by the first that reads."""
        if self._reads is not None:
            yield self
            return
        with ExitStack() as reads:
            self._reads = reads
            try:
                yield self
            finally:
                self._reads, self._uow = None, None

    def _read(self, work: Callable[[UnitOfWork], T]) -> T:
        if self._reads is None:
            with self.db.read() as uow:
                return work(uow)
        if self._uow is None:
            self._uow = self._reads.enter_context(self.db.read())
        return work(self._uow)

    def event(self, event_key: str) -> Event:
        if event_key not in self._events:
            self._events[event_key] = self._read(lambda uow: require_event(uow, self.workspace, event_key))
        return self._events[event_key]

    def performance(self, event_key: str) -> Performance:
        if event_key not in self._performances:
            event = self.event(event_key)
            found = self._read(lambda uow: uow.catalogue.performance(event.id))
            if found is None:
                raise EventNotFound(f"Performance not found: {event_key}")
            self._performances[event_key] = found
        return self._performances[event_key]

    def production(self, production_id: str) -> Production:
        if production_id not in self._productions:
            self._productions[production_id] = self._read(
                lambda uow: require_production(uow, self.workspace, production_id)
            )
        return self._productions[production_id]

    def layout(self, chart_key: str) -> Layout:
        """The chart's published layout: through an event already read on that chart (its chart version came
        with it, so the chart row need not be read), else through the chart."""
        if chart_key not in self._layouts:
            event = next((e for e in self._events.values() if e.chart_key == chart_key), None)
            self._layouts[chart_key] = self._read(
                lambda uow: layout_of(uow, event) if event is not None else self._chart_layout(uow, chart_key)
            )
        return self._layouts[chart_key]

    def _chart_layout(self, uow: UnitOfWork, chart_key: str) -> Layout:
        chart = require_chart(uow, self.workspace, chart_key)
        return layout_for_chart(uow, chart.id, chart.published_version, created_at=chart.created_at)

    def band(self, chart_key: str, category_key: str) -> dict[str, str]:
        category = self.layout(chart_key).category(category_key)
        return {"id": category_key, "name": category.label if category else ""}

    def ticket_type(self, ticket_type_id: str) -> str:
        if self._ticket_types is None:
            types = self._read(lambda uow: uow.catalogue.ticket_types(self.workspace.id))
            self._ticket_types = {t.id: t.name for t in types}
        return self._ticket_types.get(ticket_type_id, "")

    def item_name(self, kind: str, item_id: str) -> str:
        if self._items is None:
            self._items = self._read(self._item_names)
        return self._items.get((kind, item_id), "")

    def _item_names(self, uow: UnitOfWork) -> dict[tuple[str, str], str]:
        ws = self.workspace.id
        names: dict[tuple[str, str], str] = {}
        names |= {(DONATION, f.id): f.name for f in uow.catalogue.funds(ws)}
        names |= {(MERCHANDISE, s.id): s.name for s in uow.catalogue.stock_items(ws)}
        names |= {(MEMBERSHIP, m.id): m.name for m in uow.catalogue.memberships(ws)}
        names |= {(SUBSCRIPTION, s.id): s.name for s in uow.catalogue.subscription_structures(ws)}
        return names

    def commission_structure(self, agent: Agent) -> CommissionStructure | None:
        """What `agent` earns (its baskets show it per ticket)."""
        if agent.id not in self._structures:
            self._structures[agent.id] = self._read(lambda uow: commission_structure_of(uow, agent))
        return self._structures[agent.id]

    def customer(self, customer_id: str | None) -> Customer | None:
        if not customer_id:
            return None
        found = self._read(lambda uow: uow.catalogue.customer(self.workspace.id, customer_id))
        if found is None:
            raise CatalogueItemNotFound(f"Customer not found: {customer_id}")
        return found
