"""Partners: client credentials for signed tokens, discovery, sections and rows, quotes that hold seats at a
price for a TTL, and orders made once from unexpired quotes."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest

from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.partners import (
    InvalidClient,
    InvalidToken,
    PayoutMethodRequired,
    QuoteAlreadyOrdered,
    QuoteExpired,
    SeatsUnavailable,
    adjacent_run,
)
from boxoffice.domain.statuses import BOOKED, FREE, HELD
from boxoffice.services import partners
from boxoffice.services.audit import audit
from boxoffice.services.clock import utcnow
from boxoffice.services.inventory import book
from boxoffice.services.reports import object_infos
from boxoffice.storage.uow import Database
from tests.factories import SYSTEM_SECRET, ShopFixture, make_partner, make_shop


def statuses(db: Database, shop: ShopFixture, labels: list[str]) -> list[str]:
    return [i.status for i in object_infos(db, shop.workspace, shop.event_key, labels)]


def test_adjacent_runs() -> None:
    free = [(0, "A-1"), (1, "A-2"), (3, "A-4"), (4, "A-5"), (5, "A-6")]
    assert adjacent_run(free, 2) == ("A-1", "A-2")
    assert adjacent_run(free, 3) == ("A-4", "A-5", "A-6")
    assert adjacent_run(free, 4) is None
    assert adjacent_run([], 1) is None


def test_tokens_come_from_client_credentials_and_end_with_a_rotated_secret(db: Database) -> None:
    shop = make_shop(db)
    made = make_partner(db, shop)
    token, expires = partners.issue_token(db, made.partner.client_id, made.client_secret, system_secret=SYSTEM_SECRET)
    assert timedelta(minutes=59) < expires - utcnow() <= timedelta(hours=1)
    workspace, partner = partners.partner_for_token(db, token, system_secret=SYSTEM_SECRET)
    assert (workspace.id, partner.id) == (shop.workspace.id, made.partner.id)
    with pytest.raises(InvalidClient):
        partners.issue_token(db, made.partner.client_id, "wrong", system_secret=SYSTEM_SECRET)
    with pytest.raises(InvalidClient):
        partners.issue_token(db, "nobody", made.client_secret, system_secret=SYSTEM_SECRET)
    with pytest.raises(InvalidToken):
        partners.partner_for_token(db, token + "x", system_secret=SYSTEM_SECRET)
    with pytest.raises(InvalidToken):
        partners.partner_for_token(db, token, system_secret="another secret")
    past = utcnow() - timedelta(hours=2)
    stale, _ = partners.issue_token(
        db, made.partner.client_id, made.client_secret, system_secret=SYSTEM_SECRET, now=past
    )
    with pytest.raises(InvalidToken, match="expired"):
        partners.partner_for_token(db, stale, system_secret=SYSTEM_SECRET)
    claims = {"sub": made.partner.id, "ver": 1, "aud": "boxoffice-partner", "exp": 2**31}
    forged = jwt.encode(claims, "a guessed key of at least thirty-two bytes")
    with pytest.raises(InvalidToken):
        partners.partner_for_token(db, forged, system_secret=SYSTEM_SECRET)

    rotated = partners.rotate_secret(db, shop.workspace, made.partner.id)
    with pytest.raises(InvalidToken, match="rotated"):
        partners.partner_for_token(db, token, system_secret=SYSTEM_SECRET)
    with pytest.raises(InvalidClient):
        partners.issue_token(db, made.partner.client_id, made.client_secret, system_secret=SYSTEM_SECRET)
    fresh, _ = partners.issue_token(db, made.partner.client_id, rotated.client_secret, system_secret=SYSTEM_SECRET)
    partners.update_partner(db, shop.workspace, made.partner.id, active=False)
    with pytest.raises(InvalidToken):
        partners.partner_for_token(db, fresh, system_secret=SYSTEM_SECRET)


def test_discovery_and_rows_show_what_is_on_sale_and_what_it_costs(db: Database) -> None:
    shop = make_shop(db)
    partner = make_partner(db, shop).partner
    found = partners.discover(db, shop.workspace)
    assert [(e.event_key, e.name, e.venue) for e in found] == [(shop.event_key, "Hamlet", "Small hall")]
    assert partners.discover(db, shop.workspace, query="hamLET") == found
    assert partners.discover(db, shop.workspace, query="Macbeth") == []
    assert partners.discover(db, shop.workspace, starts_from=utcnow() + timedelta(days=8)) == []
    book(db, shop.workspace, [shop.event_key], ["A-1", "A-2"], order_id="earlier")
    rows = {(r.section, r.row): r for r in partners.sections(db, shop.workspace, partner, shop.event_key)}
    assert set(rows) == {(None, "A"), (None, "B"), (None, "C")}
    assert (rows[(None, "A")].available, rows[(None, "A")].min_price) == (8, 3000 + 100)  # band 2, plus the fee
    assert (rows[(None, "B")].available, rows[(None, "B")].max_price) == (10, 2500 + 100)


def test_a_quote_holds_adjacent_seats_at_a_price_and_becomes_one_order(db: Database) -> None:
    shop = make_shop(db)
    partner = make_partner(db, shop).partner
    book(db, shop.workspace, [shop.event_key], ["B-3"], order_id="earlier")
    quote = partners.create_quote(db, shop.workspace, partner, shop.event_key, "B", 3)
    assert quote.labels == ("B-4", "B-5", "B-6")  # B-1..B-2 are only two together before the sold B-3
    assert (quote.unit_price, quote.total, quote.currency, quote.status) == (2600, 7800, "GBP", "open")
    assert quote.expires_at - quote.created_at == timedelta(minutes=10)
    assert statuses(db, shop, list(quote.labels)) == [HELD] * 3

    order = partners.create_order(db, shop.workspace, partner, quote.id)
    assert order.customer_id == partner.id and order.channel == "partner" and order.total == 7800
    assert [p.method for p in order.payments] == ["partner"]
    assert statuses(db, shop, list(quote.labels)) == [BOOKED] * 3
    assert partners.get_quote(db, partner, quote.id).status == "ordered"
    with pytest.raises(QuoteAlreadyOrdered):
        partners.create_order(db, shop.workspace, partner, quote.id)
    assert partners.get_order(db, shop.workspace, partner, order.id) == (
        order,
        partners.get_quote(db, partner, quote.id),
    )
    assert audit(db).clean


def test_an_expired_quote_cannot_become_an_order_and_its_seats_are_free(db: Database) -> None:
    shop = make_shop(db)
    partner = make_partner(db, shop, ttl_minutes=1).partner
    quote = partners.create_quote(db, shop.workspace, partner, shop.event_key, "C", 2)
    with db.write() as uow:
        past = utcnow() - timedelta(minutes=5)
        uow.partners.update_quote(quote.id, expires_at=past)
        basket = uow.baskets.get(shop.workspace.id, quote.basket_id)
        assert basket is not None
        uow.baskets.update(basket.id, last_activity_at=past)
        uow.hold_tokens.set_expiry(basket.hold_token, past)
        uow.commit()
    assert partners.get_quote(db, partner, quote.id).status == "expired"
    with pytest.raises(QuoteExpired):
        partners.create_order(db, shop.workspace, partner, quote.id)
    assert statuses(db, shop, list(quote.labels)) == [FREE, FREE]
    again = partners.create_quote(db, shop.workspace, partner, shop.event_key, "C", 2)
    assert again.labels == quote.labels  # free for the next quote at once


def test_quotes_need_a_payout_method_seats_and_a_real_row(db: Database) -> None:
    shop = make_shop(db)
    waiting = make_partner(db, shop, payout_configured=False).partner
    with pytest.raises(PayoutMethodRequired):
        partners.create_quote(db, shop.workspace, waiting, shop.event_key, "A", 2)
    partner = partners.update_partner(db, shop.workspace, waiting.id, payout_configured=True)
    with pytest.raises(SeatsUnavailable):
        partners.create_quote(db, shop.workspace, partner, shop.event_key, "A", 11)
    with pytest.raises(InvalidInput):
        partners.create_quote(db, shop.workspace, partner, shop.event_key, "A", 21)
    with pytest.raises(InvalidInput):
        partners.create_quote(db, shop.workspace, partner, shop.event_key, "Z", 2)
    with pytest.raises(InvalidInput):
        partners.create_quote(db, shop.workspace, partner, shop.event_key, "A", 0)
    with pytest.raises(InvalidInput):
        partners.update_partner(db, shop.workspace, partner.id, transfer_email="not an email")
