from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from boxoffice.cli.main import app

runner = CliRunner()


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_demo_creates_a_venue_once_and_prints_its_keys(workdir: Path) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    keys = json.loads((workdir / "var" / "demo-keys.json").read_text())
    assert keys["workspace_secret_key"] in first.output
    assert keys["seats"] > 2000 and len(keys["event_keys"]) == 3
    again = runner.invoke(app, ["demo"])
    assert again.exit_code == 0 and "already exists" in again.output
    assert keys["workspace_secret_key"] in again.output
    audit = runner.invoke(app, ["audit"])
    assert audit.exit_code == 0 and "clean" in audit.output


def test_chart_import_accepts_a_good_chart(workdir: Path, shared_charts: Path) -> None:
    assert runner.invoke(app, ["demo"]).exit_code == 0
    result = runner.invoke(app, ["chart", "import", str(shared_charts / "sampleChartWithSections.json"), "--key", "s"])
    assert result.exit_code == 0, result.output
    assert "imported chart s" in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("{not json", "is not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"subChart": 5}', "is not a valid chart"),
    ],
)
def test_chart_import_rejects_bad_input_in_one_line(workdir: Path, content: str | None, expected: str) -> None:
    assert runner.invoke(app, ["demo"]).exit_code == 0
    path = workdir / "chart.json"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["chart", "import", str(path)])
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output


def test_chart_import_lists_every_problem(workdir: Path, shared_charts: Path) -> None:
    assert runner.invoke(app, ["demo"]).exit_code == 0
    drawing = json.loads((shared_charts / "sampleChart.json").read_text())
    drawing["categories"]["list"] = drawing["categories"]["list"][:1]  # Cat2's seats lose their category
    drawing["subChart"]["generalAdmissionAreas"][0]["capacity"] = 0
    path = workdir / "broken.json"
    path.write_text(json.dumps(drawing))
    result = runner.invoke(app, ["chart", "import", str(path)])
    assert result.exit_code == 1
    assert "UNKNOWN_CATEGORY" in result.output and "INVALID_CAPACITY" in result.output


def test_chart_import_keeps_what_chart_validation_finds_and_lists_it(workdir: Path, shared_charts: Path) -> None:
    assert runner.invoke(app, ["demo"]).exit_code == 0
    result = runner.invoke(app, ["chart", "import", str(shared_charts / "sampleChartWithErrors.json")])
    assert result.exit_code == 0, result.output
    assert "imported chart" in result.output
    assert "VALIDATE_DUPLICATE_LABELS (OFF): more than one object is labelled 'A-1'" in result.output
    assert "VALIDATE_OBJECTS_WITHOUT_CATEGORIES (OFF)" in result.output
    assert "no event can be made" not in result.output


def test_chart_import_says_when_a_check_at_error_fails(workdir: Path, shared_charts: Path) -> None:
    from boxoffice.services import accounts
    from boxoffice.services.workspaces import authenticate
    from boxoffice.storage.uow import Database

    assert runner.invoke(app, ["demo"]).exit_code == 0
    keys = json.loads((workdir / "var" / "demo-keys.json").read_text())
    db = Database.from_url(f"sqlite:///{workdir / 'cli.sqlite3'}")
    company_id = authenticate(db, keys["workspace_secret_key"]).workspace.company_id
    accounts.update_setting(db, company_id, "VALIDATE_UNLABELED_OBJECTS", "ERROR")
    db.dispose()
    result = runner.invoke(app, ["chart", "import", str(shared_charts / "sampleChartWithErrors.json")])
    assert result.exit_code == 0, result.output
    assert "VALIDATE_UNLABELED_OBJECTS (ERROR)" in result.output
    assert "no event can be made on it while a check at ERROR fails" in result.output


def test_chart_import_without_a_workspace_says_so(workdir: Path, shared_charts: Path) -> None:
    result = runner.invoke(app, ["chart", "import", str(shared_charts / "sampleChart.json")])
    assert result.exit_code == 1 and "boxoffice demo" in result.output


def test_audit_exits_non_zero_on_a_mismatch(workdir: Path) -> None:
    import sqlite3

    assert runner.invoke(app, ["demo"]).exit_code == 0
    with sqlite3.connect(workdir / "cli.sqlite3") as conn:  # a status change that bypassed the log
        conn.execute("UPDATE event_objects SET status = 'booked' WHERE label = 'Stalls Centre-A-1'")
    result = runner.invoke(app, ["audit"])
    assert result.exit_code == 1
    assert "MISMATCH" in result.output and "Stalls Centre-A-1" in result.output
