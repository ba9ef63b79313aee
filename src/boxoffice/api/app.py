"""The ASGI application: every API dialect mounted over one inventory, and the background jobs.

/health              liveness and database reachability
/seating/...         the seats.io-compatible seating API (its own OpenAPI at /seating/openapi.json)
/admin/v1/...        the native admin API: catalogue, customers, orders (OpenAPI at /admin/v1/openapi.json)
/{workspace}/api/v3  the Spektrix API v3-style basket dialect (OpenAPI at /{workspace}/api/v3/openapi.json)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable

from anyio import to_thread
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match, Mount
from starlette.types import Receive, Scope, Send

from boxoffice import __version__
from boxoffice.api.telemetry import telemetry_config
from boxoffice.config import Settings
from boxoffice.jobs import event_log, holds, marketplaces
from boxoffice.services import heartbeats
from boxoffice.storage.uow import Database

log = logging.getLogger("boxoffice")
EVENT_LOG_PRUNE_SECONDS = 3600.0  # items are kept 14 days; an hour more or less is nothing


def create_app(db: Database, settings: Settings | None = None, *, run_jobs: bool = True) -> FastAPI:
    settings = settings or Settings.from_env()

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Blocking calls (sync routes, run_in_threadpool) run on anyio's pool, 40 threads by default. On the
        # basket's load, 40 threads per process mostly took turns at the GIL and waited for the 20 pooled
        # connections: 16 gave +20-30 % adds/s and the seats.io on-sale a few per cent (docs/performance.md).
        to_thread.current_default_thread_limiter().total_tokens = max(1, settings.threads)
        # Every process says it is alive, so a key it left in flight by crashing is taken over soon after.
        await heartbeats.start(db)
        tasks = [asyncio.create_task(heartbeats.run(db))]
        if run_jobs:
            every = settings.hold_sweep_seconds
            tasks.append(asyncio.create_task(_repeat("holds.expire", lambda: holds.expire(db), every)))
            reject = _repeat("marketplaces.auto_reject", lambda: marketplaces.auto_reject(db), every)
            tasks.append(asyncio.create_task(reject))
            # first soon after start (a server restarted often would otherwise never get to it), then hourly
            prune = _repeat("event_log.prune", lambda: event_log.prune(db), EVENT_LOG_PRUNE_SECONDS, first=every)
            tasks.append(asyncio.create_task(prune))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = BoxofficeApp(title="boxoffice", version=__version__, lifespan=lifespan, telemetry=telemetry_config(settings))
    app.state.db = db
    app.state.settings = settings

    @app.get("/health", tags=["ops"])
    def health() -> JSONResponse:
        try:
            # A read: on SQLite a plain connection begins as a writer and would queue behind any write.
            with db.engine.connect().execution_options(sqlite_write=False) as conn:
                conn.execute(text("select 1"))
        except Exception as exc:  # any failure to reach the database is "unavailable", said plainly
            return JSONResponse(
                {"status": "unavailable", "detail": type(exc).__name__}, status_code=503, headers={"Retry-After": "2"}
            )
        return JSONResponse({"status": "ok", "version": __version__})

    _mount_dialects(app, db, settings)
    return app


class BoxofficeApp(FastAPI):
    """The outer application: an HTTP request under a mounted dialect goes straight to that dialect's app.

    Each dialect is a whole FastAPI application with its own error middleware, exception handlers and
    router, so the outer one's layers (error and exception middleware, exit stack, router) did nothing for
    those requests but cost time: about 6 % of a server worker on an on-sale. The mount's own matching
    decides, exactly as the outer router would have (no other outer route lies under a mount's path).
    With telemetry on, requests take the whole way, so that the outer span names the full route.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self.state.settings.telemetry:
            for route in self.router.routes:
                if isinstance(route, Mount):
                    match, child_scope = route.matches(scope)
                    if match is Match.FULL:
                        scope.update(child_scope)
                        await route.handle(scope, receive, send)
                        return
        await super().__call__(scope, receive, send)


def _mount_dialects(app: FastAPI, db: Database, settings: Settings) -> None:
    try:
        from boxoffice.api.seatsio.app import SeatsioMount, create_seatsio_app
    except ImportError:  # the dialect is optional while it is being built
        return
    app.router.routes.append(SeatsioMount("/seating", create_seatsio_app(db, settings)))  # app.mount, any path
    from boxoffice.api.admin import app as admin

    # the native admin API, /admin/v1; any path under it, one with a newline (%0A) too, gets its error shape
    app.router.routes.append(SeatsioMount(admin.MOUNT_PATH, admin.create_admin_app(db, settings)))
    from boxoffice.api.marketplace import app as marketplace

    app.router.routes.append(SeatsioMount(marketplace.MOUNT_PATH, marketplace.create_marketplace_app(db, settings)))
    from boxoffice.api.partner import app as partner

    app.router.routes.append(SeatsioMount(partner.MOUNT_PATH, partner.create_partner_app(db, settings)))
    _mount_spektrix(app, db, settings)  # keep last: its path starts with a parameter, /{workspace}/api/v3


def _mount_spektrix(app: FastAPI, db: Database, settings: Settings) -> None:
    from boxoffice.api.seatsio.app import SeatsioMount
    from boxoffice.api.spektrix.app import MOUNT_PATH, create_spektrix_app

    app.router.routes.append(SeatsioMount(MOUNT_PATH, create_spektrix_app(db, settings)))  # a %0A path too


async def _repeat(name: str, job: Callable[[], int], every_seconds: float, *, first: float | None = None) -> None:
    """Run `job` (blocking: in a thread) after `first` seconds (else `every_seconds`), then every `every_seconds`.
    The jobs only tidy up (correctness never depends on them); a failed run is tried again next time and
    never kills the server."""
    await asyncio.sleep(every_seconds if first is None else first)
    while True:
        try:
            done = await run_in_threadpool(job)
            if done:
                log.info("%s: %d rows", name, done)
        except Exception:
            log.exception("%s failed", name)
        await asyncio.sleep(every_seconds)
