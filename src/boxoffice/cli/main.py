"""The `boxoffice` command: serve, migrate, demo data, chart import, audit."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from boxoffice.cli import agent_locks as agent_lock_commands
from boxoffice.cli import catalogue as catalogue_commands
from boxoffice.cli import sellers as seller_commands
from boxoffice.cli.agents import agents_app
from boxoffice.config import DEFAULT_SQLITE_PATH, Settings
from boxoffice.domain.errors import BoxofficeError, ChartInvalid
from boxoffice.storage.uow import Database

app = typer.Typer(
    help="boxoffice: one live ticket inventory, every channel, never a seat sold twice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database commands.", no_args_is_help=True)
chart_app = typer.Typer(help="Chart commands.", no_args_is_help=True)
holds_app = typer.Typer(help="Hold commands.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(chart_app, name="chart")
app.add_typer(holds_app, name="holds")
for _name, _commands in (*catalogue_commands.COMMANDS, *agent_lock_commands.COMMANDS, *seller_commands.COMMANDS):
    app.add_typer(_commands, name=_name)
app.add_typer(agents_app, name="agents")

out = Console(soft_wrap=True)  # keys and URLs must stay copyable, never wrapped
err = Console(stderr=True)
DEMO_KEYS = DEFAULT_SQLITE_PATH.parent / "demo-keys.json"


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def _database() -> Database:
    try:
        return Database.from_url(Settings.from_env().database_url)
    except Exception as exc:  # a bad URL or a missing driver: one line, not a traceback
        fail(f"cannot open the database: {exc}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Run the HTTP server (all API dialects)."""
    import uvicorn

    settings = Settings.from_env()
    out.print(f"boxoffice serving on [bold]http://{host}:{port}[/] (database: {_redact(settings.database_url)})")
    out.print(f"  seats.io-compatible API: http://{host}:{port}/seating  (docs: /seating/docs)")
    uvicorn.run(
        "boxoffice.api.asgi:app_factory",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        loop="uvloop",  # libuv event loop and the C HTTP parser: the cheapest per-request cost uvicorn has
        http="httptools",
    )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration (creates the SQLite file if needed)."""
    from boxoffice.storage.migrate import upgrade

    database = _database()
    try:
        upgrade(database.engine)
    except Exception as exc:  # unreachable database, permissions: say so plainly
        fail(f"migration failed: {exc}")
    out.print("database is up to date")


@app.command()
def demo(
    fresh: Annotated[bool, typer.Option(help="Create new demo data even if some exists.")] = False,
) -> None:
    """Create a demo venue: a theatre chart (sections, balcony, tables, standing area) and performances."""
    from boxoffice.demo import DemoKeys, create_demo

    keys = None if fresh else DemoKeys.load(DEMO_KEYS)
    database = _database()
    if keys is not None and _demo_exists(database, keys):
        out.print("demo data already exists (use --fresh for more):")
    else:
        with Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
        ) as progress:
            progress.add_task("creating the demo venue, chart and performances", total=None)
            keys = create_demo(database, system_secret=Settings.from_env().system_secret)
        keys.save(DEMO_KEYS)
        out.print("demo data created:")
    _print_keys(keys)


def _demo_exists(database: Database, keys: Any) -> bool:
    from boxoffice.services.workspaces import authenticate

    try:
        authenticate(database, keys.workspace_secret_key)
    except BoxofficeError:
        return False
    return True


def _print_keys(keys: Any) -> None:
    table = Table(show_header=False, box=None)
    table.add_row("workspace secret key", keys.workspace_secret_key)
    table.add_row("workspace key", keys.workspace_key)
    table.add_row("company admin key", keys.company_admin_key)
    table.add_row("chart", f"{keys.chart_key} ({keys.seats} seats, tables, a standing area)")
    table.add_row("events", ", ".join(keys.event_keys))
    if keys.production_id:
        table.add_row("production", f"{keys.production_id} (The Demo Show: the events are its performances)")
        table.add_row("ticket types", ", ".join(f"{name} {id_}" for name, id_ in keys.ticket_type_ids.items()))
        table.add_row("fund", keys.fund_id)
        table.add_row("stock items", ", ".join(keys.stock_item_ids))
        table.add_row("membership", keys.membership_id)
        table.add_row("ticket subscription", keys.subscription_id)
    out.print(table)
    out.print("\nTry it (seats.io-compatible API, HTTP Basic with the secret key as user):")
    out.print(
        f"  curl -u {keys.workspace_secret_key}: "
        f"http://127.0.0.1:8000/seating/events/{keys.event_keys[0]}/objects?label=Stalls%20Centre-A-1"
    )
    if getattr(keys, "agent_id", ""):
        sellers = Table(show_header=False, box=None)
        sellers.add_row("agent", f"{keys.agent_login} ({keys.agent_id})")
        sellers.add_row("agent key", keys.agent_key)
        sellers.add_row("agent lock", f"{', '.join(keys.agent_locked)} on {keys.event_keys[0]}")
        sellers.add_row("marketplace (OI)", keys.marketplace_oi_id)
        sellers.add_row("marketplace (OI) key", keys.marketplace_oi_key)
        sellers.add_row("marketplace (ION)", keys.marketplace_ion_id)
        sellers.add_row("marketplace (ION) key", keys.marketplace_ion_key)
        sellers.add_row("partner client id", keys.partner_client_id)
        sellers.add_row("partner client secret", keys.partner_client_secret)
        out.print(sellers)
    else:
        out.print(
            "(set BOXOFFICE_SYSTEM_SECRET for a demo agent, marketplaces and a partner: their keys derive from it)"
        )
    out.print("Admin API (Bearer secret key; docs at /admin/v1/docs):")
    out.print(
        f"  curl -H 'Authorization: Bearer {keys.workspace_secret_key}' "
        f"http://127.0.0.1:8000/admin/v1/performances/{keys.event_keys[0]}/price-list"
    )


@chart_app.command("import")
def chart_import(
    file: Annotated[Path, typer.Argument(help="A seats.io chart JSON file.")],
    key: Annotated[str | None, typer.Option(help="Chart key (default: generated).")] = None,
    secret_key: Annotated[
        str | None,
        typer.Option(envvar="BOXOFFICE_SECRET_KEY", help="Workspace secret key (default: the demo workspace)."),
    ] = None,
) -> None:
    """Validate and import a chart; a broken file is rejected whole, with every problem listed. What seats.io's
    chart validation finds is listed with the level the company gives each check."""
    from boxoffice.demo import DemoKeys
    from boxoffice.services.charts import create_chart, published_findings
    from boxoffice.services.workspaces import authenticate

    if secret_key is None:
        demo_keys = DemoKeys.load(DEMO_KEYS)
        if demo_keys is None:
            fail("no --secret-key given and no demo workspace found (run `boxoffice demo` first)")
        secret_key = demo_keys.workspace_secret_key
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True
    ) as progress:
        task = progress.add_task(f"reading {file}", total=None)
        try:
            drawing = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            fail(f"no such file: {file}")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {file}: {exc}")
        except json.JSONDecodeError as exc:
            fail(f"{file} is not valid JSON: {exc}")
        if not isinstance(drawing, dict):
            fail(f"{file} is not a chart: expected a JSON object")
        progress.update(task, description="validating and storing the chart")
        database = _database()
        try:
            workspace = authenticate(database, secret_key).workspace
            chart = create_chart(database, workspace, drawing, key=key)
        except ChartInvalid as exc:
            progress.stop()
            err.print(f"[bold red]error:[/] {file} is not a valid chart ({len(exc.problems)} problems):")
            for problem in exc.problems:
                err.print(f"  {problem.code}: {problem.message}", highlight=False)
            raise typer.Exit(1) from None
        except BoxofficeError as exc:
            fail(exc.message)
        findings = published_findings(database, workspace, chart.key)
    out.print(f"imported chart [bold]{chart.key}[/] ({chart.name})")
    if findings:
        out.print(f"chart validation found {len(findings)} (levels: the company's /accounts/me settings):")
        for finding, level in findings:
            out.print(f"  {finding.code} ({level}): {finding.message}", highlight=False)
        if any(level == "ERROR" for _, level in findings):
            out.print("no event can be made on it while a check at ERROR fails", highlight=False)


@app.command()
def audit(
    event: Annotated[str | None, typer.Option(help="Only this event key.")] = None,
) -> None:
    """Replay the status-change log and compare it with the stored statuses. Exit 1 on any mismatch."""
    from boxoffice.services.audit import audit as run_audit

    report = run_audit(_database(), event_key=event)
    for problem in report.problems:
        out.print(f"[red]MISMATCH[/] {problem}", highlight=False)
    summary = f"{report.events_checked} events, {report.entries_replayed} log entries replayed"
    if report.problems:
        fail(f"{len(report.problems)} mismatches ({summary})")
    out.print(f"[green]clean[/]: {summary}")


@holds_app.command("expire")
def holds_expire() -> None:
    """Release lapsed holds now and log it (the server also does this periodically)."""
    from boxoffice.jobs.holds import expire

    out.print(f"released {expire(_database())} lapsed holds")


def _redact(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def main() -> None:  # pragma: no cover - the console script calls `app`
    sys.exit(app())
