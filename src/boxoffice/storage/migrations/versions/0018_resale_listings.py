"""resale listings: a valid ticket's seat listed for resale at the seller's price, sold to a buyer's order
(the seller's payout recorded) or withdrawn; a basket's resale seat names its listing

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resale_listings",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("ticket_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("buyer_order_id", sa.String(length=40), nullable=True),
        sa.Column("listed_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"], name=op.f("fk_resale_listings_event_id_events")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_resale_listings_order_id_orders")),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["order_tickets.id"], name=op.f("fk_resale_listings_ticket_id_order_tickets")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_resale_listings_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resale_listings")),
    )
    op.create_index(op.f("ix_resale_listings_workspace_id"), "resale_listings", ["workspace_id"], unique=False)
    op.create_index(op.f("ix_resale_listings_ticket_id"), "resale_listings", ["ticket_id"], unique=False)
    op.create_index("ix_resale_listings_seat", "resale_listings", ["event_id", "label", "status"], unique=False)
    with op.batch_alter_table("basket_tickets") as batch:
        batch.add_column(sa.Column("resale_listing_id", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("basket_tickets") as batch:
        batch.drop_column("resale_listing_id")
    op.drop_index("ix_resale_listings_seat", table_name="resale_listings")
    op.drop_index(op.f("ix_resale_listings_ticket_id"), table_name="resale_listings")
    op.drop_index(op.f("ix_resale_listings_workspace_id"), table_name="resale_listings")
    op.drop_table("resale_listings")
