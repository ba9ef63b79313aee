"""Partners and their quotes (domain/partners.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from boxoffice.domain.partners import Partner, Quote
from boxoffice.storage.commerce_tables import partner_quotes, partners


def _partner(m: Any) -> Partner:
    return Partner(
        id=m["customer_id"],
        workspace_id=m["workspace_id"],
        name=m["name"],
        client_id=m["client_id"],
        ticket_type_id=m["ticket_type_id"],
        created_at=m["created_at"],
        quote_ttl_minutes=m["quote_ttl_minutes"],
        payout_configured=bool(m["payout_configured"]),
        transfer_email=m["transfer_email"],
        active=bool(m["active"]),
        secret_version=m["secret_version"],
    )


def _quote(m: Any) -> Quote:
    return Quote(
        id=m["id"],
        partner_id=m["partner_id"],
        event_key=m["event_key"],
        section=m["section"],
        row=m["row_label"],
        labels=tuple(m["labels"] or ()),
        unit_price=m["unit_price"],
        total=m["total"],
        currency=m["currency"],
        basket_id=m["basket_id"],
        status=m["status"],
        created_at=m["created_at"],
        expires_at=m["expires_at"],
        order_id=m["order_id"],
    )


class PartnerRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, partner: Partner, secret_digest: str) -> None:
        self.conn.execute(
            insert(partners).values(
                customer_id=partner.id,
                workspace_id=partner.workspace_id,
                name=partner.name,
                client_id=partner.client_id,
                secret_digest=secret_digest,
                secret_version=partner.secret_version,
                ticket_type_id=partner.ticket_type_id,
                quote_ttl_minutes=partner.quote_ttl_minutes,
                payout_configured=partner.payout_configured,
                transfer_email=partner.transfer_email,
                active=partner.active,
                created_at=partner.created_at,
            )
        )

    def update(self, partner_id: str, **values: Any) -> None:
        self.conn.execute(update(partners).where(partners.c.customer_id == partner_id).values(**values))

    def get(self, workspace_id: int, partner_id: str) -> Partner | None:
        query = select(partners).where(partners.c.workspace_id == workspace_id, partners.c.customer_id == partner_id)
        row = self.conn.execute(query).mappings().first()
        return _partner(row) if row else None

    def by_id(self, partner_id: str) -> Partner | None:
        row = self.conn.execute(select(partners).where(partners.c.customer_id == partner_id)).mappings().first()
        return _partner(row) if row else None

    def by_client_id(self, client_id: str) -> tuple[Partner, str] | None:
        """The partner and its secret's digest."""
        row = self.conn.execute(select(partners).where(partners.c.client_id == client_id)).mappings().first()
        return (_partner(row), row["secret_digest"]) if row else None

    def in_workspace(self, workspace_id: int) -> list[Partner]:
        rows = self.conn.execute(
            select(partners).where(partners.c.workspace_id == workspace_id).order_by(partners.c.name)
        ).mappings()
        return [_partner(r) for r in rows]

    def add_quote(self, quote: Quote) -> None:
        self.conn.execute(
            insert(partner_quotes).values(
                id=quote.id,
                partner_id=quote.partner_id,
                event_key=quote.event_key,
                section=quote.section,
                row_label=quote.row,
                labels=list(quote.labels),
                unit_price=quote.unit_price,
                total=quote.total,
                currency=quote.currency,
                basket_id=quote.basket_id,
                status=quote.status,
                order_id=quote.order_id,
                created_at=quote.created_at,
                expires_at=quote.expires_at,
            )
        )

    def quote(self, partner_id: str, quote_id: str, *, for_update: bool = False) -> Quote | None:
        query = select(partner_quotes).where(partner_quotes.c.partner_id == partner_id, partner_quotes.c.id == quote_id)
        row = self.conn.execute(query.with_for_update() if for_update else query).mappings().first()
        return _quote(row) if row else None

    def quote_of_order(self, order_id: str) -> Quote | None:
        query = select(partner_quotes).where(partner_quotes.c.order_id == order_id)
        row = self.conn.execute(query).mappings().first()
        return _quote(row) if row else None

    def update_quote(self, quote_id: str, **values: Any) -> None:
        self.conn.execute(update(partner_quotes).where(partner_quotes.c.id == quote_id).values(**values))
