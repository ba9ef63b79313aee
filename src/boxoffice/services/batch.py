"""One transaction's worth of status changes, decided together and written at the end (a batch).

The group commit (services/group_commit.py) runs everything queued while its previous batch ran as one
batch; a best-available take of its own is a batch of one that waits for its rows
(services/best_available.take_best_available). What a batch does, and why it can never sell a seat twice,
is told in group_commit's docstring: it reads what its jobs need at once, locks their rows up front (a GA
area's waited for, first; every other row with ``SKIP LOCKED``), lets each job decide against the batch's
earlier decisions, and writes everything at the end.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from boxoffice.domain.layout import ObjectType
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.services import availability, hold_tokens, inventory
from boxoffice.services.inventory import EventPlan, RowsLockedElsewhere
from boxoffice.services.layouts import layout_of
from boxoffice.storage import pipeline
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import UnitOfWork


class Deferred(RowsLockedElsewhere):
    """A job that must not wait inside this batch (a row is locked elsewhere): it runs alone."""


class Batch:
    """One transaction's worth of jobs: the decided-but-unwritten states, and what to write at the end."""

    def __init__(self, uow: UnitOfWork, now: datetime, *, wait: bool = False) -> None:
        self.uow = uow
        self.now = now
        # Wait for rows locked elsewhere instead of deferring the job (SKIP LOCKED): only for a batch of one
        # job that locks its rows in one ordered statement (best_available.take_best_available).
        self.wait = wait
        self._overlay: dict[tuple[int, str], ObjectRow] = {}  # (event, label) -> row as this batch decided
        self._locked: dict[tuple[int, str], ObjectRow | None] = {}  # locked up front; None: locked elsewhere
        self._events: dict[tuple[int, str], Event] = {}
        self._tokens: dict[tuple[int, str], HoldToken | None] = {}
        self._hold_periods: dict[int, int] = {}  # company id -> minutes
        self._fresh_events: set[int] = set()  # events whose availability cache this batch brought up to date
        self.plans: list[tuple[Workspace, EventPlan]] = []
        self.tokens: list[HoldToken] = []
        # a job's writes are staged, and kept only if the job succeeds
        self._staged_plans: list[tuple[Workspace, EventPlan]] = []
        self._staged_tokens: list[HoldToken] = []
        self._staged_claims: list[availability.Claim] = []
        self.prepicked: list[availability.Claim] = []  # picks made before any job ran: given back on failure
        self.areas_met: set[tuple[int, str, str]] = set()  # (workspace id, event key, label) of GA areas locked
        self.claims: list[availability.Claim] = []  # seats best available takes: settled after the commit

    # -- what a job calls -------------------------------------------------------------------------------
    def lock(self, event_id: int, labels: list[str]) -> dict[str, ObjectRow]:
        """`uow.objects.lock`, seen through this batch's decisions, never waiting."""
        rows: dict[str, ObjectRow] = {}
        fresh: list[str] = []
        for label in labels:
            key = (event_id, label)
            decided = self._overlay.get(key)
            if decided is None:
                if key not in self._locked:
                    fresh.append(label)
                    continue
                held = self._locked[key]
                if held is None:
                    raise Deferred([label])  # locked elsewhere when this batch locked its rows up front
                rows[label] = held
            else:
                rows[label] = decided  # a GA area's allocations are read afresh: keep() wrote the moves
        if fresh:
            objects = self.uow.objects
            skip = objects.locks_rows and not self.wait
            found = objects.lock(event_id, fresh, skip_locked=skip)
            for label, row in found.items():
                self._locked[(event_id, label)] = row
            if skip and len(found) < len(fresh):
                # locked by another transaction (or unknown: the job's own transaction will tell)
                raise Deferred([label for label in fresh if label not in found])
            rows.update(found)
        return rows

    def prefetch(self, needs: Sequence[Needs]) -> None:
        """The events and hold tokens every job of the batch names (no locks taken), and on PostgreSQL
        what the log says changed in the events best available picks from: one round trip there (with the
        transaction's BEGIN), one query each elsewhere."""
        keys: dict[int, set[str]] = {}
        tokens: dict[int, set[str]] = {}
        picking: set[str] = set()
        for need in needs:
            keys.setdefault(need.workspace.id, set()).update(need.event_keys)
            if need.hold_token is not None:
                tokens.setdefault(need.workspace.id, set()).add(need.hold_token)
            if need.picks:
                picking.update(need.event_keys)
        if pipeline.is_pipelined(self.uow.connection):
            copies = availability.log_positions(self.uow, picking)
            reads = pipeline.read(
                self.uow.connection,
                {ws: sorted(k) for ws, k in keys.items()},
                {ws: sorted(n) for ws, n in tokens.items()},
                {event_id: position for event_id, (_, position) in copies.items()},
            )
            for event in reads.events:
                self._events[(event.workspace_id, event.key)] = event
            found_tokens = reads.tokens
            for event_id, (position, rows) in reads.changed.items():
                availability.catch_up(self.uow, event_id, copies[event_id][0], position, rows)
                self._fresh_events.add(event_id)
        else:
            for workspace_id, event_keys in keys.items():
                self._by_keys(workspace_id, sorted(event_keys))
            found_tokens = [t for ws, names in tokens.items() for t in self.uow.hold_tokens.get_many(ws, sorted(names))]
        by_name = {(t.workspace_id, t.token): t for t in found_tokens}
        for workspace_id, names in tokens.items():
            for name in names:
                self._tokens[(workspace_id, name)] = by_name.get((workspace_id, name))

    def lock_up_front(self, needs: Sequence[Needs], picked: Sequence[tuple[int, Sequence[str]]] = ()) -> None:
        """Lock the named rows of every job (and the seats best available has `picked`, per event id) at
        once (``SKIP LOCKED``: never waits). A row another transaction holds is remembered as such, and
        the job naming it is deferred (best available picks again)."""
        wanted: dict[int, set[str]] = {}
        for event_id, chosen in picked:
            wanted.setdefault(event_id, set()).update(chosen)
        for need in needs:
            for key in need.event_keys:
                event = self._events.get((need.workspace.id, key))
                if event is not None:
                    wanted.setdefault(event.id, set()).update(
                        label for label in need.labels if (event.id, label) not in self._overlay
                    )
        objects = self.uow.objects
        if not objects.locks_rows:
            return
        areas = self._areas(wanted)
        for event_id in sorted(areas):  # waited for, first, in order: see the module's docstring
            found = objects.lock(event_id, sorted(areas[event_id]))
            for label in areas[event_id]:
                self._locked[(event_id, label)] = found.get(label)
        for event_id, labels in wanted.items():
            labels -= {label for (e, label) in self._locked if e == event_id}
            if not labels:
                continue
            found = objects.lock(event_id, sorted(labels), skip_locked=not self.wait)
            for label in labels:
                self._locked[(event_id, label)] = found.get(label)

    def _areas(self, wanted: dict[int, set[str]]) -> dict[int, set[str]]:
        """The GA areas among `wanted` (per event id), as the events' charts say."""
        events = {event.id: event for event in self._events.values()}
        areas: dict[int, set[str]] = {}
        for event_id, labels in wanted.items():
            event = events.get(event_id)
            if event is None:
                continue
            objects = layout_of(self.uow, event).objects
            found = {
                label
                for label in labels
                if (o := objects.get(label)) is not None and o.object_type == ObjectType.GENERAL_ADMISSION
            }
            if found:
                areas[event_id] = found
                self.areas_met.update((event.workspace_id, event.key, label) for label in found)
        return areas

    def hold_token(self, workspace_id: int, token: str) -> HoldToken | None:
        key = (workspace_id, token)
        if key not in self._tokens:
            self._tokens[key] = self.uow.hold_tokens.get(workspace_id, token)
        return self._tokens[key]

    def hold_period(self, workspace: Workspace) -> int:
        """The company's hold period (services/hold_tokens.py), read once a batch."""
        company = workspace.company_id
        if company not in self._hold_periods:
            self._hold_periods[company] = hold_tokens.hold_period(self.uow, workspace)
        return self._hold_periods[company]

    def refresh_availability(self, event_id: int) -> bool:
        if event_id in self._fresh_events:
            return False
        self._fresh_events.add(event_id)
        return True

    def taken(self, event_id: int) -> Collection[str]:
        return [label for (e, label) in self._overlay if e == event_id]

    def locked_rows(self, event_id: int, labels: Sequence[str]) -> list[availability.SeatRow]:
        rows = []
        for label in labels:
            key = (event_id, label)
            row = self._locked.get(key)
            if row is None or key in self._overlay:
                continue
            s = row.state
            rows.append((label, s.status, s.status_before_hold, s.for_sale, s.channel_key, s.hold_expires_at))
        return rows

    def events(self, workspace: Workspace, keys: Sequence[str]) -> list[Event]:
        return inventory.find_events(self.uow, workspace, keys, by_keys=self._by_keys)

    def _by_keys(self, workspace_id: int, keys: list[str]) -> list[Event]:
        """`uow.events.by_keys`, read once per batch."""
        missing = [k for k in keys if (workspace_id, k) not in self._events]
        if missing:
            for event in self.uow.events.by_keys(workspace_id, missing):
                self._events[(workspace_id, event.key)] = event
        return [self._events[(workspace_id, k)] for k in keys if (workspace_id, k) in self._events]

    def stage(self, workspace: Workspace, plan: EventPlan) -> None:
        self._staged_plans.append((workspace, plan))

    def stage_token(self, token: HoldToken) -> None:
        self._staged_tokens.append(token)

    def claimed(self, claim: availability.Claim) -> None:
        self._staged_claims.append(claim)

    # -- the batch's own bookkeeping --------------------------------------------------------------------
    def keep(self) -> None:
        """The job succeeded: its decisions become part of the batch (and visible to later jobs)."""
        for workspace, plan in self._staged_plans:
            inventory.write_area_moves(self.uow, plan)
            for row, new in plan.seat_changes:
                self._overlay[(plan.event.id, row.state.label)] = replace(
                    row, state=replace(new, version=row.state.version + 1)
                )
            for row, _, _ in plan.area_plans:
                self._overlay[(plan.event.id, row.state.label)] = row
            self.plans.append((workspace, plan))
        self.tokens.extend(self._staged_tokens)
        self.claims.extend(self._staged_claims)
        self._staged_claims.clear()
        self.drop()

    def drop(self) -> None:
        """The job failed: forget what it staged, and offer the seats it picked again."""
        self._staged_plans.clear()
        self._staged_tokens.clear()
        for claim in self._staged_claims:
            claim.give_back()
        self._staged_claims.clear()

    def write(self) -> None:
        inventory.write_plans(self.uow, self.plans, self.now, self.tokens, areas_written=True)

    def abandoned(self) -> None:
        """Nothing of this batch was written (it failed, or did not commit): every seat picked is on offer
        again."""
        self.drop()
        for claim in [*self.claims, *self.prepicked]:
            claim.give_back()

    def committed(self) -> None:
        """The seats best available took are taken in the cache, whatever the log says yet."""
        for claim in self.claims:
            claim.settle()


@dataclass(frozen=True, slots=True)
class Needs:
    """What a job will read, so that the batch can read it for all its jobs at once."""

    workspace: Workspace
    event_keys: tuple[str, ...] = ()
    hold_token: str | None = None
    labels: tuple[str, ...] = ()  # rows it will lock (known up front for a named change)
    picks: bool = False  # best available: picks from the events' availability caches
