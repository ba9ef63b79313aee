from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from boxoffice.domain.errors import CatalogueItemNotFound, EventNotFound
from boxoffice.domain.layout import ObjectType
from boxoffice.services.lookups import Lookup
from boxoffice.storage.uow import Database
from tests.factories import make_shop, recorded_queries


@contextmanager
def counting(db: Database) -> Iterator[dict[str, int]]:
    """Connections taken from the pool, and queries sent through SQLAlchemy (filled in on the way out)."""
    seen = {"connections": 0, "statements": 0}

    def checkout(*_: object) -> None:
        seen["connections"] += 1

    event.listen(db.engine, "checkout", checkout)
    try:
        with recorded_queries(db) as sent:
            yield seen
    finally:
        event.remove(db.engine, "checkout", checkout)
    seen["statements"] = len(sent)


def _render_names(lookup: Lookup, event_key: str, ticket_type: str) -> tuple[str, str, str, str]:
    performance = lookup.performance(event_key)
    chart_key = lookup.event(event_key).chart_key
    return (
        lookup.production(performance.production_id).name,
        lookup.layout(chart_key).objects["GA"].object_type,
        lookup.band(chart_key, "1")["id"],
        lookup.ticket_type(ticket_type),
    )


def test_one_read_transaction_serves_every_lookup_made_inside_reading(db: Database) -> None:
    shop = make_shop(db)
    expected = ("Hamlet", ObjectType.GENERAL_ADMISSION, "1", "Adult")
    with counting(db) as seen, Lookup(db, shop.workspace).reading() as lookup:
        assert _render_names(lookup, shop.event_key, shop.adult) == expected
        assert _render_names(lookup, shop.event_key, shop.adult) == expected  # all kept: nothing read again
    # event, performance, production, ticket types; the layout comes through the event's chart version
    assert seen == {"connections": 1, "statements": 4}


def test_outside_reading_each_lookup_reads_in_its_own_transaction(db: Database) -> None:
    shop = make_shop(db)
    with counting(db) as seen:
        lookup = Lookup(db, shop.workspace)
        assert lookup.performance(shop.event_key).event_key == shop.event_key  # reads the event, then it
        assert lookup.event(shop.event_key).key == shop.event_key  # kept from the performance's read
    assert seen == {"connections": 2, "statements": 2}


def test_a_reading_that_reads_nothing_takes_no_connection(db: Database) -> None:
    shop = make_shop(db)
    with counting(db) as seen, Lookup(db, shop.workspace).reading() as lookup:
        assert lookup.customer(None) is None
    assert seen == {"connections": 0, "statements": 0}


def test_a_layout_asked_for_by_chart_alone_reads_the_chart(db: Database) -> None:
    shop = make_shop(db)
    chart_key = Lookup(db, shop.workspace).event(shop.event_key).chart_key
    with Lookup(db, shop.workspace).reading() as lookup:
        assert lookup.layout(chart_key).objects["A-1"].object_type == ObjectType.SEAT


def test_unknown_records_are_the_domains_not_found_errors(db: Database) -> None:
    shop = make_shop(db)
    with Lookup(db, shop.workspace).reading() as lookup:
        with pytest.raises(EventNotFound):
            lookup.event("no-such-event")
        with pytest.raises(CatalogueItemNotFound):
            lookup.production("no-such-production")
        with pytest.raises(CatalogueItemNotFound):
            lookup.customer("no-such-customer")
        assert lookup.ticket_type("no-such-type") == ""
