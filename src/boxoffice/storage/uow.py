"""The unit of work: one connection, one transaction, the repositories over it. One commit point.

    with db.write() as uow:
        ...                      # repositories: uow.objects, uow.events, ...
        uow.commit()             # nothing is kept unless this is reached

Database errors are translated here into domain errors: a lock that could not be had in time becomes
`Busy` (the caller may retry), a lost database becomes `Unavailable`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from boxoffice.domain.errors import BoxofficeError, Busy
from boxoffice.domain.records import HoldToken
from boxoffice.domain.statuses import ObjectState
from boxoffice.storage import pipeline
from boxoffice.storage.accounts import AccountRepository
from boxoffice.storage.agents import AgentRepository
from boxoffice.storage.baskets import BasketRepository
from boxoffice.storage.catalogue import CatalogueRepository
from boxoffice.storage.channels import ChannelRepository
from boxoffice.storage.charts import ChartRepository
from boxoffice.storage.database import is_sqlite, make_engine, writer_lock
from boxoffice.storage.event_log import EventLogRepository
from boxoffice.storage.events import EventRepository
from boxoffice.storage.hold_tokens import HoldTokenRepository
from boxoffice.storage.marketplaces import MarketplaceRepository
from boxoffice.storage.objects import ObjectRepository
from boxoffice.storage.orders import OrderRepository
from boxoffice.storage.partners import PartnerRepository
from boxoffice.storage.resale import ResaleRepository
from boxoffice.storage.seasons import SeasonRepository
from boxoffice.storage.status_log import StatusLogRepository
from boxoffice.storage.ticket_buyers import TicketBuyerRepository
from boxoffice.storage.workspaces import WorkspaceRepository


class Unavailable(BoxofficeError):
    """The database cannot be reached right now."""

    code = "SERVICE_UNAVAILABLE"
    http_status = 503


class UnitOfWork:
    def __init__(self, engine: Engine, *, write: bool) -> None:
        self._engine = engine
        self._write = write
        self._lock: threading.Lock | None = writer_lock(engine) if write else None
        self._committed = False
        self.connection: Connection

    def __enter__(self) -> Self:
        if self._lock is not None:
            self._lock.acquire()
        try:
            conn = self._engine.connect()  # a full pool raises TimeoutError: "busy", not a crash
            if is_sqlite(self._engine):
                conn = conn.execution_options(sqlite_write=self._write)
            self.connection = conn
            conn.begin()
        except DBAPIError as exc:
            self._release_lock()
            raise _translate(exc) from exc
        except PoolTimeout:
            self._release_lock()
            raise Unavailable("All database connections are busy; retry in a moment") from None
        except BaseException:
            self._release_lock()
            raise
        c = self.connection
        self.workspaces = WorkspaceRepository(c)
        self.accounts = AccountRepository(c)
        self.charts = ChartRepository(c)
        self.events = EventRepository(c)
        self.objects = ObjectRepository(c)
        self.hold_tokens = HoldTokenRepository(c)
        self.channels = ChannelRepository(c)
        self.status_log = StatusLogRepository(c)
        self.catalogue = CatalogueRepository(c)
        self.baskets = BasketRepository(c)
        self.orders = OrderRepository(c)
        self.ticket_buyers = TicketBuyerRepository(c)
        self.event_log = EventLogRepository(c)
        self.seasons = SeasonRepository(c)
        self.agents = AgentRepository(c)
        self.marketplaces = MarketplaceRepository(c)
        self.partners = PartnerRepository(c)
        self.resale = ResaleRepository(c)
        return self

    def write_changes(
        self,
        tokens: Sequence[HoldToken],
        log: Sequence[Mapping[str, Any]],
        changes: Mapping[int, Sequence[tuple[int, ObjectState]]],
    ) -> bool:
        """New hold tokens, log entries and the compare-and-set of seats ((seen version, new state) per
        event id), as one round trip where the database allows it. False if any seat had moved on from
        its seen version: then nothing of this unit of work may be kept."""
        if pipeline.is_pipelined(self.connection):
            return pipeline.write(self.connection, tokens, log, changes)
        self.hold_tokens.add_many(tokens)
        self.status_log.append(log)
        return all(self.objects.compare_and_set(e, c) == len(c) for e, c in changes.items())

    def commit(self) -> None:
        try:
            self.connection.commit()
        except DBAPIError as exc:
            raise _translate(exc) from exc
        self._committed = True

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                with contextlib.suppress(DBAPIError):  # a lost connection took its transaction with it
                    self.connection.rollback()
            self.connection.close()
        finally:
            self._release_lock()
        if isinstance(exc, DBAPIError):
            raise _translate(exc) from exc

    def _release_lock(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None


def _translate(exc: DBAPIError) -> BoxofficeError:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate == "57014":  # statement_timeout: the database is too slow to answer right now
        return Unavailable("The database did not answer in time; retry in a moment")
    if "database is locked" in text or sqlstate in ("55P03", "40P01", "40001"):
        return Busy("The inventory is busy; retry in a moment")
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        return Unavailable("The database is unavailable; retry in a moment")
    raise exc


class Database:
    """Makes units of work. One per process; share it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 10) -> Database:
        return cls(make_engine(url, pool_size=pool_size))

    def write(self) -> UnitOfWork:
        return UnitOfWork(self.engine, write=True)

    def read(self) -> UnitOfWork:
        return UnitOfWork(self.engine, write=False)

    @property
    def is_sqlite(self) -> bool:
        return is_sqlite(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
