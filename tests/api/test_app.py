from __future__ import annotations

import asyncio

import httpx
import pytest
from anyio import to_thread

from boxoffice.api.app import create_app
from boxoffice.config import Settings
from boxoffice.storage.uow import Database
from tests.api.conftest import LiveServer


def test_health_reports_ok(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_blocking_work_runs_on_as_many_threads_as_the_settings_say(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BOXOFFICE_THREADS", raising=False)
    assert Settings.from_env().threads == 16
    monkeypatch.setenv("BOXOFFICE_THREADS", "3")
    settings = Settings.from_env()
    assert settings.threads == 3

    async def started() -> float:
        app = create_app(db, settings, run_jobs=False)
        async with app.router.lifespan_context(app):  # the limiter is the event loop's: ask once started
            return to_thread.current_default_thread_limiter().total_tokens

    assert asyncio.run(started()) == 3
