"""Part of a general admission area in a channel (seats.io's channel areaPlaces)

A channel's share of an area is an object of its own, labelled ``<area>##<channel key>``
(`partition_of` names the area); the area counts the places moved out in `places_in_channels`.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("event_objects") as batch:
        batch.add_column(sa.Column("places_in_channels", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("partition_of", sa.String(300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("event_objects") as batch:
        batch.drop_column("partition_of")
        batch.drop_column("places_in_channels")
