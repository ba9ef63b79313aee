"""The group commit's writes on PostgreSQL, sent as one round trip (psycopg's pipeline mode).

A batch ends with three writes: the new hold tokens, the status-change log and the compare-and-set of
every seat it changed. Through SQLAlchemy each is a round trip of its own, and on two busy cores a round
trip costs milliseconds of waiting for a turn on the CPU, not the database's work. Here they are queued on
the connection's own transaction and sent together; reading the compare-and-set's answer waits for all
three. What is written, and the guard, are those of the repositories' SQLAlchemy statements
(``HoldTokenRepository.add_many``, ``StatusLogRepository.append``, ``ObjectRepository.compare_and_set``),
which SQLite and every other caller still use.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from boxoffice.domain.records import HoldToken
from boxoffice.domain.statuses import ObjectState
from boxoffice.storage.objects import GUARD

# Each insert is one statement over arrays (unnest), not a statement per row: psycopg adapts a list in C,
# while an executemany binds every row in Python.
_TOKENS = """
INSERT INTO hold_tokens (token, workspace_id, created_at, expires_at)
SELECT * FROM unnest(%s::text[], %s::int[], %s::timestamptz[], %s::timestamptz[])
"""

_LOG_COLUMNS = (
    ("workspace_id", "int"),
    ("event_id", "int"),
    ("label", "text"),
    ("status", "text"),
    ("previous_status", "text"),
    ("quantity", "int"),
    ("hold_token", "text"),
    ("order_id", "text"),
    ("ticket_type", "text"),
    ("channel_key", "text"),
    ("extra_data", "text"),  # JSON text, cast below
    ("origin", "text"),
    ("origin_ip", "text"),
    ("created_at", "timestamptz"),
)
_LOG = f"""
INSERT INTO status_changes ({", ".join(name for name, _ in _LOG_COLUMNS)})
SELECT {", ".join(f"{name}::json" if name == "extra_data" else name for name, _ in _LOG_COLUMNS)}
FROM unnest({", ".join(f"%s::{kind}[]" for _, kind in _LOG_COLUMNS)})
    AS entry({", ".join(name for name, _ in _LOG_COLUMNS)})
"""

# One statement per event for all its seats: each label once, from the version first seen to the state
# last decided, its version moved on by one per step (a batch may change one seat twice; the log keeps both
# steps), as the one-statement-per-change path leaves it. RETURNING tells which matched.
_COMPARE_AND_SET = """
UPDATE event_objects AS o SET
    status = c.status, hold_token = c.hold_token, status_before_hold = c.status_before_hold,
    order_id = c.order_id, ticket_type = c.ticket_type, extra_data = c.extra_data::json,
    resale_listing_id = c.resale_listing_id, channel_key = c.channel_key, for_sale = c.for_sale,
    version = o.version + c.steps
FROM unnest(%(label)s::text[], %(seen)s::int[], %(status)s::text[], %(hold_token)s::text[],
            %(status_before_hold)s::text[], %(order_id)s::text[], %(ticket_type)s::text[], %(extra_data)s::text[],
            %(resale_listing_id)s::text[], %(channel_key)s::text[], %(for_sale)s::bool[], %(steps)s::int[])
    AS c(label, seen, status, hold_token, status_before_hold, order_id, ticket_type, extra_data,
         resale_listing_id, channel_key, for_sale, steps)
WHERE o.event_id = %(event_id)s AND o.label = c.label {guard}
RETURNING o.label
"""


def is_pipelined(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def write(
    conn: Connection,
    tokens: Sequence[HoldToken],
    log: Sequence[Mapping[str, Any]],
    changes: Mapping[int, Sequence[tuple[int, ObjectState]]],
) -> bool:
    """Insert `tokens` and `log`, and compare-and-set `changes` ((seen version, new state) per event, in
    the order decided), in one round trip. False if any seat had moved on from its seen version: the
    caller must then roll back, as nothing of it may be kept."""
    statements: list[tuple[int, list[str], psycopg.Cursor[Any]]] = []
    with _raw(conn) as raw, raw.pipeline():
        if tokens:
            raw.cursor().execute(
                _TOKENS,
                (
                    [t.token for t in tokens],
                    [t.workspace_id for t in tokens],
                    [t.created_at for t in tokens],
                    [t.expires_at for t in tokens],
                ),
            )
        if log:
            raw.cursor().execute(_LOG, _log_columns(log))
        guard = "AND o.version = c.seen" if GUARD["enabled"] else ""
        for event_id, event_changes in changes.items():
            labels, params = _compare_and_set_params(event_changes)
            cursor = raw.cursor()
            cursor.execute(_COMPARE_AND_SET.format(guard=guard), {"event_id": event_id, **params})
            statements.append((event_id, labels, cursor))
        matched = all(len(cursor.fetchall()) == len(labels) for _, labels, cursor in statements)
    return matched


def _compare_and_set_params(changes: Sequence[tuple[int, ObjectState]]) -> tuple[list[str], dict[str, list[Any]]]:
    first_seen: dict[str, int] = {}
    last: dict[str, ObjectState] = {}
    steps: dict[str, int] = {}
    for seen, new in changes:
        first_seen.setdefault(new.label, seen)
        last[new.label] = new
        steps[new.label] = steps.get(new.label, 0) + 1
    labels = list(last)
    states = [last[label] for label in labels]
    return labels, {
        "label": labels,
        "seen": [first_seen[label] for label in labels],
        "status": [s.status for s in states],
        "hold_token": [s.hold_token for s in states],
        "status_before_hold": [s.status_before_hold for s in states],
        "order_id": [s.order_id for s in states],
        "ticket_type": [s.ticket_type for s in states],
        "extra_data": [_json_text(s.extra_data) for s in states],
        "resale_listing_id": [s.resale_listing_id for s in states],
        "channel_key": [s.channel_key for s in states],
        "for_sale": [s.for_sale for s in states],
        "steps": [steps[label] for label in labels],
    }


def _log_columns(log: Sequence[Mapping[str, Any]]) -> list[list[Any]]:
    return [
        [_json_text(entry[name]) for entry in log] if name == "extra_data" else [entry[name] for entry in log]
        for name, _ in _LOG_COLUMNS
    ]


def _json_text(value: Any) -> str:
    return json.dumps(value)  # None too: SQLAlchemy's JSON columns keep None as JSON null, and so must this


@contextmanager
def _raw(conn: Connection) -> Iterator[psycopg.Connection[Any]]:
    """The psycopg connection under `conn`, in `conn`'s transaction. Its errors come out as SQLAlchemy's
    (DBAPIError, a lost connection invalidated in the pool), as those of any other statement do."""
    fairy = conn.connection
    raw: psycopg.Connection[Any] = fairy.driver_connection  # type: ignore[assignment]
    try:
        yield raw
    except psycopg.Error as exc:
        lost = raw.closed or raw.broken
        if lost:
            conn.invalidate(exc)
        raise DBAPIError.instance("group commit writes", None, exc, psycopg.Error, connection_invalidated=lost) from exc
