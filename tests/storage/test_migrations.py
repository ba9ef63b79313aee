from __future__ import annotations

from boxoffice.storage.migrate import check
from boxoffice.storage.uow import Database


def test_models_and_migrations_agree(db: Database) -> None:
    """`alembic check`: no model change is missing a migration."""
    check(db.engine)
