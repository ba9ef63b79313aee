"""The agent lock and offline sale commands, on the demo workspace (with a small priced shop and an agent)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boxoffice.cli.main import app
from boxoffice.services.audit import audit
from boxoffice.services.reports import object_infos
from boxoffice.services.workspaces import authenticate
from boxoffice.storage.uow import Database
from tests.factories import ShopFixture, commission, make_agent, make_shop

runner = CliRunner()


@dataclass(frozen=True)
class Venue:
    db: Database
    shop: ShopFixture
    agent_id: str


@pytest.fixture
def venue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Venue]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.delenv("BOXOFFICE_SECRET_KEY", raising=False)
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["demo"]).exit_code == 0
    keys = json.loads((tmp_path / "var" / "demo-keys.json").read_text())
    db = Database.from_url(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    workspace = authenticate(db, keys["workspace_secret_key"]).workspace
    shop = make_shop(db, workspace)
    agent = make_agent(db, workspace, commission=commission(fixed_amount=150)).agent
    yield Venue(db, shop, agent.id)
    db.dispose()


def ok(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_lock_sell_offline_mark_back_and_history(venue: Venue) -> None:
    event, agent = venue.shop.event_key, venue.agent_id
    out = ok("agent-lock", "add", event, agent, "--object", "A-1", "--object", "A-2", "--places", "GA:3")
    assert "locked 2 objects: A-1, A-2" in out and "locked 3 places of GA" in out
    assert "5 locked, 5 unsold" in out

    out = ok(
        "offline-sale", "record", agent, "--event", event, "--ticket", "A-1:adult",
        "--ticket", f"GA##agent-{agent}:Child:2", "--last-name", "Smith", "--reference", "T-1",
        "--delivery", "collect", "--idempotency-key", "paper-slip-7",
    )  # fmt: skip
    found = re.search(r"recorded order (\S+) ", out)
    assert found and "3 tickets, total 6300 GBP, commission 450, paid on account" in out
    again = ok(
        "offline-sale", "record", agent, "--event", event, "--ticket", "A-1:adult", "--idempotency-key", "paper-slip-7"
    )
    assert f"recorded order {found.group(1)} " in again  # the same slip entered twice is one sale

    shown = ok("agent-lock", "show", event, agent)
    assert "5 locked, 2 unsold, 0 held, 3 sold by the agent, 0 taken" in shown
    assert re.search(r"A-1\s+seat\s+soldByAgent\s+" + found.group(1), shown)
    assert f"lock agent-{agent}" in ok("agent-lock", "show", event)

    out = ok("agent-lock", "mark-back", event, agent, "--object", "A-1", "--object", "A-2")
    assert "marked back 1 objects: A-2" in out and re.search(r"A-1\s+soldByAgent", out)
    out = ok("agent-lock", "mark-back-all", event, agent)
    assert "marked back 0 objects" in out and "marked back 1 places of GA; kept 2" in out

    history = ok("agent-lock", "history", event, agent)
    assert [line.split()[1:] for line in history.splitlines()[1:]] == [
        ["lock", "A-1", "1"],
        ["lock", "A-2", "1"],
        ["lock", f"GA##agent-{agent}", "3"],
        ["markBack", "A-2", "1"],
        ["markBack", f"GA##agent-{agent}", "1"],
    ]
    assert audit(venue.db).clean


def test_refusals_are_one_line_and_exit_1(venue: Venue) -> None:
    event, agent = venue.shop.event_key, venue.agent_id
    ok("agent-lock", "add", event, agent, "--object", "A-1")
    for args, message in [
        (["agent-lock", "add", event, "nobody", "--object", "A-2"], "Agent not found: nobody"),
        (["agent-lock", "add", event, agent, "--places", "GA"], "expected AREA:N"),
        (["agent-lock", "mark-back", event, agent, "--object", "B-1"], "B-1: not in this lock (in general sale)"),
        (["offline-sale", "record", agent, "--event", event, "--ticket", "A-1"], "expected LABEL:TYPE"),
    ]:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
    taken = runner.invoke(app, ["agent-lock", "add", event, "other-agent", "--object", "A-1"])
    assert taken.exit_code == 1
    other = make_agent(venue.db, venue.shop.workspace, login="other").agent
    refused = runner.invoke(app, ["agent-lock", "add", event, other.id, "--object", "A-1", "--object", "A-3"])
    assert refused.exit_code == 1 and f"A-1: in channel agent-{agent}" in refused.output
    assert object_infos(venue.db, venue.shop.workspace, event, ["A-3"])[0].channel_key is None
