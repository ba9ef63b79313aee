"""ticket_buyers: each workspace's set of ticket buyer ids (UUIDs), with an integer id to page by

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ticket_buyers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_ticket_buyers_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_buyers")),
        sa.UniqueConstraint("workspace_id", "buyer_id", name=op.f("uq_ticket_buyers_workspace_id")),
    )


def downgrade() -> None:
    op.drop_table("ticket_buyers")
