"""partners (a customer record each, with client credentials) and their quotes

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partners",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_digest", sa.String(length=64), nullable=False),
        sa.Column("secret_version", sa.Integer(), nullable=False),
        sa.Column("ticket_type_id", sa.String(length=40), nullable=False),
        sa.Column("quote_ttl_minutes", sa.Integer(), nullable=False),
        sa.Column("payout_configured", sa.Boolean(), nullable=False),
        sa.Column("transfer_email", sa.String(length=320), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_partners_customer_id_customers")),
        sa.ForeignKeyConstraint(
            ["ticket_type_id"], ["ticket_types.id"], name=op.f("fk_partners_ticket_type_id_ticket_types")
        ),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_partners_workspace_id_workspaces")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_partners")),
        sa.UniqueConstraint("client_id", name=op.f("uq_partners_client_id")),
    )
    op.create_index(op.f("ix_partners_workspace_id"), "partners", ["workspace_id"], unique=False)
    op.create_table(
        "partner_quotes",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("partner_id", sa.String(length=40), nullable=False),
        sa.Column("event_key", sa.String(length=128), nullable=False),
        sa.Column("section", sa.String(length=200), nullable=True),
        sa.Column("row_label", sa.String(length=200), nullable=False),
        sa.Column("labels", sa.JSON(), nullable=False),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("basket_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["partner_id"], ["partners.customer_id"], name=op.f("fk_partner_quotes_partner_id_partners")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_quotes")),
    )
    op.create_index(op.f("ix_partner_quotes_partner_id"), "partner_quotes", ["partner_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_partner_quotes_partner_id"), table_name="partner_quotes")
    op.drop_table("partner_quotes")
    op.drop_index(op.f("ix_partners_workspace_id"), table_name="partners")
    op.drop_table("partners")
