"""Per-event object rows and GA allocations: the compare-and-set lives here.

A change locks the named rows in label order (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite already
holds the single write lock from ``BEGIN IMMEDIATE``), the domain decides each object's next state, and
``compare_and_set`` writes them with ``WHERE version = :seen``: if any row moved on, nothing is kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.rows import dict_row
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    String,
    any_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    union_all,
    update,
)

from boxoffice import json_codec
from boxoffice.domain.areas import Allocation, AreaMove, AreaState
from boxoffice.domain.statuses import FREE, HELD, ObjectState
from boxoffice.storage.raw import is_postgresql, raw_connection, utc
from boxoffice.storage.tables import area_allocations, event_objects, events, hold_tokens

# Flipped off only by the control test that shows the race is real without the guard.
GUARD = {"enabled": True}

# Bumped (in this process) by every write that can make a seat selectable without a status-change log
# entry: channels, forSale, categories, new objects, a hold token's expiry brought forward. The in-process
# availability cache (services/availability.py) reloads when it moves; it is a hint, never the judge.
# Other processes see the same writes through events.availability_version, bumped in the same transaction.
AVAILABILITY_GENERATION = [0]


def availability_changed(conn: Connection | None = None, event_ids: Iterable[int] = ()) -> None:
    AVAILABILITY_GENERATION[0] += 1
    ids = sorted(set(event_ids))
    if conn is not None and ids:
        conn.execute(
            update(events).where(events.c.id.in_(ids)).values(availability_version=events.c.availability_version + 1)
        )


@dataclass(frozen=True, slots=True)
class ObjectRow:
    """The stored row: mutable state plus what the chart says the object is."""

    state: ObjectState
    object_type: str
    category_key: str | None
    section: str | None
    capacity: int
    places_not_for_sale: int = 0  # general admission: places of the area off sale
    places_in_channels: int = 0  # general admission: places moved out to channels' shares
    partition_of: str | None = None  # a channel's share of this general admission area

    def area(self, allocations: Iterable[Allocation] = ()) -> AreaState:
        """The row as a general admission area holding `allocations`, with its for-sale and channel guards."""
        return AreaState(
            self.state.label,
            self.capacity,
            tuple(allocations),
            self.state.for_sale,
            self.state.channel_key,
            self.places_not_for_sale,
            self.places_in_channels,
        )


@dataclass(frozen=True, slots=True)
class NewObject:
    label: str
    object_type: str
    category_key: str | None
    section: str | None
    capacity: int
    for_sale: bool = True
    channel_key: str | None = None
    partition_of: str | None = None


_SELECT = select(
    event_objects.c.label,
    event_objects.c.object_type,
    event_objects.c.category_key,
    event_objects.c.section,
    event_objects.c.capacity,
    event_objects.c.status,
    event_objects.c.hold_token,
    event_objects.c.status_before_hold,
    event_objects.c.order_id,
    event_objects.c.ticket_type,
    event_objects.c.channel_key,
    event_objects.c.for_sale,
    event_objects.c.places_not_for_sale,
    event_objects.c.places_in_channels,
    event_objects.c.partition_of,
    event_objects.c.extra_data,
    event_objects.c.resale_listing_id,
    event_objects.c.version,
    hold_tokens.c.expires_at,
).outerjoin(hold_tokens, hold_tokens.c.token == event_objects.c.hold_token)


def _row(m: Any) -> ObjectRow:
    state = ObjectState(
        label=m["label"],
        status=m["status"],
        hold_token=m["hold_token"],
        hold_expires_at=m["expires_at"],
        order_id=m["order_id"],
        ticket_type=m["ticket_type"],
        channel_key=m["channel_key"],
        for_sale=m["for_sale"],
        extra_data=m["extra_data"],
        resale_listing_id=m["resale_listing_id"],
        status_before_hold=m["status_before_hold"],
        version=m["version"],
    )
    return ObjectRow(
        state,
        m["object_type"],
        m["category_key"],
        m["section"],
        m["capacity"],
        m["places_not_for_sale"],
        m["places_in_channels"],
        m["partition_of"],
    )


# _SELECT's columns, as `lock` sends it without SQLAlchemy on PostgreSQL (storage/raw.py): the on-sale's
# most frequent statement. JSON as text, decoded here, as SQLAlchemy's JSON type does.
_LOCK = """
SELECT o.label, o.object_type, o.category_key, o.section, o.capacity, o.status, o.hold_token,
       o.status_before_hold, o.order_id, o.ticket_type, o.channel_key, o.for_sale,
       o.places_not_for_sale, o.places_in_channels, o.partition_of, o.extra_data::text AS extra_data,
       o.resale_listing_id, o.version, t.expires_at
FROM event_objects AS o LEFT OUTER JOIN hold_tokens AS t ON t.token = o.hold_token
WHERE o.event_id = %s AND o.label = ANY(%s::text[])
ORDER BY o.label
FOR UPDATE OF o{skip}
"""
_LOCK_WAIT = _LOCK.format(skip="")
_LOCK_SKIP = _LOCK.format(skip=" SKIP LOCKED")


def _lock_raw(conn: Connection, event_id: int, labels: list[str], skip_locked: bool) -> dict[str, ObjectRow]:
    with raw_connection(conn) as raw:
        cursor = raw.cursor(row_factory=dict_row)
        rows = cursor.execute(_LOCK_SKIP if skip_locked else _LOCK_WAIT, (event_id, labels)).fetchall()
    found: dict[str, ObjectRow] = {}
    for r in rows:
        # the two columns SQLAlchemy's types would have converted; then the same row builder as `get`
        r["extra_data"] = json_codec.loads(r["extra_data"]) if r["extra_data"] is not None else None
        r["expires_at"] = utc(r["expires_at"])
        found[r["label"]] = _row(r)
    return found


# `allocations` as it is sent on PostgreSQL (storage/raw.py): read before every GA decision.
_ALLOCATIONS_HELD = """
SELECT a.label, a.status, a.quantity, a.hold_token, a.order_id, a.ticket_type, t.expires_at
FROM area_allocations AS a LEFT OUTER JOIN hold_tokens AS t ON t.token = a.hold_token
WHERE a.event_id = %(event_id)s AND a.label = ANY(%(labels)s::text[]) {which}
"""
_ALLOCATIONS_EACH = _ALLOCATIONS_HELD.format(which="ORDER BY a.id")
_ALLOCATIONS_SUMMED = (
    _ALLOCATIONS_HELD.format(which="AND a.status = %(held)s")
    + """UNION ALL
SELECT label, status, sum(quantity), NULL, NULL, NULL, NULL FROM area_allocations
WHERE event_id = %(event_id)s AND label = ANY(%(labels)s::text[]) AND status <> %(held)s
GROUP BY label, status
"""
)


def _allocations_raw(conn: Connection, event_id: int, labels: list[str], per_order: bool) -> list[Any]:
    with raw_connection(conn) as raw:
        query = _ALLOCATIONS_EACH if per_order else _ALLOCATIONS_SUMMED
        rows = raw.cursor().execute(query, {"event_id": event_id, "labels": labels, "held": HELD}).fetchall()
    return [(*r[:6], utc(r[6])) for r in rows]


# GA moves as `apply_area_moves` sends them on PostgreSQL, all of them and the areas' version bumps in one
# round trip (storage/raw.py). A take is one statement: the matching allocations oldest first, each taken
# whole (deleted) until the last, which gives only what is still needed (reduced); it returns how many
# places it took, which must be all of them, as `_take_from` requires.
_AREA_TAKE = """
WITH matching AS (
    SELECT id, quantity, sum(quantity) OVER (ORDER BY id) - quantity AS before
    FROM area_allocations
    WHERE event_id = %(event_id)s AND label = %(label)s AND status = %(status)s
      AND (NOT %(by_token)s OR hold_token IS NOT DISTINCT FROM %(hold_token)s::text)
      AND (NOT %(by_order)s OR order_id = %(order_id)s::text)
), taken AS (
    SELECT id, quantity, LEAST(quantity, %(quantity)s - before) AS take FROM matching WHERE before < %(quantity)s
), deleted AS (
    DELETE FROM area_allocations AS a USING taken WHERE a.id = taken.id AND taken.take = taken.quantity
    RETURNING taken.take
), reduced AS (
    UPDATE area_allocations AS a SET quantity = taken.quantity - taken.take FROM taken
    WHERE a.id = taken.id AND taken.take < taken.quantity
    RETURNING taken.take
)
SELECT coalesce((SELECT sum(take) FROM deleted), 0) + coalesce((SELECT sum(take) FROM reduced), 0)
"""
_AREA_ADD = """
INSERT INTO area_allocations (event_id, label, status, hold_token, order_id, ticket_type, quantity)
VALUES (%(event_id)s, %(label)s, %(to_status)s, %(hold_token)s, %(order_id)s, %(ticket_type)s, %(quantity)s)
"""
_AREA_BUMP = "UPDATE event_objects SET version = version + 1 WHERE event_id = %s AND label = ANY(%s::text[])"


def _area_moves_raw(conn: Connection, event_id: int, moves: Sequence[tuple[str, AreaMove]], bump: list[str]) -> None:
    takes: list[tuple[str, AreaMove, Any]] = []
    with raw_connection(conn) as raw, raw.pipeline():
        for label, move in moves:
            if move.from_status != FREE:
                held = move.from_status == HELD
                cursor = raw.cursor()
                cursor.execute(
                    _AREA_TAKE,
                    {
                        "event_id": event_id,
                        "label": label,
                        "status": move.from_status,
                        # as _take_from filters: held places by their token, others by order if one is named
                        "by_token": held,
                        "hold_token": move.hold_token,
                        "by_order": not held and move.order_id is not None,
                        "order_id": move.order_id,
                        "quantity": move.quantity,
                    },
                )
                takes.append((label, move, cursor))
            if move.to_status != FREE:
                raw.cursor().execute(
                    _AREA_ADD,
                    {
                        "event_id": event_id,
                        "label": label,
                        "to_status": move.to_status,
                        "hold_token": move.hold_token if move.to_status == HELD else None,
                        "order_id": move.order_id,
                        "ticket_type": move.ticket_type,
                        "quantity": move.quantity,
                    },
                )
        if bump:
            raw.cursor().execute(_AREA_BUMP, (event_id, bump))
        for label, move, cursor in takes:
            row = cursor.fetchone()
            missing = move.quantity - (int(row[0]) if row else 0)
            if missing:
                raise RuntimeError(f"allocation underflow on {label}: {missing} places not found")


class ObjectRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- creation -------------------------------------------------------------------------------------
    def add_many(self, event_id: int, objects: Iterable[NewObject]) -> int:
        availability_changed(self.conn, [event_id])
        rows = [
            {
                "event_id": event_id,
                "label": o.label,
                "object_type": o.object_type,
                "category_key": o.category_key,
                "section": o.section,
                "capacity": o.capacity,
                "status": FREE,
                "for_sale": o.for_sale,
                "channel_key": o.channel_key,
                "partition_of": o.partition_of,
                "version": 0,
            }
            for o in objects
        ]
        for start in range(0, len(rows), 5000):
            self.conn.execute(insert(event_objects), rows[start : start + 5000])
        return len(rows)

    def labels(self, event_id: int) -> set[str]:
        return set(
            self.conn.execute(select(event_objects.c.label).where(event_objects.c.event_id == event_id)).scalars()
        )

    # -- reads ----------------------------------------------------------------------------------------
    def get(self, event_id: int, labels: Sequence[str]) -> dict[str, ObjectRow]:
        found: dict[str, ObjectRow] = {}
        for chunk in _chunks(sorted(set(labels))):
            query = _SELECT.where(event_objects.c.event_id == event_id, _among(self.conn, chunk))
            for r in self.conn.execute(query).mappings():
                found[r["label"]] = _row(r)
        return found

    def lock(self, event_id: int, labels: Sequence[str], *, skip_locked: bool = False) -> dict[str, ObjectRow]:
        """Read the named rows, locking them in label order so concurrent changes queue, not deadlock.

        With `skip_locked`, rows another transaction has locked are left out rather than waited for (on
        PostgreSQL; SQLite's one writer never meets another's lock): a caller already holding locks must
        never wait, or two such callers could wait on each other.
        """
        if not GUARD["enabled"]:
            return self.get(event_id, labels)
        if is_postgresql(self.conn):
            return _lock_raw(self.conn, event_id, sorted(set(labels)), skip_locked)
        found: dict[str, ObjectRow] = {}
        for chunk in _chunks(sorted(set(labels))):
            query = (
                _SELECT.where(event_objects.c.event_id == event_id, _among(self.conn, chunk))
                .order_by(event_objects.c.label)
                .with_for_update(of=event_objects, skip_locked=skip_locked)
            )
            for r in self.conn.execute(query).mappings():
                found[r["label"]] = _row(r)
        return found

    @property
    def locks_rows(self) -> bool:
        """Whether rows are locked one by one (PostgreSQL), so that `skip_locked` can leave some out."""
        return self.conn.dialect.name == "postgresql"

    def all(self, event_id: int) -> list[ObjectRow]:
        query = _SELECT.where(event_objects.c.event_id == event_id).order_by(event_objects.c.label)
        return [_row(r) for r in self.conn.execute(query).mappings()]

    def status_counts(self, event_id: int) -> list[tuple[str, str | None, str | None, str | None, bool, int]]:
        """(status, category, section, channel, forSale, count) over seats, tables and booths."""
        query = (
            select(
                event_objects.c.status,
                event_objects.c.category_key,
                event_objects.c.section,
                event_objects.c.channel_key,
                event_objects.c.for_sale,
                func.count(),
            )
            .where(event_objects.c.event_id == event_id)
            .group_by(
                event_objects.c.status,
                event_objects.c.category_key,
                event_objects.c.section,
                event_objects.c.channel_key,
                event_objects.c.for_sale,
            )
        )
        return [(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in self.conn.execute(query).all()]

    def plain_counts(
        self, event_id: int, now: Any
    ) -> tuple[list[tuple[str, str | None, str | None, str | None, bool, str, int]], list[str]]:
        """One pass over the event: (status as of `now`, category, section, channel, forSale, object type,
        count) over seats and booths, and the labels of every other object (GA areas, tables).

        A lapsed hold counts as the status it fell back to, as ``ObjectState.effective`` decides it.
        """
        from sqlalchemy import and_, case, literal, text

        if self.conn.dialect.name == "postgresql":
            # 100,000 rows in a few dozen groups: let the planner hash them in memory rather than sort to disk
            self.conn.execute(text("SET LOCAL work_mem = '32MB'"))
        status = case(
            (
                and_(
                    event_objects.c.status == HELD,
                    hold_tokens.c.expires_at.is_not(None),
                    hold_tokens.c.expires_at <= now,
                ),
                func.coalesce(event_objects.c.status_before_hold, FREE),
            ),
            else_=event_objects.c.status,
        ).label("effective")
        plain = event_objects.c.object_type.in_(("seat", "booth"))
        other = case((plain, literal(None)), else_=event_objects.c.label).label("other")
        columns = (
            event_objects.c.category_key,
            event_objects.c.section,
            event_objects.c.channel_key,
            event_objects.c.for_sale,
            event_objects.c.object_type,
        )
        query = (
            select(status, *columns, other, func.count())
            .select_from(event_objects.outerjoin(hold_tokens, hold_tokens.c.token == event_objects.c.hold_token))
            .where(event_objects.c.event_id == event_id)
            .group_by(status, *columns, other)
        )
        counts: list[tuple[str, str | None, str | None, str | None, bool, str, int]] = []
        others: list[str] = []
        for r in self.conn.execute(query).all():
            if r[6] is not None:
                others.append(r[6])
            else:
                counts.append((r[0], r[1], r[2], r[3], bool(r[4]), r[5], int(r[7])))
        return counts, sorted(set(others))

    # -- the compare-and-set ---------------------------------------------------------------------------
    def compare_and_set(self, event_id: int, changes: Sequence[tuple[int, ObjectState]]) -> int:
        """Write each (seen_version, new_state); returns how many rows matched their seen version."""
        if not changes:
            return 0
        params = [
            {
                "e": event_id,
                "l": new.label,
                "seen": seen,
                "status": new.status,
                "hold_token": new.hold_token,
                "status_before_hold": new.status_before_hold,
                "order_id": new.order_id,
                "ticket_type": new.ticket_type,
                "extra_data": new.extra_data,
                "resale_listing_id": new.resale_listing_id,
                "channel_key": new.channel_key,
                "for_sale": new.for_sale,
            }
            for seen, new in changes
        ]
        where = [event_objects.c.event_id == bindparam("e"), event_objects.c.label == bindparam("l")]
        if GUARD["enabled"]:
            where.append(event_objects.c.version == bindparam("seen"))
        statement = (
            update(event_objects)
            .where(*where)
            .values(
                status=bindparam("status"),
                hold_token=bindparam("hold_token"),
                status_before_hold=bindparam("status_before_hold"),
                order_id=bindparam("order_id"),
                ticket_type=bindparam("ticket_type"),
                extra_data=bindparam("extra_data", type_=event_objects.c.extra_data.type),
                resale_listing_id=bindparam("resale_listing_id"),
                channel_key=bindparam("channel_key"),
                for_sale=bindparam("for_sale"),
                version=event_objects.c.version + 1,
            )
        )
        if len(params) == 1:
            return self.conn.execute(statement, params[0]).rowcount
        return self.conn.execute(statement, params).rowcount

    def bump_versions(self, event_id: int, labels: Sequence[str]) -> None:
        for chunk in _chunks(sorted(set(labels))):
            self.conn.execute(
                update(event_objects)
                .where(event_objects.c.event_id == event_id, event_objects.c.label.in_(chunk))
                .values(version=event_objects.c.version + 1)
            )

    def set_attributes(self, event_id: int, labels: Sequence[str], **values: Any) -> int:
        """Non-status attributes (channel, forSale, category); still bumps the version."""
        availability_changed(self.conn, [event_id])
        changed = 0
        for chunk in _chunks(sorted(set(labels))):
            changed += self.conn.execute(
                update(event_objects)
                .where(event_objects.c.event_id == event_id, event_objects.c.label.in_(chunk))
                .values(version=event_objects.c.version + 1, **values)
            ).rowcount
        return changed

    def set_for_sale(self, event_id: int, off_sale: Collection[str], places_off_sale: Mapping[str, int]) -> None:
        """Every object on sale but `off_sale`, every GA area whole but `places_off_sale`; bumps the version
        of the rows it changes (only those: a config placed anew mostly changes nothing)."""
        availability_changed(self.conn, [event_id])
        off_now = or_(event_objects.c.for_sale.is_(False), event_objects.c.places_not_for_sale != 0)
        if self.locks_rows:
            # Lock every row the updates below change, in label order, as a status change locks its seats:
            # the updates alone lock them in the order they meet them, and a booking holding one of them
            # while waiting for another deadlocks with this change. (The event's row lock, taken by every
            # for-sale change first, keeps the rows off sale as read here.)
            current = self.conn.execute(
                select(event_objects.c.label).where(event_objects.c.event_id == event_id, off_now)
            ).scalars()
            self.lock(event_id, sorted({*current, *off_sale, *places_off_sale}))
        version = event_objects.c.version + 1
        self.conn.execute(
            update(event_objects)
            .where(event_objects.c.event_id == event_id, off_now)
            .values(for_sale=True, places_not_for_sale=0, version=version)
        )
        for chunk in _chunks(sorted(off_sale)):
            self.conn.execute(
                update(event_objects)
                .where(event_objects.c.event_id == event_id, event_objects.c.label.in_(chunk))
                .values(for_sale=False, version=version)
            )
        for label, places in sorted(places_off_sale.items()):
            self.conn.execute(
                update(event_objects)
                .where(event_objects.c.event_id == event_id, event_objects.c.label == label)
                .values(places_not_for_sale=places, version=version)
            )

    def clear_channel(self, event_id: int, channel_key: str | None = None) -> None:
        """Objects leave the channel (or every channel); channels' shares of GA areas stay (see
        services/channels.py, which resizes them)."""
        availability_changed(self.conn, [event_id])
        query = update(event_objects).where(
            event_objects.c.event_id == event_id, event_objects.c.partition_of.is_(None)
        )
        if channel_key is not None:
            query = query.where(event_objects.c.channel_key == channel_key)
        else:
            query = query.where(event_objects.c.channel_key.is_not(None))
        self.conn.execute(query.values(channel_key=None, version=event_objects.c.version + 1))

    def labels_in_channel(self, event_id: int, channel_key: str) -> list[str]:
        """The channel's objects, not its shares of GA areas."""
        return list(
            self.conn.execute(
                select(event_objects.c.label)
                .where(
                    event_objects.c.event_id == event_id,
                    event_objects.c.channel_key == channel_key,
                    event_objects.c.partition_of.is_(None),
                )
                .order_by(event_objects.c.label)
            ).scalars()
        )

    # -- channels' shares of general admission areas ----------------------------------------------------
    def shares(self, event_id: int, channel_key: str | None = None) -> list[tuple[str, str, str, int]]:
        """(share label, area label, channel key, places) of the event's shares, of one channel if given."""
        query = select(
            event_objects.c.label, event_objects.c.partition_of, event_objects.c.channel_key, event_objects.c.capacity
        ).where(event_objects.c.event_id == event_id, event_objects.c.partition_of.is_not(None))
        if channel_key is not None:
            query = query.where(event_objects.c.channel_key == channel_key)
        return [(r[0], r[1], r[2], int(r[3])) for r in self.conn.execute(query.order_by(event_objects.c.label))]

    def set_area_places(
        self, event_id: int, label: str, *, capacity: int | None = None, in_channels: int | None = None
    ) -> None:
        """A share's size (`capacity`) or the places its area has moved out to shares (`in_channels`)."""
        values: dict[str, Any] = {}
        if capacity is not None:
            values["capacity"] = capacity
        if in_channels is not None:
            values["places_in_channels"] = in_channels
        availability_changed(self.conn, [event_id])
        self.conn.execute(
            update(event_objects)
            .where(event_objects.c.event_id == event_id, event_objects.c.label == label)
            .values(version=event_objects.c.version + 1, **values)
        )

    def remove_share(self, event_id: int, label: str) -> None:
        """A share with no places taken goes; its log entries stay, and the audit counts them with its area."""
        availability_changed(self.conn, [event_id])
        self.conn.execute(
            delete(area_allocations).where(area_allocations.c.event_id == event_id, area_allocations.c.label == label)
        )
        self.conn.execute(
            delete(event_objects).where(
                event_objects.c.event_id == event_id,
                event_objects.c.label == label,
                event_objects.c.partition_of.is_not(None),
            )
        )

    def availability_changed(self, event_ids: Iterable[int]) -> None:
        """Seats of these events may have become (un)selectable without a log entry: caches, reload."""
        availability_changed(self.conn, event_ids)

    def held_by_token(self, token: str) -> list[tuple[int, str]]:
        """(event_id, label) of seats held under `token`."""
        rows = self.conn.execute(
            select(event_objects.c.event_id, event_objects.c.label).where(
                event_objects.c.hold_token == token, event_objects.c.status == HELD
            )
        ).all()
        return [(r[0], r[1]) for r in rows]

    def lapsed_holds(self, now: Any, limit: int) -> list[tuple[int, str]]:
        rows = self.conn.execute(
            select(event_objects.c.event_id, event_objects.c.label)
            .join(hold_tokens, hold_tokens.c.token == event_objects.c.hold_token)
            .where(event_objects.c.status == HELD, hold_tokens.c.expires_at <= now)
            .limit(limit)
        ).all()
        return [(r[0], r[1]) for r in rows]

    # -- general admission -----------------------------------------------------------------------------
    def allocations(
        self, event_id: int, labels: Sequence[str], *, per_order: bool = True
    ) -> dict[str, list[Allocation]]:
        """Each area's allocations, oldest first. Without `per_order`, the places taken (booked or a custom
        status) come summed per status, with no order: all a hold or a booking needs to know (free places,
        the caller's own holds), in one row per status instead of one per order ever placed."""
        out: dict[str, list[Allocation]] = {label: [] for label in labels}
        if not labels:
            return out
        if is_postgresql(self.conn):
            rows: Any = _allocations_raw(self.conn, event_id, list(labels), per_order)
        else:
            rows = self.conn.execute(self._allocations_query(event_id, labels, per_order))
        for label, status, quantity, hold_token, order_id, ticket_type, expires_at in rows:
            out.setdefault(label, []).append(
                Allocation(status, int(quantity), hold_token, order_id, ticket_type, expires_at)
            )
        return out

    @staticmethod
    def _allocations_query(event_id: int, labels: Sequence[str], per_order: bool) -> Any:
        where = (area_allocations.c.event_id == event_id, area_allocations.c.label.in_(list(labels)))
        columns = (
            area_allocations.c.label,
            area_allocations.c.status,
            area_allocations.c.quantity,
            area_allocations.c.hold_token,
            area_allocations.c.order_id,
            area_allocations.c.ticket_type,
            hold_tokens.c.expires_at,
        )
        each = select(*columns).outerjoin(hold_tokens, hold_tokens.c.token == area_allocations.c.hold_token)
        if per_order:
            query: Any = each.where(*where).order_by(area_allocations.c.id)
        else:
            summed = (
                select(
                    area_allocations.c.label,
                    area_allocations.c.status,
                    func.sum(area_allocations.c.quantity),
                    *(null() for _ in range(4)),
                )
                .where(*where, area_allocations.c.status != HELD)
                .group_by(area_allocations.c.label, area_allocations.c.status)
            )
            query = union_all(each.where(*where, area_allocations.c.status == HELD), summed)
        return query

    def allocation_totals(self, event_id: int) -> list[tuple[str, str, str | None, int]]:
        """(label, status, hold_token, quantity) summed, lapsed holds included (the raw stored state)."""
        query = (
            select(
                area_allocations.c.label,
                area_allocations.c.status,
                area_allocations.c.hold_token,
                func.sum(area_allocations.c.quantity),
            )
            .where(area_allocations.c.event_id == event_id)
            .group_by(area_allocations.c.label, area_allocations.c.status, area_allocations.c.hold_token)
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in self.conn.execute(query).all()]

    def apply_area_moves(self, event_id: int, moves: Sequence[tuple[str, AreaMove]]) -> None:
        """Each (label, move) in order, then a version bump for every area moved: on PostgreSQL in one
        round trip, elsewhere a statement or more each."""
        bump = sorted({label for label, _ in moves})
        if is_postgresql(self.conn):
            _area_moves_raw(self.conn, event_id, moves, bump)
            return
        for label, move in moves:
            self.apply_area_move(event_id, label, move)
        self.bump_versions(event_id, bump)

    def apply_area_move(self, event_id: int, label: str, move: AreaMove) -> None:
        if move.from_status != FREE:
            self._take_from(event_id, label, move)
        if move.to_status != FREE:
            self.conn.execute(
                insert(area_allocations).values(
                    event_id=event_id,
                    label=label,
                    status=move.to_status,
                    hold_token=move.hold_token if move.to_status == HELD else None,
                    order_id=move.order_id,
                    ticket_type=move.ticket_type,
                    quantity=move.quantity,
                )
            )

    def _take_from(self, event_id: int, label: str, move: AreaMove) -> None:
        query = select(area_allocations.c.id, area_allocations.c.quantity).where(
            area_allocations.c.event_id == event_id,
            area_allocations.c.label == label,
            area_allocations.c.status == move.from_status,
        )
        if move.from_status == HELD:
            query = query.where(area_allocations.c.hold_token == move.hold_token)
        elif move.order_id is not None:
            query = query.where(area_allocations.c.order_id == move.order_id)
        remaining = move.quantity
        for alloc_id, quantity in self.conn.execute(query.order_by(area_allocations.c.id)).all():
            if remaining == 0:
                break
            take = min(quantity, remaining)
            if take == quantity:
                self.conn.execute(delete(area_allocations).where(area_allocations.c.id == alloc_id))
            else:
                self.conn.execute(
                    update(area_allocations).where(area_allocations.c.id == alloc_id).values(quantity=quantity - take)
                )
            remaining -= take
        if remaining:
            raise RuntimeError(f"allocation underflow on {label}: {remaining} places not found")

    def areas_held_by_token(self, token: str) -> list[tuple[int, str, int]]:
        rows = self.conn.execute(
            select(area_allocations.c.event_id, area_allocations.c.label, func.sum(area_allocations.c.quantity))
            .where(area_allocations.c.hold_token == token, area_allocations.c.status == HELD)
            .group_by(area_allocations.c.event_id, area_allocations.c.label)
        ).all()
        return [(r[0], r[1], int(r[2])) for r in rows]

    def lapsed_area_holds(self, now: Any, limit: int) -> list[tuple[int, str]]:
        rows = self.conn.execute(
            select(area_allocations.c.event_id, area_allocations.c.label)
            .join(hold_tokens, hold_tokens.c.token == area_allocations.c.hold_token)
            .where(area_allocations.c.status == HELD, hold_tokens.c.expires_at <= now)
            .distinct()
            .limit(limit)
        ).all()
        return [(r[0], r[1]) for r in rows]


def _among(conn: Connection, labels: list[str]) -> ColumnElement[bool]:
    """``label IN (...)``; on PostgreSQL ``label = ANY(:array)``, one statement whatever the count (an IN
    list is re-rendered for every length, which the on-sale's hot reads paid on every call)."""
    if conn.dialect.name == "postgresql":
        return event_objects.c.label == any_(literal(labels, ARRAY(String)))
    return event_objects.c.label.in_(labels)


def _chunks(labels: list[str], size: int = 1000) -> Iterable[list[str]]:
    for start in range(0, len(labels), size):
        yield labels[start : start + size]


def selectable_seat_labels(
    conn: Connection,
    event_id: int,
    now: Any,
    channel_keys: Sequence[str],
    ignore_channels: bool,
    among: Sequence[str] | None = None,
) -> set[str]:
    """Seats best available may pick now: free (or a lapsed hold from free), for sale, channel allowed."""
    from sqlalchemy import and_, or_

    lapsed_from_free = and_(
        event_objects.c.status == HELD,
        or_(event_objects.c.status_before_hold.is_(None), event_objects.c.status_before_hold == FREE),
        hold_tokens.c.expires_at <= now,
    )
    query = (
        select(event_objects.c.label)
        .outerjoin(hold_tokens, hold_tokens.c.token == event_objects.c.hold_token)
        .where(
            event_objects.c.event_id == event_id,
            event_objects.c.object_type == "seat",
            event_objects.c.for_sale.is_(True),
            or_(event_objects.c.status == FREE, lapsed_from_free),
        )
    )
    if among is not None:
        query = query.where(event_objects.c.label.in_(list(among)))
    if not ignore_channels:
        # As seats.io: with channel keys, only those channels' seats; without, only seats in no channel.
        allowed: ColumnElement[bool] = (
            event_objects.c.channel_key.in_(list(channel_keys))
            if channel_keys
            else event_objects.c.channel_key.is_(None)
        )
        query = query.where(allowed)
    return set(conn.execute(query).scalars())


SeatRow = tuple[str, str, str | None, bool, str | None, Any]  # what seat_availability reads of a seat


def seat_availability(conn: Connection, event_id: int, among: Sequence[str] | None = None) -> list[SeatRow]:
    """(label, status, status_before_hold, for_sale, channel_key, hold expiry) of the event's seats."""
    query = (
        select(
            event_objects.c.label,
            event_objects.c.status,
            event_objects.c.status_before_hold,
            event_objects.c.for_sale,
            event_objects.c.channel_key,
            hold_tokens.c.expires_at,
        )
        .outerjoin(hold_tokens, hold_tokens.c.token == event_objects.c.hold_token)
        .where(event_objects.c.event_id == event_id, event_objects.c.object_type == "seat")
    )
    if among is None:
        return [tuple(r) for r in conn.execute(query).all()]
    out: list[SeatRow] = []
    for chunk in _chunks(sorted(set(among))):
        out.extend(tuple(r) for r in conn.execute(query.where(_among(conn, chunk))).all())
    return out


def log_position(conn: Connection, event_id: int) -> int:
    """The newest status-change log id of the event (0 if none)."""
    from boxoffice.storage.tables import status_changes

    found = conn.execute(select(func.max(status_changes.c.id)).where(status_changes.c.event_id == event_id)).scalar()
    return int(found or 0)


def labels_changed_since(conn: Connection, event_id: int, since: int) -> tuple[int, list[str]]:
    """(newest log id, distinct labels logged after `since`) for the event."""
    from boxoffice.storage.tables import status_changes

    rows = conn.execute(
        select(status_changes.c.id, status_changes.c.label).where(
            status_changes.c.event_id == event_id, status_changes.c.id > since
        )
    ).all()
    if not rows:
        return since, []
    return max(r[0] for r in rows), list({r[1] for r in rows})
