"""Seats best available has just picked, shown to the other server processes on the same machine (a hint).

Every worker process keeps its own copy of which seats are free (services/availability), and each picks
the best seats from it. Two processes serving an on-sale at once therefore pick the *same* best seats,
and one of them finds them locked (or taken) only when it asks the database, then picks again: on the
100,000-seat on-sale that was most of the best-available takes, each costing a pick and a round trip.

The board is a file of claims mapped into memory by every process of a server (one file per database,
the schema mixed into each key; in a directory only this user can read): a pick writes the seats it is
about to lock, with a deadline a moment ahead; a pick in another process steps around them. A claim ends
at its deadline, or when the pick gives its seats back. Nothing depends on it: a claim lost to a hash
collision, a torn read or a crash costs what it cost before the board, a retry. Other machines have
boards of their own.

Each slot is two 64-bit words: the seat's key (a CRC-32 of schema, event and label, the event id's low
bits and the owner's tag) and the deadline in milliseconds of CLOCK_MONOTONIC, which all processes on a
machine share.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import tempfile
import threading
import time
import weakref
import zlib
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine

SLOTS = 1 << 16  # 1 MB per database: claims live a second, so a few hundred are on the board at a time
CLAIM_MS = 1000  # long enough for every other process's next batch to have read the seats' log entries
_TAG = os.getpid() & 0xFFFF  # whose claim a slot holds (a process ignores its own: its copy knows them)


class PickBoard:
    def __init__(self, path: Path, *, tag: int = _TAG, namespace: int = 0) -> None:
        self.path = path
        self.tag = tag & 0xFFFF
        self.namespace = namespace  # the schema's, mixed into every key: schemas share their database's file
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # Allocated whole now, so that a full file system refuses here (OSError: no board) instead of
            # killing the process (SIGBUS) when a write first touches a page it cannot have.
            os.posix_fallocate(fd, 0, SLOTS * 16)
            self._map = mmap.mmap(fd, SLOTS * 16)
        finally:
            os.close(fd)
        self._words = memoryview(self._map).cast("Q")

    def claim(self, event_id: int, labels: Iterable[str], *, for_ms: int = CLAIM_MS) -> None:
        until = _now_ms() + for_ms
        words, tag = self._words, self.tag
        for label in labels:
            slot, key = _slot(self.namespace, event_id, label)
            words[slot] = key | tag
            words[slot + 1] = until

    def withdraw(self, event_id: int, labels: Iterable[str]) -> None:
        """End this process's claims on `labels` now (the pick gave them back)."""
        words, tag = self._words, self.tag
        for label in labels:
            slot, key = _slot(self.namespace, event_id, label)
            if words[slot] == key | tag:
                words[slot + 1] = 0

    def claimed_elsewhere(self, event_id: int, labels: Iterable[str]) -> list[str]:
        """Those of `labels` another process has claimed and not yet released."""
        now = _now_ms()
        words, tag = self._words, self.tag
        found = []
        for label in labels:
            slot, key = _slot(self.namespace, event_id, label)
            owner = words[slot]
            if owner >> 16 == key >> 16 and owner & 0xFFFF != tag and words[slot + 1] > now:
                found.append(label)
        return found


def _slot(namespace: int, event_id: int, label: str) -> tuple[int, int]:
    crc = zlib.crc32(f"{event_id}:{label}".encode(), namespace)
    return (crc & (SLOTS - 1)) * 2, crc << 32 | (event_id & 0xFFFF) << 16


def _now_ms() -> int:
    return int(time.monotonic() * 1000)


_BOARDS: weakref.WeakKeyDictionary[Engine, PickBoard | None] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _directory() -> Path:
    """Shared memory where the machine has it (no disk write-back of the claims), else the temp directory."""
    shm = Path("/dev/shm")
    return shm if shm.is_dir() and os.access(shm, os.W_OK) else Path(tempfile.gettempdir())


def board_of(conn: Connection) -> PickBoard | None:
    """The board of the database and schema `conn` works in: on PostgreSQL, where several server
    processes share one database. None elsewhere, or if no board can be made here (picks go without)."""
    engine = conn.engine
    with _LOCK:
        if engine in _BOARDS:
            return _BOARDS[engine]
    board = None
    if conn.dialect.name == "postgresql":
        schema = str(conn.exec_driver_sql("select current_schema()").scalar())
        name = hashlib.sha256(engine.url.render_as_string(hide_password=False).encode()).hexdigest()[:24]
        try:
            board = PickBoard(
                _directory() / f"boxoffice-picks-{os.getuid()}" / name, namespace=zlib.crc32(schema.encode())
            )
        except OSError:
            board = None
    with _LOCK:
        return _BOARDS.setdefault(engine, board)
