"""The command-line tests' demo workspace (a fresh SQLite file per test) and helpers to run commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boxoffice.cli.main import app
from boxoffice.demo import DemoKeys

runner = CliRunner()
ID = re.compile(r"[0-9A-Z]{24}")


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DemoKeys:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("BOXOFFICE_SECRET_KEY", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    return DemoKeys(**json.loads((tmp_path / "var" / "demo-keys.json").read_text()))


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def new_id(*args: str) -> str:
    found = ID.search(ok(*args))
    assert found, args
    return found.group(0)
