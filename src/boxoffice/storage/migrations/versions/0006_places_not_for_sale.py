"""event_objects.places_not_for_sale: part of a general admission area taken off sale (seats.io areaPlaces)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_objects") as batch:
        batch.add_column(sa.Column("places_not_for_sale", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("event_objects") as batch:
        batch.drop_column("places_not_for_sale")
