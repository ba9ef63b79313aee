"""The commerce schema: catalogue (productions, performances, prices, funds, stock, memberships,
subscriptions, attributes), customers, baskets and orders. Money is integer minor units + currency."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from boxoffice.storage.tables import _ts, metadata

Money = BigInteger

productions = Table(
    "productions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(500), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("duration_minutes", Integer, nullable=False, default=0),
    Column("attributes", JSON, nullable=False, default=dict),
    _ts("created_at"),
)

performances = Table(
    "performances",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("production_id", ForeignKey("productions.id"), nullable=False, index=True),
    _ts("start"),
    Column("currency", String(3), nullable=False),
    _ts("web_sale_from", nullable=True),
    _ts("web_sale_until", nullable=True),
    _ts("box_office_sale_from", nullable=True),
    _ts("box_office_sale_until", nullable=True),
    Column("cancelled", Boolean, nullable=False, default=False),
)

ticket_types = Table(
    "ticket_types",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("workspace_id", "name"),
)

prices = Table(
    "prices",
    metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("ticket_type_id", ForeignKey("ticket_types.id"), primary_key=True),
    Column("category_key", String(100), primary_key=True),
    Column("amount", Money, nullable=False),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)

fees = Table(
    "fees",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("ticket_type_id", ForeignKey("ticket_types.id"), nullable=True),
    Column("name", String(200), nullable=False),
    Column("amount", Money, nullable=False),
)

funds = Table(
    "funds",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("minimum_amount", Money, nullable=False, default=0),
    Column("currency", String(3), nullable=False),
)

stock_items = Table(
    "stock_items",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("price", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("stock_level", Integer, nullable=False),
    CheckConstraint("stock_level >= 0", name="stock_not_negative"),
)

memberships = Table(
    "memberships",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("price", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("duration_months", Integer, nullable=False, default=12),
    Column("auto_renew_allowed", Boolean, nullable=False, default=True),
)

subscription_structures = Table(
    "subscription_structures",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("price", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("production_ids", JSON, nullable=False, default=list),  # the shows a subscription covers
)

attribute_definitions = Table(
    "attribute_definitions",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("applies_to", String(20), nullable=False),  # "ticket" | "order"
    Column("visible_in_api", Boolean, nullable=False, default=True),
    UniqueConstraint("workspace_id", "applies_to", "name"),
)

customers = Table(
    "customers",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("first_name", String(200), nullable=False, default=""),
    Column("last_name", String(200), nullable=False, default=""),
    Column("email", String(320), nullable=True),
    Column("address", JSON, nullable=False, default=dict),
    _ts("created_at"),
    Index("ix_customers_workspace_email", "workspace_id", "email"),
)

# Agents (domain/agents.py): a customer record with the agent flag, which is this row.
commission_structures = Table(
    "commission_structures",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(300), nullable=False),
    Column("kind", String(20), nullable=False),  # fixed | percentage | matrix
    Column("currency", String(3), nullable=False),
    Column("fixed_amount", Money, nullable=False, default=0),
    Column("basis_points", Integer, nullable=False, default=0),
    Column("matrix", JSON, nullable=False, default=dict),  # ticket type id -> band -> amount
)

agents = Table(
    "agents",
    metadata,
    Column("customer_id", ForeignKey("customers.id"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("login", String(200), nullable=False),
    Column("commission_structure_id", ForeignKey("commission_structures.id"), nullable=True),
    Column("restricted", Boolean, nullable=False, default=False),
    Column("delivery_methods", JSON, nullable=False, default=list),
    Column("active", Boolean, nullable=False, default=True),
    Column("key_salt", String(64), nullable=False),
    _ts("created_at"),
    UniqueConstraint("workspace_id", "login"),
)

# Marketplaces (domain/marketplaces.py): a customer record, which is this row, and their holds and sales.
marketplaces = Table(
    "marketplaces",
    metadata,
    Column("customer_id", ForeignKey("customers.id"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(30), nullable=False),  # orderIntegration | instantNotification
    Column("ticket_type_id", ForeignKey("ticket_types.id"), nullable=False),
    Column("hold_minutes", Integer, nullable=False),
    Column("auto_reject_minutes", Integer, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("key_salt", String(64), nullable=False),
    _ts("created_at"),
)

marketplace_holds = Table(
    "marketplace_holds",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("marketplace_id", ForeignKey("marketplaces.customer_id"), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("event_key", String(128), nullable=False),
    Column("basket_id", String(40), nullable=False),
    Column("status", String(20), nullable=False),  # held | invoiced | released | expired
    Column("labels", JSON, nullable=False, default=list),
    Column("order_id", String(40), nullable=True),
    _ts("created_at"),
    _ts("expires_at"),
    UniqueConstraint("marketplace_id", "reference"),
)

marketplace_sales = Table(
    "marketplace_sales",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("marketplace_id", ForeignKey("marketplaces.customer_id"), nullable=False),
    Column("reference", String(100), nullable=False),
    Column("event_key", String(128), nullable=False),
    Column("labels", JSON, nullable=False, default=list),
    Column("status", String(20), nullable=False),  # confirmed | pending | rejected | autoRejected
    Column("buyer", JSON, nullable=False, default=dict),
    Column("order_id", String(40), nullable=True),
    Column("reason", String(500), nullable=True),
    _ts("received_at"),
    UniqueConstraint("marketplace_id", "reference"),
    Index("ix_marketplace_sales_status", "status", "received_at"),
)

# Partners (domain/partners.py): a customer record, which is this row, and their quotes.
partners = Table(
    "partners",
    metadata,
    Column("customer_id", ForeignKey("customers.id"), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("secret_digest", String(64), nullable=False),  # SHA-256 of the client secret
    Column("secret_version", Integer, nullable=False, default=1),
    Column("ticket_type_id", ForeignKey("ticket_types.id"), nullable=False),
    Column("quote_ttl_minutes", Integer, nullable=False),
    Column("payout_configured", Boolean, nullable=False, default=False),
    Column("transfer_email", String(320), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    _ts("created_at"),
)

partner_quotes = Table(
    "partner_quotes",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("partner_id", ForeignKey("partners.customer_id"), nullable=False, index=True),
    Column("event_key", String(128), nullable=False),
    Column("section", String(200), nullable=True),
    Column("row_label", String(200), nullable=False),
    Column("labels", JSON, nullable=False, default=list),
    Column("unit_price", Money, nullable=False),
    Column("total", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("basket_id", String(40), nullable=False),
    Column("status", String(20), nullable=False),  # open | ordered (expired is read from expires_at)
    Column("order_id", String(40), nullable=True),
    _ts("created_at"),
    _ts("expires_at"),
)

customer_memberships = Table(
    "customer_memberships",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False, index=True),
    Column("membership_id", ForeignKey("memberships.id"), nullable=False),
    Column("order_id", String(40), nullable=True),
    _ts("starts_at"),
    _ts("expires_at"),
    Column("auto_renew", Boolean, nullable=False, default=False),
)

baskets = Table(
    "baskets",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("hold_token", String(64), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=True),
    Column("channel", String(30), nullable=False, default="web"),
    Column("status", String(20), nullable=False, default="open"),  # open | checking_out | checked_out
    Column("order_attributes", JSON, nullable=False, default=dict),
    _ts("created_at"),
    _ts("last_activity_at"),
    Column("end_customer", JSON, nullable=True),  # an agent's buyer (domain/agents.py end_customer)
    Column("delivery_method", String(30), nullable=True),
    # an agent's (a marketplace's, a partner's) baskets: listed by their customer record
    Index("ix_baskets_workspace_customer", "workspace_id", "customer_id"),
)

basket_tickets = Table(
    "basket_tickets",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("basket_id", ForeignKey("baskets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("ticket_type_id", ForeignKey("ticket_types.id"), nullable=False),
    Column("category_key", String(100), nullable=False),
    Column("price", Money, nullable=False),
    Column("fees", Money, nullable=False, default=0),
    Column("currency", String(3), nullable=False),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("resale_listing_id", String(40), nullable=True),  # a resale seat, priced by its listing
)

basket_items = Table(
    "basket_items",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("basket_id", ForeignKey("baskets.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # donation | merchandise | membership | subscription
    Column("item_id", String(40), nullable=False),  # the fund, stock item, membership or structure
    Column("amount", Money, nullable=False),  # per unit
    Column("currency", String(3), nullable=False),
    Column("quantity", Integer, nullable=False, default=1),
    Column("reference", String(30), nullable=True),
    Column("auto_renew", Boolean, nullable=False, default=False),
)

orders = Table(
    "orders",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False),
    Column("reference", String(20), nullable=False, unique=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=True),
    Column("basket_id", String(40), nullable=True, unique=True),  # a basket becomes at most one order
    Column("channel", String(30), nullable=False),
    Column("status", String(20), nullable=False, default="confirmed"),
    Column("currency", String(3), nullable=False),
    Column("total", Money, nullable=False),
    Column("attributes", JSON, nullable=False, default=dict),
    Column("idempotency_key", String(200), nullable=True),
    _ts("created_at"),
    Column("end_customer", JSON, nullable=True),  # an agent's buyer (domain/agents.py end_customer)
    Column("delivery_method", String(30), nullable=True),
    UniqueConstraint("workspace_id", "idempotency_key"),
    # a customer's orders over a period: a customer's page, an agent's orders, invoices and sales reports
    Index("ix_orders_customer_created", "customer_id", "created_at"),
)

order_tickets = Table(
    "order_tickets",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("ticket_type_id", ForeignKey("ticket_types.id"), nullable=False),
    Column("category_key", String(100), nullable=False),
    Column("price", Money, nullable=False),
    Column("fees", Money, nullable=False, default=0),
    Column("barcode", String(40), nullable=False, unique=True),
    Column("status", String(20), nullable=False, default="valid"),  # valid | returned
    Column("attributes", JSON, nullable=False, default=dict),
    Column("commission", Money, nullable=False, default=0, server_default="0"),  # an agent's, fixed at sale
    Index("ix_order_tickets_event", "event_id", "label"),
)

order_items = Table(
    "order_items",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),
    Column("item_id", String(40), nullable=False),
    Column("amount", Money, nullable=False),
    Column("quantity", Integer, nullable=False, default=1),
    Column("reference", String(30), nullable=True),
    Column("auto_renew", Boolean, nullable=False, default=False),
    Column("status", String(20), nullable=False, default="valid"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("method", String(40), nullable=False),
    Column("amount", Money, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),  # pending | paid | refunded
    Column("provider_reference", String(200), nullable=True),
    _ts("created_at"),
)

refunds = Table(
    "refunds",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False, index=True),
    Column("amount", Money, nullable=False),
    Column("reason", String(500), nullable=False, default=""),
    _ts("created_at"),
)

# Resale listings (domain/resale.py): one per time a valid ticket is listed; at most one listed per seat.
resale_listings = Table(
    "resale_listings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("workspace_id", ForeignKey("workspaces.id"), nullable=False, index=True),
    Column("order_id", ForeignKey("orders.id"), nullable=False),
    Column("ticket_id", ForeignKey("order_tickets.id"), nullable=False, index=True),
    Column("event_id", ForeignKey("events.id"), nullable=False),
    Column("label", String(300), nullable=False),
    Column("price", Money, nullable=False),
    Column("fee", Money, nullable=False, default=0),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),  # listed | sold | withdrawn
    Column("buyer_order_id", String(40), nullable=True),
    _ts("listed_at"),
    _ts("closed_at", nullable=True),
    Index("ix_resale_listings_seat", "event_id", "label", "status"),
)
