"""A small time-limited cache for what a dialect reads on every request (who is calling, which workspace):
trusted for a few seconds after it was read, so a burst of requests costs one read, and a change made
behind the server's back (a key revoked, a workspace switched off) is seen within those seconds."""

from __future__ import annotations

import threading
import time
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """Values trusted for `seconds` after they were put; past `max_entries` it starts over (a flood of
    unknown keys cannot grow it without bound). Safe to share between threads."""

    def __init__(self, seconds: float, *, max_entries: int = 10_000) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: dict[K, tuple[float, V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and time.monotonic() - hit[0] < self.seconds:
            return hit[1]
        return None

    def put(self, key: K, value: V) -> None:
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (time.monotonic(), value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
