"""agents: commission structures, agents (a customer record with the agent flag), an agent's buyer and the
delivery method on baskets and orders, and each ticket's commission

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commission_structures",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("fixed_amount", sa.BigInteger(), nullable=False),
        sa.Column("basis_points", sa.Integer(), nullable=False),
        sa.Column("matrix", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_commission_structures_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commission_structures")),
    )
    op.create_index(
        op.f("ix_commission_structures_workspace_id"), "commission_structures", ["workspace_id"], unique=False
    )
    op.create_table(
        "agents",
        sa.Column("customer_id", sa.String(length=40), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=200), nullable=False),
        sa.Column("commission_structure_id", sa.String(length=40), nullable=True),
        sa.Column("restricted", sa.Boolean(), nullable=False),
        sa.Column("delivery_methods", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("key_salt", sa.String(length=64), nullable=False),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commission_structure_id"],
            ["commission_structures.id"],
            name=op.f("fk_agents_commission_structure_id_commission_structures"),
        ),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_agents_customer_id_customers")),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"], name=op.f("fk_agents_workspace_id_workspaces")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_agents")),
        sa.UniqueConstraint("workspace_id", "login", name=op.f("uq_agents_workspace_id")),
    )
    for table in ("baskets", "orders"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("end_customer", sa.JSON(), nullable=True))
            batch.add_column(sa.Column("delivery_method", sa.String(length=30), nullable=True))
    with op.batch_alter_table("order_tickets") as batch:
        batch.add_column(sa.Column("commission", sa.BigInteger(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("order_tickets") as batch:
        batch.drop_column("commission")
    for table in ("orders", "baskets"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("delivery_method")
            batch.drop_column("end_customer")
    op.drop_table("agents")
    op.drop_index(op.f("ix_commission_structures_workspace_id"), table_name="commission_structures")
    op.drop_table("commission_structures")
