"""A real server with the Spektrix-style dialect, a priced shop in its workspace, and helpers to sign requests."""

from __future__ import annotations

import base64
import hashlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from email.utils import formatdate
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.routing import Mount

from boxoffice.api.app import create_app
from boxoffice.api.spektrix.app import MOUNT_PATH
from boxoffice.api.spektrix.auth import SpektrixConfig
from boxoffice.config import Settings
from boxoffice.services import api_users
from boxoffice.services.baskets import BasketPolicy
from boxoffice.storage.uow import Database
from tests.api.conftest import SYSTEM_SECRET, _free_port
from tests.factories import ShopFixture, make_shop

ORIGIN = "https://shop.example.org"


@dataclass
class Spektrix:
    url: str
    db: Database
    app: FastAPI  # the mounted dialect
    shop: ShopFixture

    @property
    def base(self) -> str:
        return f"{self.url}/{self.shop.workspace.key}/api/v3"

    @property
    def config(self) -> SpektrixConfig:
        found: SpektrixConfig = self.app.state.spektrix
        return found

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=20, **kwargs)

    def set_ttl(self, ttl: timedelta) -> None:
        self.config.policy = BasketPolicy(ttl=ttl)

    def api_user(self, name: str = "backoffice") -> str:
        """A new API user; returns its key (shown once)."""
        return api_users.create_api_user(self.db, self.shop.workspace, name, system_secret=SYSTEM_SECRET).key


def signed(method: str, url: str, user: str, key: str, body: bytes = b"", *, date: str | None = None) -> dict[str, str]:
    date = date or formatdate(usegmt=True)
    message = f"{method}\n{url}\n{date}"
    if body:
        message += "\n" + base64.b64encode(hashlib.md5(body).digest()).decode()
    return {"Date": date, "Authorization": f"SpektrixAPI3 {user}:{api_users.sign(key, message)}"}


@pytest.fixture
def spx(db: Database) -> Iterator[Spektrix]:
    settings = Settings(
        database_url="",
        system_secret=SYSTEM_SECRET,
        log_level="WARNING",
        hold_sweep_seconds=3600,
        cors_origins=(ORIGIN,),
    )
    app = create_app(db, settings, run_jobs=False)
    mounted = next(r for r in app.routes if isinstance(r, Mount) and r.path == MOUNT_PATH)
    assert isinstance(mounted.app, FastAPI)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    try:
        yield Spektrix(f"http://127.0.0.1:{port}", db, mounted.app, make_shop(db))
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def error_of(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()
    assert set(body) == {"statusCode", "message", "errors"}, body
    assert body["statusCode"] == response.status_code
    first: dict[str, Any] = body["errors"][0]
    return first
