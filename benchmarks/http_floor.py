"""The HTTP floor: the on-sale's seats.io load against a server that does no work at all.

    .venv/bin/python benchmarks/http_floor.py [--clients 64] [--seconds 10] [--workers 2]

``onsale.py``'s seats.io clients (the same code: a hold token, a hold of 4 by labels or best available,
70 % a booking, every 10th round a GA hold and booking) run against a raw ASGI app on uvicorn started as
``boxoffice serve`` starts it (uvloop, httptools, the same number of workers). The app reads and parses
each JSON body and answers canned JSON of the same shape: no framework, no authentication, no database.
So the figure is the most any server on uvicorn could reach with this load generator on these cores; the
bare compare-and-set in ``onsale.py`` is the database's most, with no HTTP. Compare the two to see how
much room ``onsale.py``'s share-of-the-bare-limit target leaves for the real work.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent

_HEADERS = [(b"content-type", b"application/json")]


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Answers the three calls the seats.io clients make, with canned bodies of the real shapes."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    request = orjson.loads(body) if body else {}
    path: str = scope["path"]
    if path.endswith("/hold-tokens"):
        answer: dict[str, Any] = {
            "holdToken": secrets.token_hex(16),
            "expiresAt": "2026-01-01T00:15:00.000Z",
            "expiresInSeconds": 900,
            "workspaceKey": "floor",
        }
    elif "bestAvailable" in request:
        labels = [f"A-{n}" for n in range(1, request["bestAvailable"]["number"] + 1)]
        answer = {
            "objects": labels,
            "objectDetails": {label: {"label": label} for label in labels},
            "nextToEachOther": True,
        }
    else:
        answer = {
            "objects": {
                str(o if isinstance(o, str) else o["objectId"]): {"status": request["status"]}
                for o in request["objects"]
            }
        }
    await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
    await send({"type": "http.response.body", "body": orjson.dumps(answer)})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import subprocess

    import httpx
    import onsale

    port = onsale._free_port()
    command = [
        str(onsale.BIN / "uvicorn"), "http_floor:app", "--port", str(port), "--workers", str(args.workers),
        "--loop", "uvloop", "--http", "httptools", "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=HERE, stdout=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.post(f"{base}/seating/hold-tokens", json={}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        rows = [[f"{r}-{n}" for n in range(1, 41)] for r in range(100)]
        setup = onsale.Setup(base, "secret", "workspace", "event", "event", "event", "1", rows)
        print(f"HTTP floor: a no-work ASGI app, {args.workers} workers, {args.clients} clients, {args.seconds:g} s")
        print(f"machine: {os.cpu_count()} cores, {onsale._cpu_model()}; load generator on the same cores")
        with tempfile.TemporaryDirectory() as workdir:
            result = onsale.run_load("seatsio", base, setup, args.clients, args.seconds, Path(workdir), server.pid)
        onsale.report("seats.io calls, canned answers", result)
    finally:
        onsale.stop_server(server)


if __name__ == "__main__":
    main()
