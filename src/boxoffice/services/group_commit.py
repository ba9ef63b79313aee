"""Group commit: the status changes that arrive together are decided together and committed as one.

On an on-sale the cost of a change is the transaction, not the decision: a commit (a WAL flush), a
pooled connection and a thread each. So each process has one writer thread with one connection; every
hold, booking, best-available pick and new hold token a request asks for is queued to it, and the writer
takes everything queued so far as one batch, in one transaction:

1. each job in turn locks its rows and decides, writing nothing; a domain error fails that job alone;
2. a job that names an object an earlier job of the batch has changed sees that change (the batch keeps
   the decided states as an overlay), so two callers racing for one seat get one winner, not two;
3. everything decided is written at the end (the compare-and-set of every seat, GA moves, the log, the
   new hold tokens) and committed; only then does any caller hear "yes".

Nothing is ever sold twice: the rows are still locked and compare-and-set exactly as in
``inventory.change_status``. Seats, tables and booths are locked with ``SKIP LOCKED``: a job that finds one
of its rows locked by another transaction (contention: another process's batch, an admin change) leaves
the batch and runs alone, in a transaction of its own that waits its turn as any single change does
(``inventory.change_status``); best available instead picks again around seats locked elsewhere.
A general-admission area is one row that every buyer of the area needs, so the other process's batches
hold it most of the time: its rows are locked first, before anything else, and waited for (in event and
label order, while the batch holds no other lock, so batches cannot deadlock on them). A job's GA moves are
written as soon as it succeeds, so the next job for the same area decides against them.
A batch that fails as a whole (a lost database, a compare-and-set that did not match) is run again one job
per transaction, so each caller gets its own answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from sqlalchemy.exc import DBAPIError

from boxoffice.domain.errors import BoxofficeError
from boxoffice.domain.records import Event, HoldToken, Workspace
from boxoffice.services import hold_tokens, inventory
from boxoffice.services.batch import Batch, Deferred, Needs
from boxoffice.services.best_available import (
    BestAvailableOrder,
    BestAvailableResult,
    PickLost,
    Prepick,
    SeasonOrder,
    plan_best_available,
    prepick_best_available,
    take_best_available,
)
from boxoffice.services.clock import utcnow
from boxoffice.services.events import require_event
from boxoffice.services.hold_tokens import check_minutes, new_hold_token
from boxoffice.services.inventory import ChangedObjects, StatusChangeRequest
from boxoffice.storage.objects import ObjectRow
from boxoffice.storage.uow import Database, UnitOfWork

log = logging.getLogger("boxoffice.group_commit")

T = TypeVar("T")

MAX_BATCH = 128  # jobs per transaction: enough to share a commit widely, few enough to keep latency low
WRITERS = 1  # one writer thread per lane: batches grow instead of contending for the GIL (measured: 1 > 2 > 3)
IDLE_EXIT_S = 30.0  # an idle writer thread ends; the next job starts another
MAX_AREA_LABELS = 10_000  # GA areas a committer remembers (routing only: a job not known goes to `seats`)


@dataclass(eq=False)
class _Job(Generic[T]):
    run: Callable[[Batch], T]
    alone: Callable[[], T]  # the same in a transaction of its own, which may wait for locks
    needs: Needs
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[T]
    prepare: Callable[[Batch], tuple[int, Sequence[str]] | None] | None = None  # rows to lock up front
    result: Any = None
    error: BaseException | None = None
    done: bool = field(default=False)


class Committer:
    """One per process and database: two lanes, each a writer thread and its queue.

    A GA area is one row that every buyer of the area needs, and a batch holds it from its lock to its
    commit: another process's batch that also names it waits that long, and every job of that batch with
    it. So jobs naming a GA area go to a lane of their own (`areas`), and the rest (`seats`: seats, tables,
    booths, best available, new hold tokens) never wait behind an area. Which labels are areas is learnt
    from the batches (`Batch.areas_met`); until then a job goes to `seats`, where its area is locked and
    waited for as any batch does. Each lane is a transaction of its own, as two processes' batches are,
    and each locks its GA rows first, in order: the lanes cannot deadlock on them.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.seats = _Lane(self, "seats")
        self.areas = _Lane(self, "areas")
        self._area_labels: set[tuple[int, str, str]] = set()  # (workspace id, event key, label) of GA areas

    # -- the use cases, as the event loop calls them ----------------------------------------------------
    async def change_status(self, workspace: Workspace, request: StatusChangeRequest) -> ChangedObjects:
        inventory.check_request(request)

        def run(batch: Batch) -> ChangedObjects:
            caller = inventory.caller_for(batch.uow, workspace, request, batch.now, tokens=batch.hold_token)
            changed: dict[str, list[str]] = {}
            events = sorted(batch.events(workspace, request.event_keys), key=lambda e: e.id)
            if any(event.is_season or event.top_level_season_id is not None for event in events):
                # a season's change reaches its events too, and an event of a season may not change what its
                # season has taken (season_members.py): inventory.change_status makes both
                raise Deferred(())
            for event in events:
                plan = inventory.plan_event_change(batch.uow, event, request, caller, batch.now, lock=batch.lock)
                batch.stage(workspace, plan)
                changed.setdefault(event.key, []).extend(plan.labels)
            return ChangedObjects(changed)

        def alone() -> ChangedObjects:
            return inventory.change_status(self.db, workspace, request)

        labels = tuple(o.label for o in request.objects)
        known = self._area_labels
        lane = (
            self.areas
            if known and any((workspace.id, key, label) in known for key in request.event_keys for label in labels)
            else self.seats
        )
        needs = Needs(workspace, request.event_keys, request.hold_token, labels)
        return await self._submit(run, alone, needs, lane=lane)

    async def take_best_available(
        self,
        workspace: Workspace,
        order: BestAvailableOrder,
        details: Callable[[UnitOfWork, Event, list[ObjectRow]], T],
    ) -> tuple[BestAvailableResult, T]:
        """Best available, and `details` of the seats taken, made from the decided rows (no re-read)."""

        prepicked: list[Prepick] = []

        def prepare(batch: Batch) -> tuple[int, Sequence[str]] | None:
            try:
                first = prepick_best_available(batch.uow, workspace, order, batch.now, shared=batch)
            except DBAPIError:
                raise  # the transaction is lost: the batch fails as a whole
            except Exception:  # whatever it is (no seats, a bad token), the job meets it again and answers it
                return None
            prepicked.append(first)
            batch.prepicked.append(first.claim)
            return first.pick.event.id, first.labels

        def run(batch: Batch) -> tuple[BestAvailableResult, T]:
            first = prepicked.pop() if prepicked else None
            if first is not None:
                batch.prepicked.remove(first.claim)  # from here, plan_best_available settles or gives it back
            try:
                result, plan = plan_best_available(batch.uow, workspace, order, batch.now, shared=batch, prepick=first)
            except SeasonOrder:
                raise Deferred(()) from None  # a season's pick is taken alone (services/season_picks.py)
            except PickLost:
                # Every attempt found its seats taken or locked by another transaction: an on-sale's front rows,
                # not a sold-out event. Alone, the take waits for the rows it picks instead of giving up.
                raise Deferred(()) from None
            batch.stage(workspace, plan)
            rows = [replace(row, state=new) for row, new in plan.seat_changes]
            return result, details(batch.uow, plan.event, rows)

        def alone() -> tuple[BestAvailableResult, T]:
            result = take_best_available(self.db, workspace, order)
            with self.db.read() as uow:
                event = require_event(uow, workspace, order.event_key)
                rows = uow.objects.get(event.id, result.labels)
                return result, details(uow, event, [rows[label] for label in result.labels])

        needs = Needs(workspace, (order.event_key,), order.hold_token, picks=True)
        return await self._submit(run, alone, needs, prepare)

    async def create_hold_token(self, workspace: Workspace, minutes: int | None) -> HoldToken:
        if minutes is not None:
            check_minutes(minutes)  # refused before it is queued

        def run(batch: Batch) -> HoldToken:
            lasts = minutes if minutes is not None else batch.hold_period(workspace)
            token = new_hold_token(workspace, lasts, batch.now)
            batch.stage_token(token)
            return token

        return await self._submit(
            run, lambda: hold_tokens.create_hold_token(self.db, workspace, minutes), Needs(workspace)
        )

    # -- the lanes --------------------------------------------------------------------------------------
    async def _submit(
        self,
        run: Callable[[Batch], T],
        alone: Callable[[], T],
        needs: Needs,
        prepare: Callable[[Batch], tuple[int, Sequence[str]] | None] | None = None,
        *,
        lane: _Lane | None = None,
    ) -> T:
        loop = asyncio.get_running_loop()
        job: _Job[T] = _Job(run, alone, needs, loop, loop.create_future(), prepare)
        (lane or self.seats).submit(job)
        return await job.future

    def _learn_areas(self, batch: Batch) -> None:
        met = batch.areas_met - self._area_labels
        if met and len(self._area_labels) < MAX_AREA_LABELS:
            self._area_labels = self._area_labels | met  # a new set: submitters read it without a lock

    def _run_batch(self, jobs: list[_Job[Any]]) -> None:
        try:
            done, deferred = self._attempt(jobs)
        except (BoxofficeError, DBAPIError) as exc:
            # The batch failed as a whole: give each job its own transaction, so each hears its own answer.
            log.warning("group commit of %d jobs failed (%s); running them one by one", len(jobs), exc)
            deferred, done = jobs, []
        for job in done:
            _settle(job, result=job.result, error=job.error)
        for job in deferred:
            _ALONE.submit(_run_alone, job)

    def _attempt(self, jobs: list[_Job[Any]]) -> tuple[list[_Job[Any]], list[_Job[Any]]]:
        done: list[_Job[Any]] = []
        deferred: list[_Job[Any]] = []
        batch: Batch | None = None
        try:
            with self.db.write() as uow:
                batch = Batch(uow, utcnow())
                needs = [job.needs for job in jobs]
                batch.prefetch(needs)
                picked = [p for job in jobs if job.prepare is not None and (p := job.prepare(batch)) is not None]
                batch.lock_up_front(needs, picked)
                self._learn_areas(batch)
                for job in jobs:
                    try:
                        result = job.run(batch)
                    except Deferred:
                        batch.drop()
                        deferred.append(job)
                    except DBAPIError:
                        raise  # the transaction is lost: the batch fails as a whole
                    except Exception as exc:  # a domain error (or a bug) is this job's answer alone
                        batch.drop()
                        job.result, job.error = None, exc
                        done.append(job)
                    else:
                        # outside the job's own error handling: keep() writes GA moves, and a failure half
                        # way through them must fail the whole batch, never be kept as one job's answer
                        batch.keep()
                        job.result, job.error = result, None
                        done.append(job)
                batch.write()
                uow.commit()
        except BaseException:
            if batch is not None:
                batch.abandoned()
            raise
        batch.committed()
        return done, deferred


class _Lane:
    """A writer thread (started on demand, ended when idle) and the queue it takes its batches from."""

    def __init__(self, committer: Committer, name: str) -> None:
        self.committer = committer
        self.name = name
        self._queue: queue.SimpleQueue[_Job[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: set[threading.Thread] = set()

    def submit(self, job: _Job[Any]) -> None:
        self._queue.put(job)
        self._ensure_writer()

    def _ensure_writer(self) -> None:
        if len(self._threads) >= WRITERS:  # the usual case, read without the lock (see _serve's ending)
            return
        with self._lock:
            if len(self._threads) < WRITERS:
                thread = threading.Thread(target=self._serve, name=f"boxoffice-group-commit-{self.name}", daemon=True)
                self._threads.add(thread)
                thread.start()

    def _serve(self) -> None:
        while True:
            jobs = self._take()
            if not jobs:
                with self._lock:
                    if not self._queue.empty():
                        continue
                    self._threads.discard(threading.current_thread())
                # A job queued just before the discard may have seen this thread still counted (submitters
                # look without the lock): look once more, now that it is not, and start a writer for it.
                if not self._queue.empty():
                    self._ensure_writer()
                return
            try:
                self.committer._run_batch(jobs)
            except BaseException as exc:  # a bug must fail its callers, never strand them or kill the writer
                log.exception("group commit failed")
                for job in jobs:
                    if not job.done:
                        _settle(job, error=exc)

    def _take(self) -> list[_Job[Any]]:
        jobs: list[_Job[Any]] = []
        try:
            jobs.append(self._queue.get(timeout=IDLE_EXIT_S))
        except queue.Empty:
            return []
        while len(jobs) < MAX_BATCH:
            try:
                jobs.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return jobs


def _run_alone(job: _Job[Any]) -> None:
    try:
        result = job.alone()
    except BaseException as exc:  # every outcome, a bug's too, is the caller's answer
        _settle(job, error=exc)
    else:
        _settle(job, result=result)


# Jobs that met contention run here, each in its own transaction (so each may wait for its rows).
_ALONE = ThreadPoolExecutor(max_workers=8, thread_name_prefix="boxoffice-alone")


def _settle(job: _Job[Any], *, result: Any = None, error: BaseException | None = None) -> None:
    job.done = True

    def resolve() -> None:
        if job.future.done():  # the caller went away (a cancelled request)
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # a closed event loop: nobody is waiting any more
        job.loop.call_soon_threadsafe(resolve)


_COMMITTERS: weakref.WeakKeyDictionary[Database, Committer] = weakref.WeakKeyDictionary()
_COMMITTERS_LOCK = threading.Lock()


def committer_for(db: Database) -> Committer:
    with _COMMITTERS_LOCK:
        found = _COMMITTERS.get(db)
        if found is None:
            found = _COMMITTERS[db] = Committer(db)
        return found
