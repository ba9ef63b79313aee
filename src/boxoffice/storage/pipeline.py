"""The group commit's reads and writes on PostgreSQL, each sent as one round trip (psycopg's pipeline mode).

A batch starts with three reads: the events and hold tokens its jobs name, and what the status-change log
says changed since the availability cache last looked (storage/objects.labels_changed_since and
seat_availability, as one statement). `read` sends them, and the transaction's BEGIN, together.

A batch ends with three writes: the new hold tokens, the status-change log and the compare-and-set of
every seat it changed. Through SQLAlchemy each is a round trip of its own, and on two busy cores a round
trip costs milliseconds of waiting for a turn on the CPU, not the database's work. Here they are queued on
the connection's own transaction and sent together; reading the compare-and-set's answer waits for all
three. What is written, and the guard, are those of the repositories' SQLAlchemy statements
(``HoldTokenRepository.add_many``, ``StatusLogRepository.append``, ``ObjectRepository.compare_and_set``),
which SQLite and every other caller still use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import orjson
import psycopg
from psycopg.rows import dict_row
from sqlalchemy import Connection

from boxoffice import json_codec
from boxoffice.domain.records import Event, HoldToken
from boxoffice.domain.statuses import ObjectState
from boxoffice.storage.events import event_from
from boxoffice.storage.objects import GUARD, SeatRow
from boxoffice.storage.raw import is_postgresql, raw_connection, utc

_EVENTS = """
SELECT e.id, e.workspace_id, e.key, e.chart_id, c.key AS chart_key, e.name, e.date, e.settings, e.created_at,
       e.updated_at, c.published_version AS chart_version, c.created_at AS chart_created_at,
       e.availability_version, e.season_kind, e.top_level_season_id
FROM events AS e JOIN charts AS c ON c.id = e.chart_id
WHERE e.workspace_id = %s AND e.key = ANY(%s::text[])
"""

_TOKENS_READ = """
SELECT token, workspace_id, created_at, expires_at FROM hold_tokens
WHERE workspace_id = %s AND token = ANY(%s::text[])
"""

# The log's newest id after `since`, and the seats it names as they are now (one row of NULLs if none).
_CHANGED_SINCE = """
WITH changed AS (
    SELECT max(id) AS position, array_agg(DISTINCT label) AS labels
    FROM status_changes WHERE event_id = %(event_id)s AND id > %(since)s
)
SELECT changed.position, o.label, o.status, o.status_before_hold, o.for_sale, o.channel_key, t.expires_at
FROM changed
LEFT JOIN event_objects AS o
    ON o.event_id = %(event_id)s AND o.label = ANY(changed.labels) AND o.object_type = 'seat'
LEFT JOIN hold_tokens AS t ON t.token = o.hold_token
"""


@dataclass(frozen=True, slots=True)
class Reads:
    events: list[Event]
    tokens: list[HoldToken]
    changed: dict[int, tuple[int, list[SeatRow]]]  # event id -> (newest log id, seats logged since)


# Each write is one statement over all its rows, sent as one JSON array of objects (json_to_recordset):
# orjson writes it in C, where a parameter per column (arrays) costs psycopg a Python call per value.
_TOKENS = """
INSERT INTO hold_tokens (token, workspace_id, created_at, expires_at)
SELECT token, workspace_id, created_at, expires_at
FROM json_to_recordset(%s::json) AS t(token text, workspace_id int, created_at timestamptz, expires_at timestamptz)
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
FROM json_to_recordset(%s::json) AS entry({", ".join(f"{name} {kind}" for name, kind in _LOG_COLUMNS)})
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
FROM json_to_recordset(%(changes)s::json)
    AS c(label text, seen int, status text, hold_token text, status_before_hold text, order_id text,
         ticket_type text, extra_data text, resale_listing_id text, channel_key text, for_sale bool, steps int)
WHERE o.event_id = %(event_id)s AND o.label = c.label {guard}
RETURNING o.label
"""


def is_pipelined(conn: Connection) -> bool:
    return is_postgresql(conn)


def read(
    conn: Connection,
    events: Mapping[int, Sequence[str]],
    tokens: Mapping[int, Sequence[str]],
    since: Mapping[int, int],
) -> Reads:
    """The `events` (keys per workspace id) and hold `tokens` (per workspace id), and for each event id in
    `since` what the log has logged after that id, in one round trip that also begins the transaction."""
    with raw_connection(conn) as raw, raw.pipeline():
        event_cursors = [_query(raw, _EVENTS, (ws, list(keys)), dict_row) for ws, keys in events.items() if keys]
        token_cursors = [_query(raw, _TOKENS_READ, (ws, list(names))) for ws, names in tokens.items() if names]
        changed_cursors = [
            (event_id, after, _query(raw, _CHANGED_SINCE, {"event_id": event_id, "since": after}))
            for event_id, after in since.items()
        ]
        found_events = [_event(row) for cursor in event_cursors for row in cursor.fetchall()]
        found_tokens = [
            HoldToken(row[0], row[1], row[2].astimezone(UTC), row[3].astimezone(UTC))
            for c in token_cursors
            for row in c.fetchall()
        ]
        changed: dict[int, tuple[int, list[SeatRow]]] = {}
        for event_id, after, cursor in changed_cursors:
            rows = cursor.fetchall()
            position = rows[0][0] if rows and rows[0][0] is not None else after
            changed[event_id] = (
                int(position),
                [(r[1], r[2], r[3], r[4], r[5], utc(r[6])) for r in rows if r[1] is not None],
            )
    return Reads(found_events, found_tokens, changed)


def _query(raw: psycopg.Connection[Any], query: str, params: Any, row_factory: Any = None) -> psycopg.Cursor[Any]:
    cursor = raw.cursor(row_factory=row_factory) if row_factory is not None else raw.cursor()
    cursor.execute(query, params)
    return cursor


def _event(row: dict[str, Any]) -> Event:
    for name in ("created_at", "updated_at", "chart_created_at"):
        row[name] = utc(row[name])
    return event_from(row)


def write(
    conn: Connection,
    tokens: Sequence[HoldToken],
    log: Sequence[Mapping[str, Any]],
    changes: Mapping[int, Sequence[tuple[int, ObjectState]]],
) -> bool:
    """Insert `tokens` and `log`, and compare-and-set `changes` ((seen version, new state) per event, in
    the order decided), in one round trip. False if any seat had moved on from its seen version: the
    caller must then roll back, as nothing of it may be kept."""
    statements: list[tuple[int, psycopg.Cursor[Any]]] = []
    with raw_connection(conn) as raw, raw.pipeline():
        if tokens:
            rows = [
                {
                    "token": t.token,
                    "workspace_id": t.workspace_id,
                    "created_at": t.created_at,
                    "expires_at": t.expires_at,
                }
                for t in tokens
            ]
            raw.cursor().execute(_TOKENS, (_json_rows(rows),))
        if log:
            raw.cursor().execute(
                _LOG, (_json_rows([{**entry, "extra_data": _json_text(entry["extra_data"])} for entry in log]),)
            )
        guard = "AND o.version = c.seen" if GUARD["enabled"] else ""
        for event_id, event_changes in changes.items():
            rows = _compare_and_set_rows(event_changes)
            cursor = raw.cursor()
            cursor.execute(_COMPARE_AND_SET.format(guard=guard), {"event_id": event_id, "changes": _json_rows(rows)})
            statements.append((len(rows), cursor))
        matched = all(len(cursor.fetchall()) == changed for changed, cursor in statements)
    return matched


def _compare_and_set_rows(changes: Sequence[tuple[int, ObjectState]]) -> list[dict[str, Any]]:
    first_seen: dict[str, int] = {}
    last: dict[str, ObjectState] = {}
    steps: dict[str, int] = {}
    for seen, new in changes:
        first_seen.setdefault(new.label, seen)
        last[new.label] = new
        steps[new.label] = steps.get(new.label, 0) + 1
    return [
        {
            "label": label,
            "seen": first_seen[label],
            "status": s.status,
            "hold_token": s.hold_token,
            "status_before_hold": s.status_before_hold,
            "order_id": s.order_id,
            "ticket_type": s.ticket_type,
            "extra_data": _json_text(s.extra_data),
            "resale_listing_id": s.resale_listing_id,
            "channel_key": s.channel_key,
            "for_sale": s.for_sale,
            "steps": steps[label],
        }
        for label, s in last.items()
    ]


def _json_rows(rows: list[dict[str, Any]]) -> str:
    return orjson.dumps(rows).decode()


def _json_text(value: Any) -> str:
    return json_codec.dumps(value).decode()  # None too: SQLAlchemy's JSON columns keep None as JSON null
