"""Where the stateful property tests (test_*state_machine.py) keep their database: a fresh SQLite file per
run, or the session's PostgreSQL engine truncated per run. Mixed in before the machine class."""

from __future__ import annotations

import shutil
import tempfile
from typing import ClassVar

from sqlalchemy import Engine

from boxoffice.storage.database import make_engine
from boxoffice.storage.migrate import upgrade
from boxoffice.storage.uow import Database
from tests.conftest import _truncate_all


class SqliteMachineDatabase:
    db: Database

    def open_database(self) -> Database:
        self.directory = tempfile.mkdtemp(prefix="boxoffice-machine-")
        engine = make_engine(f"sqlite:///{self.directory}/machine.sqlite3")
        upgrade(engine)
        return Database(engine)

    def close_database(self) -> None:
        self.db.dispose()
        shutil.rmtree(self.directory, ignore_errors=True)


class PostgresMachineDatabase:
    engine: ClassVar[Engine | None] = None  # set by the test to the session's engine

    def open_database(self) -> Database:
        assert self.engine is not None, f"set {type(self).__name__}.engine first"
        _truncate_all(self.engine)
        return Database(self.engine)

    def close_database(self) -> None:
        pass  # the session engine stays; the next run truncates
