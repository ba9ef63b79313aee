"""seasons: events.season_kind and top_level_season_id, season_events (members), season_overrides

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("season_kind", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("top_level_season_id", sa.Integer(), nullable=True))
    op.create_table(
        "season_events",
        sa.Column("season_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["season_id"], ["events.id"], name=op.f("fk_season_events_season_id_events"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_season_events_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("season_id", "event_id", name=op.f("pk_season_events")),
    )
    op.create_index("ix_season_events_event", "season_events", ["event_id"], unique=False)
    op.create_table(
        "season_overrides",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_season_overrides_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "label", name=op.f("pk_season_overrides")),
    )


def downgrade() -> None:
    op.drop_table("season_overrides")
    op.drop_index("ix_season_events_event", table_name="season_events")
    op.drop_table("season_events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("top_level_season_id")
        batch.drop_column("season_kind")
