"""The real server as a subprocess (`boxoffice serve --workers 2`), on a database of its own, for chaos tests.

Not part of the normal suite: the Makefile's `pytest` target ignores tests/chaos, and a bare `pytest` skips
these unless BOXOFFICE_CHAOS=1 (they restart the shared PostgreSQL server). Run `make chaos`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from tests.conftest import _PG_PROBLEM, POSTGRES_URL
from tests.factories import small_drawing

BIN = Path(sys.executable).parent
SYSTEM_SECRET = "chaos-system-secret"
EVENT_KEY = "on-sale"
CHART_KEY = "arena"
ROWS, SEATS_PER_ROW = 25, 80  # 2000 seats, rows A..Y


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("BOXOFFICE_CHAOS") == "1":
        return
    skip = pytest.mark.skip(reason="chaos tests run under `make chaos` (BOXOFFICE_CHAOS=1): they restart PostgreSQL")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def boxoffice(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The `boxoffice` CLI as an operator runs it."""
    return subprocess.run(
        [str(BIN / "boxoffice"), *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@dataclass
class Server:
    """`boxoffice serve --workers 2` in its own process group (so SIGKILL takes the workers with it)."""

    database_url: str
    log_path: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "BOXOFFICE_DATABASE_URL": self.database_url,
            "BOXOFFICE_SYSTEM_SECRET": SYSTEM_SECRET,
            "BOXOFFICE_SEATSIO_RATE_LIMIT": "0",  # the load is the point, not the limiter
            "BOXOFFICE_LOG_LEVEL": "WARNING",
        }

    def start(self, *, ready_within: float = 60) -> None:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "boxoffice"), "serve", "--port", str(self.port), "--workers", "2"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: os.killpg reaches every worker
            )
        deadline = time.monotonic() + ready_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the server was not ready within {ready_within} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: supervisor and workers die at once, nothing is flushed."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _database_url(name: str) -> str:
    base, _, _query = POSTGRES_URL.partition("?")
    return base.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database of its own on the shared server, dropped afterwards."""
    if _PG_PROBLEM is not None:
        pytest.skip(f"PostgreSQL unreachable: {_PG_PROBLEM}")
    name = f"chaos_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield _database_url(name)
    for _ in range(30):  # the server may be coming back from a restart
        try:
            with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.OperationalError:
            time.sleep(1)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return f"sqlite:///{tmp_path / 'boxoffice.sqlite3'}"


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Any]:
    """Migrates the database with `boxoffice db upgrade`, then makes servers over it; all stopped afterwards."""
    servers: list[Server] = []

    def make(database_url: str) -> Server:
        server = Server(database_url, tmp_path / "server.log")
        migrated = boxoffice("db", "upgrade", env=server.env)
        assert migrated.returncode == 0, migrated.stdout + migrated.stderr
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@dataclass(frozen=True)
class Venue:
    base: str  # .../seating
    secret_key: str
    workspace_key: str
    labels: tuple[str, ...]

    @property
    def auth(self) -> tuple[str, str]:
        return (self.secret_key, "")


def set_up_venue(server: Server) -> Venue:
    """A company, a 2000-seat chart and one event, through the seats.io API (system endpoints for set-up)."""
    base = f"{server.url}/seating"
    made = httpx.post(f"{base}/system/private/create-test-company", auth=(SYSTEM_SECRET, ""), timeout=30)
    assert made.status_code == 200, made.text
    secret = made.json()["workspace"]["secretKey"]
    drawing = small_drawing(rows=ROWS, seats_per_row=SEATS_PER_ROW)
    chart = httpx.post(f"{base}/system/public/charts/{CHART_KEY}", json=drawing, auth=(secret, ""), timeout=60)
    assert chart.status_code == 201, chart.text
    event = httpx.post(f"{base}/events", json={"chartKey": CHART_KEY, "eventKey": EVENT_KEY}, auth=(secret, ""))
    assert event.status_code == 201, event.text
    labels = tuple(f"{chr(ord('A') + r)}-{s + 1}" for r in range(ROWS) for s in range(SEATS_PER_ROW))
    return Venue(base, secret, made.json()["workspace"]["key"], labels)


def statuses(venue: Venue) -> dict[str, dict[str, Any]]:
    """Every seat as the server reports it now (GET /reports/events/{key}: lapsed holds read as free)."""
    response = httpx.get(f"{venue.base}/reports/events/{EVENT_KEY}", auth=venue.auth, timeout=60)
    assert response.status_code == 200, response.text
    seats = set(venue.labels)
    return {info["label"]: info for info in response.json() if info["label"] in seats}


def change(http: httpx.Client, venue: Venue, labels: list[str], status: str, **options: Any) -> httpx.Response:
    body = {"events": [EVENT_KEY], "objects": labels, "status": status, **options}
    return http.post(f"{venue.base}/events/groups/actions/change-object-status", json=body)


def pg_cluster() -> tuple[str, str] | None:
    """(version, cluster) of the local PostgreSQL this suite uses, if this process may restart it."""
    conf = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") is None or not conf.is_dir() or os.geteuid() != 0:
        return None
    for version in sorted(conf.iterdir(), reverse=True):
        if (version / "main").is_dir():
            return version.name, "main"
    return None
