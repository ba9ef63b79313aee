"""indexes for a customer's baskets and orders: an agent's baskets and orders, its invoices and the agent
sales report read them by customer record (and period), which scanned the tables before

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_baskets_workspace_customer", "baskets", ["workspace_id", "customer_id"], unique=False)
    op.create_index("ix_orders_customer_created", "orders", ["customer_id", "created_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_orders_customer_created", table_name="orders")
    op.drop_index("ix_baskets_workspace_customer", table_name="baskets")
