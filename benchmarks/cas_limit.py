"""The database's own limit: the bare 4-seat compare-and-set, straight to PostgreSQL, no HTTP, no ORM.

Each client loops: hold 4 adjacent free seats in one transaction (an UPDATE ... WHERE status = 'free'
RETURNING, committed only if all 4 changed), then release them in another. This is the ceiling the
whole HTTP stack is measured against.

    python benchmarks/cas_limit.py [--clients 64] [--seconds 10] [--url postgresql://postgres@127.0.0.1/test]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time

import psycopg

SEATS = 100_000
ROW = 50
SCHEMA = "bench_cas"


async def setup(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        await conn.execute(f"CREATE SCHEMA {SCHEMA}")
        await conn.execute(
            f"CREATE TABLE {SCHEMA}.seats (event int, label text, status text NOT NULL DEFAULT 'free', "
            "hold_token text, version int NOT NULL DEFAULT 0, PRIMARY KEY (event, label))"
        )
        await conn.execute(
            f"INSERT INTO {SCHEMA}.seats (event, label) SELECT 1, 'S' || g FROM generate_series(0, {SEATS - 1}) g"
        )
        await conn.execute(f"ANALYZE {SCHEMA}.seats")


HOLD = (
    f"UPDATE {SCHEMA}.seats SET status = 'reservedByToken', hold_token = %s, version = version + 1 "
    "WHERE event = 1 AND label = ANY(%s) AND status = 'free' RETURNING label"
)
RELEASE = (
    f"UPDATE {SCHEMA}.seats SET status = 'free', hold_token = NULL, version = version + 1 "
    "WHERE event = 1 AND label = ANY(%s) AND hold_token = %s"
)


async def client(url: str, deadline: float, latencies: list[float], counts: dict[str, int], seed: int) -> None:
    rng = random.Random(seed)
    token = f"t{seed}"
    async with await psycopg.AsyncConnection.connect(url) as conn:
        while time.perf_counter() < deadline:
            start = rng.randrange(0, SEATS // ROW) * ROW + rng.randrange(0, ROW - 4)
            labels = [f"S{start + i}" for i in range(4)]
            began = time.perf_counter()
            async with conn.cursor() as cur:
                await cur.execute(HOLD, (token, labels), prepare=True)
                got = len(await cur.fetchall())
            if got == 4:
                await conn.commit()
                latencies.append(time.perf_counter() - began)
                counts["holds"] += 1
                await conn.execute(RELEASE, (labels, token), prepare=True)
                await conn.commit()
            else:
                await conn.rollback()
                counts["conflicts"] += 1


async def run(url: str, clients: int, seconds: float) -> None:
    await setup(url)
    latencies: list[float] = []
    counts = {"holds": 0, "conflicts": 0}
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(*(client(url, deadline, latencies, counts, i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100) if len(latencies) > 100 else [0.0] * 99
    print(f"bare 4-seat compare-and-set, PostgreSQL, {clients} clients, {seconds:.0f} s")
    print(
        f"  holds/s        {counts['holds'] / elapsed:,.0f}   (each followed by a release: "
        f"{2 * counts['holds'] / elapsed:,.0f} tx/s)"
    )
    print(f"  conflicts      {counts['conflicts']}")
    print(f"  hold latency   p50 {q[49] * 1000:.1f} ms  p95 {q[94] * 1000:.1f} ms  p99 {q[98] * 1000:.1f} ms")
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument(
        "--url", default=os.environ.get("BOXOFFICE_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    asyncio.run(run(args.url, args.clients, args.seconds))


if __name__ == "__main__":
    main()
