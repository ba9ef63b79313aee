"""channels.position nullable: seats.io's channel index is optional and reads back null when not given

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("channels") as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE channels SET position = 0 WHERE position IS NULL")
    with op.batch_alter_table("channels") as batch:
        batch.alter_column("position", existing_type=sa.Integer(), nullable=False)
