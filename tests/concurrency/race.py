"""Start N real threads together on a barrier, each one a caller of the real services; collect every answer."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

JOIN_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Outcome(Generic[T]):
    index: int
    value: T | None
    error: BaseException | None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class RaceResult(Generic[T]):
    outcomes: list[Outcome[T]]
    seconds: float

    @property
    def successes(self) -> list[Outcome[T]]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failures(self) -> list[Outcome[T]]:
        return [o for o in self.outcomes if not o.ok]

    def unexpected(self, allowed: tuple[type[BaseException], ...]) -> list[str]:
        """Failures that are not one of the `allowed` error types, described for an assertion message."""
        return [f"caller {o.index}: {o.error!r}" for o in self.failures if not isinstance(o.error, allowed)]

    def count(self, kind: type[BaseException]) -> int:
        return sum(1 for o in self.failures if isinstance(o.error, kind))


def race(n: int, call: Callable[[int], T], *, setup: Sequence[Callable[[int], None]] = ()) -> RaceResult[T]:
    """Run `call(i)` for i in range(n), each in its own thread, all released at once by a barrier.

    `setup` steps run in the thread before the barrier (so per-caller preparation does not stagger the start).
    """
    barrier = threading.Barrier(n)
    outcomes: list[Outcome[T] | None] = [None] * n

    def run(i: int) -> None:
        try:
            for step in setup:
                step(i)
        except BaseException as exc:
            barrier.abort()  # do not leave the others waiting: the race is void
            outcomes[i] = Outcome(i, None, exc)
            return
        try:
            barrier.wait(timeout=JOIN_TIMEOUT_S)
            outcomes[i] = Outcome(i, call(i), None)
        except BaseException as exc:  # every answer is recorded; the test decides which are acceptable
            outcomes[i] = Outcome(i, None, exc)

    threads = [threading.Thread(target=run, args=(i,), name=f"caller-{i}", daemon=True) for i in range(n)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_S)
    seconds = time.perf_counter() - started
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads still running after {JOIN_TIMEOUT_S}s: {stuck}"
    done = [o for o in outcomes if o is not None]
    assert len(done) == n
    return RaceResult(done, seconds)


def retrying(call: Callable[[], T], attempts: int = 20) -> T:
    """`call()`, again while it answers Busy (a lock not had in time: the API's 409 + Retry-After), as a
    client retries; the last attempt's answer, whatever it is."""
    from boxoffice.domain.errors import Busy

    for _ in range(attempts - 1):
        try:
            return call()
        except Busy:
            continue
    return call()


def figures(name: str, result: RaceResult[Any], **extra: object) -> None:
    """Printed for the record (visible with -s): how the race went."""
    kinds: dict[str, int] = {}
    for failure in result.failures:
        kinds[type(failure.error).__name__] = kinds.get(type(failure.error).__name__, 0) + 1
    details = " ".join(f"{k}={v}" for k, v in extra.items())
    print(f"\n[{name}] {len(result.successes)} ok, failures {kinds}, {result.seconds:.2f}s {details}")
