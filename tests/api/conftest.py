"""A real server on a real port, for tests that drive the API through real HTTP clients."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
import uvicorn

from boxoffice.api.app import create_app
from boxoffice.config import Settings
from boxoffice.storage.uow import Database
from tests.factories import SYSTEM_SECRET as SYSTEM_SECRET  # re-exported: tests import it from here


@dataclass(frozen=True)
class LiveServer:
    url: str
    db: Database
    system_secret: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(db: Database) -> Iterator[LiveServer]:
    yield from serve(db)


def serve(db: Database, **settings: Any) -> Iterator[LiveServer]:
    """A live server (uvicorn in a thread) on `db`, with test settings overridden by `settings`."""
    config = Settings(database_url="", system_secret=SYSTEM_SECRET, log_level="WARNING", hold_sweep_seconds=3600)
    app = create_app(db, replace(config, **settings), run_jobs=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    yield LiveServer(f"http://127.0.0.1:{port}", db, SYSTEM_SECRET)
    server.should_exit = True
    thread.join(timeout=10)
