"""workspace_secret_keys: several secret keys per workspace, derivable to be shown again; workspaces.deleted_at

The one workspaces.secret_key_hash of each workspace moves to the new table (without a salt: such a key
keeps working but cannot be shown again). Dropping the column rebuilds `workspaces` on SQLite, which other
tables refer to: storage/migrate.py runs SQLite migrations with foreign keys off and checks them after.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import boxoffice.storage.tables

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_secret_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("secret_key_hash", sa.String(length=64), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=True),
        sa.Column("created_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_workspace_secret_keys_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace_secret_keys")),
        sa.UniqueConstraint("secret_key_hash", name=op.f("uq_workspace_secret_keys_secret_key_hash")),
    )
    op.create_index(
        op.f("ix_workspace_secret_keys_workspace_id"), "workspace_secret_keys", ["workspace_id"], unique=False
    )
    op.execute(
        "INSERT INTO workspace_secret_keys (workspace_id, secret_key_hash, salt, created_at)"
        " SELECT id, secret_key_hash, NULL, created_at FROM workspaces ORDER BY id"
    )
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("deleted_at", boxoffice.storage.tables.UTCDateTime(timezone=True), nullable=True))
        batch.drop_constraint("uq_workspaces_secret_key_hash", type_="unique")
        batch.drop_column("secret_key_hash")


def downgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("secret_key_hash", sa.String(length=64), nullable=True))
    # the oldest key of each workspace becomes its only one; deleted workspaces come back as inactive
    op.execute(
        "UPDATE workspaces SET secret_key_hash = (SELECT k.secret_key_hash FROM workspace_secret_keys k"
        " WHERE k.workspace_id = workspaces.id ORDER BY k.id LIMIT 1)"
    )
    with op.batch_alter_table("workspaces") as batch:
        batch.alter_column("secret_key_hash", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_workspaces_secret_key_hash", ["secret_key_hash"])
        batch.drop_column("deleted_at")
    op.drop_index(op.f("ix_workspace_secret_keys_workspace_id"), table_name="workspace_secret_keys")
    op.drop_table("workspace_secret_keys")
