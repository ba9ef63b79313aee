"""The on-sale: 64 clients over HTTP against a production-style server, then the database's bare limit.

    .venv/bin/python benchmarks/onsale.py [--clients 64] [--seconds 20] [--workers 2]
    .venv/bin/python benchmarks/onsale.py --sqlite --clients 8

One command, from nothing: (a) a fresh database (PostgreSQL: database ``boxoffice_onsale`` dropped and
created; SQLite: a file under a temporary directory), migrated, with a workspace, the 100,000-seat chart
plus the 5,000-place GA floor (``demo_chart.big_chart``), one event per phase, a production, a ticket type
and a price list; (b) ``boxoffice serve --workers N`` as a subprocess, as production runs it; (c) the
seats.io phase: each client creates a hold token, holds 4 seats (every other round 4 adjacent seats by
label from a random row, otherwise ``bestAvailable``), then books them with an ``orderId`` (70 %) or
lets the hold lapse (30 %); every 10th round also holds and books 2 places of the GA floor; (d) the
basket phase: the same through the Spektrix-style basket (``basket/tickets`` or
``basket/tickets/best-available``) and ``basket/checkout``; (d') the bare limit's own loop over HTTP, on
an event of its own: each client takes one hold token, then holds 4 seats (labels | ``bestAvailable``, as
in (c)) and releases them, again and again, which is what each client of (e) does straight to the database;
(e) the bare 4-seat compare-and-set straight to the database with the same number of clients
(``cas_limit.py``); (f) the figures, ``boxoffice audit``'s verdict and a double-sale check (a seat the
server confirmed as booked to two clients, and status-log ``booked`` entries per seat).

Two shares of the bare limit are printed: the on-sale's holds (each of which also costs a hold token, 70 %
a booking and every 10th a GA hold and booking, none of which the bare loop does), and the HTTP loop of
(d'), which does exactly the bare loop's work.

The load generator (aiohttp + uvloop, one separate process) shares the machine's cores with the server
and the database: on 2 cores it takes a good part of one of them. Say so next to the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("BOXOFFICE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
PG_DATABASE = "boxoffice_onsale"
BOOK_SHARE = 0.7
GA_EVERY = 10
GA_LABEL = "GA-Floor"


# -- (a) set-up ---------------------------------------------------------------------------------------
@dataclass
class Setup:
    url: str
    secret: str
    workspace_key: str
    seats_event: str
    basket_event: str
    loop_event: str
    ticket_type: str
    rows: list[list[str]]  # seat labels per row, in seat order


def _pg_url(admin_url: str, database: str) -> str:
    base, _, _ = admin_url.rpartition("/")
    return f"{base}/{database}"


def fresh_database(sqlite: bool, workdir: Path) -> str:
    if sqlite:
        return f"sqlite:///{workdir / 'onsale.sqlite3'}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    return _pg_url(PG_ADMIN_URL, PG_DATABASE)


def set_up(url: str) -> Setup:
    from datetime import timedelta

    from sqlalchemy import text

    from boxoffice.demo_chart import big_chart
    from boxoffice.domain.catalogue import Price
    from boxoffice.services import catalogue
    from boxoffice.services.charts import create_chart
    from boxoffice.services.clock import utcnow
    from boxoffice.services.events import get_event
    from boxoffice.services.workspaces import create_company
    from boxoffice.storage.migrate import upgrade
    from boxoffice.storage.uow import Database

    db = Database.from_url(url)
    try:
        upgrade(db.engine)
        company = create_company(db, "On-sale benchmark")
        workspace = company.workspace
        chart = create_chart(db, workspace, big_chart(seats=100_000, sections=20))
        production = catalogue.create_production(db, workspace, "The big show")
        adult = catalogue.create_ticket_type(db, workspace, "Adult").id
        keys = []
        for day in (1, 2, 3):
            performance = catalogue.create_performance(
                db,
                workspace,
                catalogue.PerformanceSpec(
                    production_id=production.id, chart_key=chart.key, start=utcnow() + timedelta(days=day)
                ),
            )
            catalogue.set_price_list(
                db,
                workspace,
                performance.event_key,
                [Price(adult, band, 2500 + 500 * i) for i, band in enumerate("1234")],
            )
            keys.append(performance.event_key)
        with db.engine.connect() as conn:  # what autovacuum does soon after a bulk load
            conn.execute(text("ANALYZE"))
            conn.commit()
        event = get_event(db, workspace, keys[0])
        with db.read() as uow:
            labels = uow.objects.labels(event.id)
    finally:
        db.dispose()
    by_row: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for label in labels:
        if label == GA_LABEL:
            continue
        row, _, number = label.rpartition("-")
        by_row[row].append((int(number), label))
    rows = [[label for _, label in sorted(seats)] for _, seats in sorted(by_row.items())]
    return Setup(url, company.workspace_secret_key, workspace.key, keys[0], keys[1], keys[2], adult, rows)


# -- (b) the server -----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _env(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "BOXOFFICE_DATABASE_URL": url,
        "BOXOFFICE_SEATSIO_RATE_LIMIT": "0",
        "BOXOFFICE_LOG_LEVEL": "WARNING",
    }


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [str(BIN / "boxoffice"), "serve", "--port", str(port), "--workers", str(workers)]
    server = subprocess.Popen(command, env=_env(url), stdout=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                # every worker answers before the clock starts: warm each one (charts parse on first use)
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop_server(server)
    raise SystemExit("the server did not start")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# -- (c), (d) the load: run in its own process (`onsale.py _load CONFIG`) ------------------------------
class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.seats_held = 0
        self.seats_booked = 0
        self.booked: list[str] = []  # labels the server confirmed as booked to this process's clients
        self.ga_booked = 0

    def ok(self, kind: str, began: float) -> None:
        self.latency[kind].append(time.perf_counter() - began)

    def error(self, kind: str, status: int, body: Any) -> None:
        self.errors[f"{kind} {status} {_code(body)}"] += 1


def _code(body: Any) -> str:
    if isinstance(body, dict):
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            return str(errors[0].get("code"))
        return str(body.get("code") or body.get("detail") or "?")[:60]
    return "?"


async def _call(session: Any, stats: Stats, kind: str, method: str, url: str, **kwargs: Any) -> Any:
    began = time.perf_counter()
    try:
        async with session.request(method, url, **kwargs) as response:
            body = await response.json(content_type=None) if response.status != 204 else None
            status = response.status
    except Exception as exc:  # a refused or reset connection is an error of its own kind
        stats.errors[f"{kind} {type(exc).__name__}"] += 1
        return None
    if status >= 300:
        stats.error(kind, status, body)
        return None
    stats.ok(kind, began)
    return body if body is not None else {}


async def _hold_four(
    session: Any,
    stats: Stats,
    kind: str,
    base: str,
    event: str,
    token: str,
    rows: list[list[str]],
    rng: random.Random,
    *,
    by_labels: bool,
) -> list[str] | None:
    """Hold 4 adjacent seats of a random row by label, or 4 by best available: the labels held, or None."""
    if by_labels:
        row = rows[rng.randrange(len(rows))]
        start = rng.randrange(0, len(row) - 3)
        labels = row[start : start + 4]
        body: dict[str, Any] = {"events": [event], "objects": labels, "status": "reservedByToken", "holdToken": token}
        held = await _call(
            session,
            stats,
            f"{kind}hold-labels",
            "POST",
            f"{base}/events/groups/actions/change-object-status",
            json=body,
        )
        return labels if held is not None else None
    body = {"bestAvailable": {"number": 4}, "status": "reservedByToken", "holdToken": token}
    best = await _call(
        session, stats, f"{kind}hold-best", "POST", f"{base}/events/{event}/actions/change-object-status", json=body
    )
    return list(best["objects"]) if best is not None else None


async def seatsio_client(cfg: dict[str, Any], deadline: float, stats: Stats, seed: int) -> None:
    import aiohttp

    rng = random.Random(seed)
    base = f"{cfg['base']}/seating"
    event = cfg["seats_event"]
    rows: list[list[str]] = cfg["rows"]
    headers = {"Authorization": aiohttp.encode_basic_auth(cfg["secret"], "")}
    round_ = 0
    # A client is a browser: one keep-alive connection (a new one per round cost the load generator, on the
    # same 2 cores, more CPU than the server spent answering); a new visitor (hold token) each round.
    async with aiohttp.ClientSession(headers=headers, connector=aiohttp.TCPConnector(limit=1)) as session:
        while time.perf_counter() < deadline:
            round_ += 1
            token_body = await _call(session, stats, "hold-token", "POST", f"{base}/hold-tokens", json={})
            if token_body is None:
                continue
            token = token_body["holdToken"]
            got = await _hold_four(session, stats, "", base, event, token, rows, rng, by_labels=bool(round_ % 2))
            if got is None:
                continue
            stats.seats_held += len(got)
            if rng.random() < BOOK_SHARE:
                booked = await _call(
                    session,
                    stats,
                    "book",
                    "POST",
                    f"{base}/events/groups/actions/change-object-status",
                    json={
                        "events": [event],
                        "objects": got,
                        "status": "booked",
                        "holdToken": token,
                        "orderId": f"o{seed}-{round_}",
                    },
                )
                if booked is not None:
                    stats.seats_booked += len(got)
                    stats.booked.extend(f"{event}/{label}" for label in got)
            if round_ % GA_EVERY == 0:
                ga = [{"objectId": GA_LABEL, "quantity": 2}]
                held_ga = await _call(
                    session,
                    stats,
                    "hold-ga",
                    "POST",
                    f"{base}/events/groups/actions/change-object-status",
                    json={"events": [event], "objects": ga, "status": "reservedByToken", "holdToken": token},
                )
                if held_ga is not None:
                    booked_ga = await _call(
                        session,
                        stats,
                        "book-ga",
                        "POST",
                        f"{base}/events/groups/actions/change-object-status",
                        json={"events": [event], "objects": ga, "status": "booked", "holdToken": token},
                    )
                    if booked_ga is not None:
                        stats.ga_booked += 2


async def loop_client(cfg: dict[str, Any], deadline: float, stats: Stats, seed: int) -> None:
    """The bare limit's loop (cas_limit.client) over HTTP: hold 4 seats, release them, again and again."""
    import aiohttp

    rng = random.Random(seed)
    base = f"{cfg['base']}/seating"
    event = cfg["loop_event"]
    rows: list[list[str]] = cfg["rows"]
    headers = {"Authorization": aiohttp.encode_basic_auth(cfg["secret"], "")}
    change = f"{base}/events/groups/actions/change-object-status"
    round_ = 0
    async with aiohttp.ClientSession(headers=headers, connector=aiohttp.TCPConnector(limit=1)) as session:
        token_body = await _call(session, stats, "hold-token", "POST", f"{base}/hold-tokens", json={})
        if token_body is None:
            return
        token = token_body["holdToken"]
        while time.perf_counter() < deadline:
            round_ += 1
            got = await _hold_four(session, stats, "loop-", base, event, token, rows, rng, by_labels=bool(round_ % 2))
            if got is None:
                continue
            stats.seats_held += len(got)
            body = {"events": [event], "objects": got, "status": "free", "holdToken": token}
            await _call(session, stats, "loop-release", "POST", change, json=body)


CUSTOMER = {"firstName": "Ann", "lastName": "Smith", "email": "ann@example.org"}
CARD = {"method": "testCard", "cardNumber": "4242424242424242"}


async def basket_client(cfg: dict[str, Any], deadline: float, stats: Stats, seed: int) -> None:
    import aiohttp

    rng = random.Random(seed)
    base = f"{cfg['base']}/{cfg['workspace_key']}/api/v3"
    event = cfg["basket_event"]
    ticket_type = cfg["ticket_type"]
    rows: list[list[str]] = cfg["rows"]
    round_ = 0
    # unsafe=True: keep cookies from an IP-address host (127.0.0.1), which aiohttp drops by default
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1), cookie_jar=jar) as session:
        while time.perf_counter() < deadline:
            # a new visitor each round: an empty cookie jar is a fresh basket (a lapsed one is simply abandoned)
            jar.clear()
            round_ += 1
            if round_ % 2:
                row = rows[rng.randrange(len(rows))]
                start = rng.randrange(0, len(row) - 3)
                wanted = row[start : start + 4]
                body: Any = [{"instance": event, "seat": label, "ticketType": ticket_type} for label in wanted]
                basket = await _call(session, stats, "basket-seats", "POST", f"{base}/basket/tickets", json=body)
            else:
                body = {"instance": event, "quantity": 4, "ticketType": ticket_type}
                basket = await _call(
                    session, stats, "basket-best", "POST", f"{base}/basket/tickets/best-available", json=body
                )
            if basket is None:
                continue
            got = [t["seat"]["id"] for t in basket.get("tickets", []) if t.get("seat")]
            stats.seats_held += len(got)
            if rng.random() < BOOK_SHARE:
                order = await _call(
                    session,
                    stats,
                    "checkout",
                    "POST",
                    f"{base}/basket/checkout",
                    json={"customer": CUSTOMER, "payment": CARD},
                    headers={"Idempotency-Key": f"c{seed}-{round_}"},
                )
                if order is not None:
                    stats.seats_booked += len(got)
                    stats.booked.extend(f"{event}/{label}" for label in got)


async def load(cfg: dict[str, Any]) -> dict[str, Any]:
    stats = Stats()
    client = {"seatsio": seatsio_client, "basket": basket_client, "loop": loop_client}[cfg["phase"]]
    deadline = time.perf_counter() + cfg["seconds"]
    started = time.perf_counter()
    await asyncio.gather(*(client(cfg, deadline, stats, seed) for seed in range(cfg["clients"])))
    elapsed = time.perf_counter() - started
    return {
        "elapsed": elapsed,
        "latency": stats.latency,
        "errors": stats.errors,
        "seats_held": stats.seats_held,
        "seats_booked": stats.seats_booked,
        "booked": stats.booked,
        "ga_booked": stats.ga_booked,
    }


def run_load(
    phase: str, base: str, setup: Setup, clients: int, seconds: float, workdir: Path, server_pid: int
) -> dict[str, Any]:
    cfg = {
        "phase": phase,
        "base": base,
        "secret": setup.secret,
        "workspace_key": setup.workspace_key,
        "seats_event": setup.seats_event,
        "basket_event": setup.basket_event,
        "loop_event": setup.loop_event,
        "ticket_type": setup.ticket_type,
        "rows": setup.rows,
        "clients": clients,
        "seconds": seconds,
    }
    config_file = workdir / f"{phase}.json"
    result_file = workdir / f"{phase}-result.json"
    config_file.write_text(json.dumps(cfg))
    before, children_before, began = _cpu_ticks(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
    subprocess.run([sys.executable, __file__, "_load", str(config_file), str(result_file)], check=True)
    after, children_after, wall = _cpu_ticks(server_pid), resource.getrusage(resource.RUSAGE_CHILDREN), time.time()
    result: dict[str, Any] = json.loads(result_file.read_text())
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {group: (after[group] - before.get(group, 0)) / tick / (wall - began) for group in after}
    load_s = sum(getattr(children_after, f) - getattr(children_before, f) for f in ("ru_utime", "ru_stime"))
    result["cpu"] = {**cpu, "load generator": load_s / (wall - began)}
    return result


def _cpu_ticks(server_pid: int) -> dict[str, int]:
    """CPU time so far (clock ticks, user + system) of the server's processes and of PostgreSQL's."""
    parent: dict[int, int] = {}
    ticks: dict[int, int] = {}
    database = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue  # ended meanwhile
        pid, used = int(proc.name), int(fields[11]) + int(fields[12])
        parent[pid], ticks[pid] = int(fields[1]), used
        if command.startswith(b"postgres"):
            database += used
    server, found = 0, {server_pid}
    for pid in sorted(ticks):  # the server and every process under it
        up = pid
        while up > 1 and up not in found:
            up = parent.get(up, 0)
        if up in found:
            found.add(pid)
            server += ticks[pid]
    return {"server": server, "PostgreSQL": database} if database else {"server": server}


def _load_main(config_file: str, result_file: str) -> None:
    import uvloop

    cfg = json.loads(Path(config_file).read_text())
    result = uvloop.run(load(cfg))
    Path(result_file).write_text(json.dumps(result))


# -- (e) the bare limit ---------------------------------------------------------------------------------
def bare_limit(url: str, clients: int, seconds: float) -> tuple[float, list[float]]:
    sys.path.insert(0, str(HERE))
    import cas_limit

    latencies: list[float] = []
    counts = {"holds": 0, "conflicts": 0}

    async def go() -> float:
        await cas_limit.setup(url)
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(*(cas_limit.client(url, deadline, latencies, counts, i) for i in range(clients)))
        elapsed = time.perf_counter() - started
        import psycopg

        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            await conn.execute(f"DROP SCHEMA IF EXISTS {cas_limit.SCHEMA} CASCADE")
        return elapsed

    elapsed = asyncio.run(go())
    return counts["holds"] / elapsed, latencies


# -- (f) the figures ------------------------------------------------------------------------------------
def _ms(samples: list[float], p: int) -> str:
    if not samples:
        return "-"
    ordered = sorted(samples)
    return f"{ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000:.1f}"


HOLD_KINDS = {"hold-labels", "hold-best", "basket-seats", "basket-best", "loop-hold-labels", "loop-hold-best"}
BOOK_KINDS = {"book", "checkout"}


def report(title: str, result: dict[str, Any]) -> float:
    elapsed = result["elapsed"]
    latency: dict[str, list[float]] = result["latency"]
    holds = sum(len(v) for k, v in latency.items() if k in HOLD_KINDS)
    books = sum(len(v) for k, v in latency.items() if k in BOOK_KINDS)
    print(f"\n{title} ({elapsed:.1f} s)")
    print(
        f"  4-seat holds/s  {holds / elapsed:8,.0f}   seats held/s {result['seats_held'] / elapsed:8,.0f}"
        f"   bookings/s {books / elapsed:8,.0f}   seats booked/s {result['seats_booked'] / elapsed:8,.0f}"
    )
    print(f"  {'request':<14}{'ok':>8}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in sorted(latency):
        samples = latency[kind]
        print(
            f"  {kind:<14}{len(samples):>8}{len(samples) / elapsed:>8.0f}"
            f"{_ms(samples, 50):>9}{_ms(samples, 95):>9}{_ms(samples, 99):>9}"
        )
    errors: dict[str, int] = result["errors"]
    total = sum(errors.values())
    print(f"  errors: {total}" + ("" if total else " (none)"))
    for kind, n in sorted(errors.items(), key=lambda kv: -kv[1]):
        print(f"    {n:>7}  {kind}")
    cpu: dict[str, float] = result.get("cpu", {})
    if cpu and holds:
        print(
            f"  CPU, cores busy (of {os.cpu_count()}): "
            + ", ".join(f"{group} {cores:.2f}" for group, cores in cpu.items())
            + "; per 4-seat hold: "
            + ", ".join(f"{group} {cores * elapsed / holds * 1000:.2f} ms" for group, cores in cpu.items())
        )
    return float(holds / elapsed)


def double_sales(url: str, booked: list[str]) -> tuple[int, int]:
    """(seats confirmed as booked to more than one client, seats with more than one `booked` log entry)."""
    confirmed_twice = sum(1 for n in Counter(booked).values() if n > 1)  # labels carry their event key
    from sqlalchemy import text

    from boxoffice.storage.uow import Database

    db = Database.from_url(url)
    try:
        with db.engine.connect() as conn:
            logged_twice = conn.execute(
                text(
                    "SELECT count(*) FROM (SELECT s.event_id, s.label FROM status_changes s "
                    "JOIN event_objects o ON o.event_id = s.event_id AND o.label = s.label "
                    "WHERE s.status = 'booked' AND o.object_type <> 'generalAdmission' "
                    "GROUP BY s.event_id, s.label HAVING count(*) > 1) t"
                )
            ).scalar_one()
    finally:
        db.dispose()
    return confirmed_twice, int(logged_twice)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=None, help="concurrent clients (64; 8 with --sqlite)")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="run on an SQLite file instead of PostgreSQL")
    parser.add_argument("--skip-seatsio", action="store_true")
    parser.add_argument("--skip-basket", action="store_true")
    parser.add_argument("--skip-loop", action="store_true", help="skip (d'), the bare limit's loop over HTTP")
    parser.add_argument("--skip-bare", action="store_true")
    parser.add_argument("--profile", metavar="DIR", help="py-spy record every server worker during the first phase run")
    args = parser.parse_args()
    clients = args.clients or (8 if args.sqlite else 64)
    workdir = Path(tempfile.mkdtemp(prefix="boxoffice-onsale-"))
    try:
        _run(args, clients, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, clients: int, workdir: Path) -> None:
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"on-sale benchmark: {engine}, {clients} clients, {args.seconds:.0f} s a phase, {args.workers} workers")
    print(f"machine: {os.cpu_count()} cores, {_cpu_model()}; load generator on the same cores")
    url = fresh_database(args.sqlite, workdir)
    began = time.perf_counter()
    setup = set_up(url)
    print(f"set-up: 100,000 seats + GA 5,000, 3 events, {time.perf_counter() - began:.0f} s")
    server, base = start_server(url, args.workers)
    try:
        _warm(base, setup)
        spies = _spy(server, args.profile, args.seconds) if args.profile else []
        booked: list[str] = []
        hold_rate = loop_rate = 0.0
        if not args.skip_seatsio:
            seats = run_load("seatsio", base, setup, clients, args.seconds, workdir, server.pid)
            for spy in spies:
                spy.wait()
            hold_rate = report("seats.io dialect: hold token, hold 4 (labels | best available), book 70 %", seats)
            booked += seats["booked"]
        if not args.skip_basket:
            basket = run_load("basket", base, setup, clients, args.seconds, workdir, server.pid)
            for spy in spies:
                spy.wait()
            report("basket dialect: 4 tickets (seats | best available), checkout 70 %", basket)
            booked += basket["booked"]
        if not args.skip_loop:
            loop = run_load("loop", base, setup, clients, args.seconds, workdir, server.pid)
            title = "seats.io dialect, the bare limit's loop: one hold token, then hold 4 and release them"
            loop_rate = report(title, loop)
    finally:
        stop_server(server)
    audit = subprocess.run(
        [str(BIN / "boxoffice"), "audit"], env=_env(url), capture_output=True, text=True, check=False
    )
    verdict = (audit.stdout + audit.stderr).strip().splitlines()
    print(f"\nboxoffice audit: exit {audit.returncode}: {verdict[-1] if verdict else ''}")
    twice_confirmed, twice_logged = double_sales(url, booked)
    print(
        f"double sales: {twice_confirmed} seats confirmed to two clients, {twice_logged} seats booked twice in the log"
    )
    if not args.sqlite and not args.skip_bare:
        bare, latencies = bare_limit(url, clients, min(args.seconds, 10.0))
        print(
            f"\nbare 4-seat compare-and-set, psycopg async, {clients} connections: {bare:,.0f} holds/s "
            f"(p50 {_ms(latencies, 50)} ms, p99 {_ms(latencies, 99)} ms)"
        )
        if hold_rate:
            print(f"HTTP seats.io on-sale holds reach {hold_rate / bare:.0%} of the bare limit")
        if loop_rate:
            print(f"HTTP seats.io holds in the bare limit's own loop reach {loop_rate / bare:.0%} of it")


def _warm(base: str, setup: Setup) -> None:
    """Calls on many fresh connections at once, so that every worker has parsed the chart before the clock starts."""
    from concurrent.futures import ThreadPoolExecutor

    import httpx

    def one(event: str) -> None:
        with httpx.Client(base_url=f"{base}/seating", auth=(setup.secret, ""), timeout=120) as c:
            c.get(f"/events/{event}/objects", params={"label": setup.rows[0][0]})
            token = c.post("/hold-tokens", json={}).json()["holdToken"]
            c.post(
                f"/events/{event}/actions/change-object-status",
                json={"bestAvailable": {"number": 1}, "status": "reservedByToken", "holdToken": token},
            )

    # Which worker accepts a connection is up to the kernel: repeat until three rounds in a row were quick
    # (no worker parsed a chart or loaded the availability cache during them), so the clock starts warm.
    quick = 0
    for _ in range(30):
        began = time.perf_counter()
        with ThreadPoolExecutor(16) as pool:
            list(pool.map(one, [setup.seats_event, setup.basket_event, setup.loop_event] * 11))
        quick = quick + 1 if time.perf_counter() - began < 1.0 else 0
        if quick == 3:
            return


def _spy(server: subprocess.Popen[bytes], directory: str, seconds: float) -> list[subprocess.Popen[bytes]]:
    """py-spy (raw collapsed stacks, GIL-holding samples only) on each worker of the server."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _ppid(p) == server.pid]
    return [
        subprocess.Popen(
            [
                str(BIN / "py-spy"),
                "record",
                *(["--idle"] if os.environ.get("BENCH_SPY_WALL") else ["--gil"]),
                "--format",
                "raw",
                "--duration",
                str(int(seconds)),
                "--rate",
                "200",
                "--pid",
                str(pid),
                "--output",
                str(Path(directory) / f"worker-{pid}.txt"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for pid in workers
    ]


def _ppid(proc: Path) -> int:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return -1


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "_load":
        _load_main(sys.argv[2], sys.argv[3])
    else:
        main()
