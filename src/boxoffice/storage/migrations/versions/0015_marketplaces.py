"""marketplaces (a customer record each), their binding holds (Order Integration) and notified sales
(Instant Notification)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "marketplaces",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=40), nullable=False),
        sa.Column("hold_minutes", sa.Integer(), nullable=False),
        sa.Column("auto_reject_minutes", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("key_salt", sa.String(length=64), nullable=False),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_marketplaces_customer_id_customers")),
        sa.ForeignKeyConstraint(
            ["ticket_type_id"], ["ticket_types.id"], name=op.f("fk_marketplaces_ticket_type_id_ticket_types")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_marketplaces_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_marketplaces")),
    )
    op.create_index(op.f("ix_marketplaces_workspace_id"), "marketplaces", ["workspace_id"], unique=False)
    op.create_table(
        "marketplace_holds",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("marketplace_id", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("basket_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.customer_id"],
            name=op.f("fk_marketplace_holds_marketplace_id_marketplaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_holds")),
        sa.UniqueConstraint("marketplace_id", "reference", name=op.f("uq_marketplace_holds_marketplace_id")),
    )
    op.create_table(
        "marketplace_sales",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("marketplace_id", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("buyer", sa.JSON(), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("received_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["marketplace_id"],
            ["marketplaces.customer_id"],
            name=op.f("fk_marketplace_sales_marketplace_id_marketplaces"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_marketplace_sales")),
        sa.UniqueConstraint("marketplace_id", "reference", name=op.f("uq_marketplace_sales_marketplace_id")),
    )
    op.create_index("ix_marketplace_sales_status", "marketplace_sales", ["status", "received_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_marketplace_sales_status", table_name="marketplace_sales")
    op.drop_table("marketplace_sales")
    op.drop_table("marketplace_holds")
    op.drop_index(op.f("ix_marketplaces_workspace_id"), table_name="marketplaces")
    op.drop_table("marketplaces")
