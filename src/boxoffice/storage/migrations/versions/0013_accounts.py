"""The account of a company (seats.io's /accounts/me): email, designer key, password, hold period, whether
draft chart drawings are enabled, and its chart validation levels

Existing companies keep seats.io's defaults: a 15-minute hold period, draft drawings enabled, every chart
validation check OFF; they have no designer key until one is regenerated, and no email or password.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("companies") as batch:
        batch.add_column(sa.Column("email", sa.String(320), nullable=True))
        batch.add_column(sa.Column("designer_key_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("designer_key_salt", sa.String(64), nullable=True))
        batch.add_column(sa.Column("password_hash", sa.String(200), nullable=True))
        batch.add_column(sa.Column("hold_period_minutes", sa.Integer(), nullable=False, server_default="15"))
        batch.add_column(
            sa.Column("draft_chart_drawings_enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.create_table(
        "account_chart_validation",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("setting", sa.String(64), nullable=False),
        sa.Column("level", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_account_chart_validation_company_id_companies")
        ),
        sa.PrimaryKeyConstraint("company_id", "setting", name=op.f("pk_account_chart_validation")),
    )


def downgrade() -> None:
    op.drop_table("account_chart_validation")
    with op.batch_alter_table("companies") as batch:
        batch.drop_column("draft_chart_drawings_enabled")
        batch.drop_column("hold_period_minutes")
        batch.drop_column("password_hash")
        batch.drop_column("designer_key_salt")
        batch.drop_column("designer_key_hash")
        batch.drop_column("email")
