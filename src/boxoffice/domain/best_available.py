"""Best available: pick the best N seats of a layout, like seats.io's "best available".

Pure and deterministic. `SeatIndex.build(layout)` does the expensive part once per layout (the
caller caches it); `best_available(index, selectable, request)` then answers one request.

How a request is answered:

* Candidates are seats in rows (``ObjectType.SEAT`` with a ``row_key``, not at a table) that the
  caller says are selectable and that pass the category / zone / section filters.
* Accessible seats are taken only when asked for: with ``accessible_seats = k`` exactly ``k`` of
  the ``N`` seats are accessible and ``N - k`` are not; with ``k = 0`` none are.
* First choice is ``N`` adjacent seats in one row (consecutive ``index_in_row``). Windows are
  scored by the sum of their seats' Euclidean distances to the focal point (the zone's when a zone
  with a focal point is requested, else the layout's). Without any focal point, the first-drawn
  row wins, then the centre of the row.
* With ``try_to_prevent_orphan_seats`` a window that leaves exactly one selectable seat stranded
  between itself and an unselectable seat (or the row's end, or a gap in the row) ranks behind
  every window that strands none, whatever the distances; fewer stranded seats rank first.
* If no row has ``N`` adjacent candidates, the ``N`` seats are picked apart
  (``next_to_each_other=False``): from a single row when any row can supply them all (the closest
  such set), else row by row, closest rows first. `BestAvailableNotFound` only when fewer than
  ``N`` candidates (with the accessible split) exist at all.

Performance: rows are split into segments of consecutive seats and sorted once by the distance
of their closest seat. A request scans segments in that order and stops as soon as no later
segment can beat the best orphan-free window found, so a typical request touches a handful of
rows, not the whole layout. Per segment, availability is one byte string (set lookups run in C)
searched with ``bytes.find``. A small selectable set (under 1/20 of the seats) is first mapped to
the segments holding its seats, so a nearly sold-out event costs O(selectable), not O(seats).
What remains O(seats) is proving that no orphan-free window exists when many seats are free but
fragmented (e.g. every other seat free): about 6-10 ms for 100,000 seats.
"""

from __future__ import annotations

import heapq
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import and_, sub

from boxoffice.domain.errors import BestAvailableNotFound, InvalidInput
from boxoffice.domain.layout import ChartObject, Layout, ObjectType, Point

MAX_SEATS = 100
_SPARSE_RATIO = 20  # a selectable set this many times smaller than the layout counts as small


@dataclass(frozen=True, slots=True)
class BestAvailableRequest:
    number: int
    categories: frozenset[str] | None = None  # category keys (string form); None = any
    zone: str | None = None
    sections: frozenset[str] | None = None
    accessible_seats: int = 0  # how many of the N must be accessible seats
    try_to_prevent_orphan_seats: bool = True


@dataclass(frozen=True, slots=True)
class BestAvailableChoice:
    labels: tuple[str, ...]
    next_to_each_other: bool


@dataclass(frozen=True, slots=True)
class _Segment:
    """A run of seats with consecutive `index_in_row` in one row, left to right."""

    uid: int  # unique per segment of a layout (a zone's copy keeps it): keys per-call caches
    row_id: int  # rows numbered in drawing order (first seat drawn)
    start_index: int  # index_in_row of the first seat
    labels: tuple[str, ...]
    dists: tuple[float, ...]  # distance of each seat to the focal point (or the fallback score)
    window_prefix: tuple[float, ...]  # window_prefix[i] = sum(dists[:i])
    smallest_prefix: tuple[float, ...]  # smallest_prefix[i] = sum of the i smallest dists
    min_dist: float
    accessible: bytes  # 1 per accessible seat
    accessible_prefix: tuple[int, ...]  # accessible_prefix[i] = accessible seats among the first i
    categories: tuple[str | None, ...]
    sections: tuple[str | None, ...]
    zones: tuple[str | None, ...]
    category_set: frozenset[str | None]
    section_set: frozenset[str | None]
    zone_set: frozenset[str | None]

    @classmethod
    def of(cls, uid: int, row_id: int, seats: list[ChartObject], dists: list[float]) -> _Segment:
        accessible = bytes(seat.accessible for seat in seats)
        categories = tuple(seat.category_key for seat in seats)
        sections = tuple(seat.section for seat in seats)
        zones = tuple(seat.zone for seat in seats)
        return cls(
            uid=uid,
            row_id=row_id,
            start_index=seats[0].index_in_row,
            labels=tuple(seat.label for seat in seats),
            dists=tuple(dists),
            window_prefix=tuple(accumulate(dists, initial=0.0)),
            smallest_prefix=tuple(accumulate(sorted(dists), initial=0.0)),
            min_dist=min(dists),
            accessible=accessible,
            accessible_prefix=tuple(accumulate(accessible, initial=0)),
            categories=categories,
            sections=sections,
            zones=zones,
            category_set=frozenset(categories),
            section_set=frozenset(sections),
            zone_set=frozenset(zones),
        )

    def with_dists(self, dists: list[float]) -> _Segment:
        return _Segment(
            uid=self.uid,
            row_id=self.row_id,
            start_index=self.start_index,
            labels=self.labels,
            dists=tuple(dists),
            window_prefix=tuple(accumulate(dists, initial=0.0)),
            smallest_prefix=tuple(accumulate(sorted(dists), initial=0.0)),
            min_dist=min(dists),
            accessible=self.accessible,
            accessible_prefix=self.accessible_prefix,
            categories=self.categories,
            sections=self.sections,
            zones=self.zones,
            category_set=self.category_set,
            section_set=self.section_set,
            zone_set=self.zone_set,
        )


@dataclass(frozen=True, slots=True)
class _View:
    """The segments of one distance measure: sorted by closest seat, and grouped by row."""

    segments: tuple[_Segment, ...]  # by (min_dist, row_id, start_index)
    rows: tuple[tuple[float, tuple[_Segment, ...]], ...]  # (closest seat, segments left to right), sorted
    longest_row: int  # seats in the longest row
    with_accessible: tuple[_Segment, ...]  # the segments holding accessible seats

    @classmethod
    def of(cls, segments: Iterable[_Segment]) -> _View:
        ordered = tuple(sorted(segments, key=lambda s: (s.min_dist, s.row_id, s.start_index)))
        grouped: dict[int, list[_Segment]] = {}
        for seg in sorted(ordered, key=lambda s: (s.row_id, s.start_index)):
            grouped.setdefault(seg.row_id, []).append(seg)
        rows = sorted(
            ((min(seg.min_dist for seg in row), tuple(row)) for row in grouped.values()),
            key=lambda r: (r[0], r[1][0].row_id),
        )
        longest = max((sum(len(seg.labels) for seg in row) for row in grouped.values()), default=0)
        with_accessible = tuple(seg for seg in ordered if seg.accessible_prefix[-1])
        return cls(ordered, tuple(rows), longest, with_accessible)


@dataclass(frozen=True, slots=True)
class SeatIndex:
    """Everything best available needs from a layout, precomputed. Immutable; build once per layout."""

    view: _View  # distances to the layout's focal point (or first row / row centre without one)
    zone_views: dict[str, _View]  # per zone with a focal point: that zone's rows, distances to it
    segment_of: dict[str, int]  # seat label -> uid of its segment
    seat_count: int
    position_of: dict[str, tuple[int, int]]  # seat label -> (uid of its segment, offset in it)

    @classmethod
    def build(cls, layout: Layout) -> SeatIndex:
        rows: dict[str, list[ChartObject]] = {}
        for obj in layout.objects.values():
            if (
                obj.object_type is ObjectType.SEAT
                and obj.row_key is not None
                and obj.table_label is None
                and obj.parent_type != "table"
            ):
                rows.setdefault(obj.row_key, []).append(obj)

        # Split every row into runs of consecutive index_in_row (dict order = drawing order).
        runs: list[tuple[int, list[ChartObject]]] = []
        row_bounds: list[tuple[int, int]] = []
        for row_id, seats in enumerate(rows.values()):
            seats.sort(key=lambda seat: seat.index_in_row)
            row_bounds.append((seats[0].index_in_row, seats[-1].index_in_row))
            run: list[ChartObject] = []
            for seat in seats:
                if run and seat.index_in_row != run[-1].index_in_row + 1:
                    runs.append((row_id, run))
                    run = []
                run.append(seat)
            runs.append((row_id, run))

        focal = layout.focal_point
        if focal is not None:
            segments = [_Segment.of(uid, row_id, run, _distances(run, focal)) for uid, (row_id, run) in enumerate(runs)]
        else:
            # No focal point: first-drawn rows first, then the centre of the row. Any seat of an
            # earlier row scores below every seat of a later one, so window sums order the same way.
            widest = max((last - first for first, last in row_bounds), default=0)
            step = widest + 1.0
            segments = []
            for uid, (row_id, run) in enumerate(runs):
                first, last = row_bounds[row_id]
                centre = (first + last) / 2
                dists = [row_id * step + abs(seat.index_in_row - centre) for seat in run]
                segments.append(_Segment.of(uid, row_id, run, dists))

        seats_by_label = {seat.label: seat for _, run in runs for seat in run}
        zone_views: dict[str, _View] = {}
        for zone in layout.zones:
            if zone.focal_point is None:
                continue
            in_zone = [seg for seg in segments if zone.key in seg.zone_set]
            zone_focal = zone.focal_point
            zone_views[zone.key] = _View.of(
                seg.with_dists(_distances([seats_by_label[label] for label in seg.labels], zone_focal))
                for seg in in_zone
            )
        return cls(
            view=_View.of(segments),
            zone_views=zone_views,
            segment_of={label: seg.uid for seg in segments for label in seg.labels},
            seat_count=len(seats_by_label),
            position_of={label: (seg.uid, i) for seg in segments for i, label in enumerate(seg.labels)},
        )


def _distances(seats: list[ChartObject], focal: Point) -> list[float]:
    fx, fy = focal.x, focal.y
    return [math.hypot(seat.x - fx, seat.y - fy) for seat in seats]


@dataclass(slots=True)
class _Filter:
    """A request's static filters, with a per-segment fast path for uniform segments."""

    categories: frozenset[str] | None
    sections: frozenset[str] | None
    zone: str | None
    exclude_accessible: bool

    def check(self, seg: _Segment) -> tuple[bool, bytes | None]:
        """(any seat may pass, per-seat mask or None when every seat passes)."""
        per_seat = False
        if self.categories is not None:
            if self.categories.isdisjoint(seg.category_set):
                return False, None
            per_seat = per_seat or not seg.category_set <= self.categories
        if self.sections is not None:
            if self.sections.isdisjoint(seg.section_set):
                return False, None
            per_seat = per_seat or not seg.section_set <= self.sections
        if self.zone is not None:
            if self.zone not in seg.zone_set:
                return False, None
            per_seat = per_seat or len(seg.zone_set) > 1
        if self.exclude_accessible and seg.accessible_prefix[-1]:
            if seg.accessible_prefix[-1] == len(seg.labels):
                return False, None
            per_seat = True
        if not per_seat:
            return True, None
        mask = bytes(
            (self.categories is None or c in self.categories)
            and (self.sections is None or s in self.sections)
            and (self.zone is None or z == self.zone)
            and not (self.exclude_accessible and a)
            for c, s, z, a in zip(seg.categories, seg.sections, seg.zones, seg.accessible, strict=True)
        )
        return any(mask), mask


class SeatFlags:
    """Selectable seats of one event kept as one byte per seat, per segment, and a count per segment:
    a caller that keeps availability between requests (services/availability.py) updates it seat by
    seat, and a request then reads whole segments and skips full ones in O(1), with no per-seat call.

    Not thread-safe by itself: the caller serialises `set` against reads of the same instance.
    """

    __slots__ = ("_changes", "_count", "_dirty", "_flags", "_lock", "_rankings", "_where")

    def __init__(self, index: SeatIndex) -> None:
        self._where = index.position_of
        self._flags = {seg.uid: bytearray(len(seg.labels)) for seg in index.view.segments}
        self._count = dict.fromkeys(self._flags, 0)
        self._changes = dict.fromkeys(self._flags, 0)  # per segment: bumped by every change of its flags
        self._rankings: dict[_WindowShape, _Ranking] = {}
        self._dirty: tuple[set[int], ...] = ()  # each ranking's segments changed since it last looked
        self._lock = threading.Lock()  # picks may run in several threads; rankings are theirs to share

    def set(self, label: str, selectable: bool) -> None:
        where = self._where.get(label)
        if where is None:
            return  # not a seat in a row (a table seat, a booth): best available never picks it
        uid, offset = where
        flags = self._flags[uid]
        if flags[offset] != selectable:
            flags[offset] = selectable
            self._count[uid] += 1 if selectable else -1
            self._changes[uid] += 1
            for dirty in self._dirty:  # a snapshot: a ranking added meanwhile scans everything anyway
                dirty.add(uid)

    def any_in(self, uid: int) -> bool:
        return self._count[uid] > 0

    def segment(self, uid: int) -> bytes:
        return bytes(self._flags[uid])

    def best_window(self, segments: tuple[_Segment, ...], filt: _Filter, shape: _WindowShape) -> _Ranked:
        """The best window among `segments` for requests of this shape: what a full scan finds, from a
        ranking of every segment's own best window that is kept across requests, where only the segments
        changed since the last request are looked at again. An on-sale's picks otherwise scan the same
        hundreds of fragmented rows again and again. `UNRANKED` past MAX_RANKINGS shapes (scan instead)."""
        with self._lock:
            ranking = self._rankings.get(shape)
            if ranking is None:
                if len(self._rankings) >= MAX_RANKINGS:
                    return UNRANKED
                ranking = _Ranking(segments)
                self._rankings[shape] = ranking
                self._dirty = (*self._dirty, ranking.dirty)  # from here on, changes reach this ranking
            dirty, heap = ranking.dirty, ranking.heap
            while dirty:
                uid = dirty.pop()
                seg = ranking.segments.get(uid)
                if seg is None:
                    continue  # not in this view (a zone's)
                passes, mask = filt.check(seg)
                if not passes:
                    continue
                stamp = self._changes[uid]  # read before the flags: a change meanwhile makes the entry stale
                sel = bytes(self._flags[uid])
                found = _segment_window(seg, sel, sel if mask is None else bytes(map(and_, sel, mask)), shape)
                if found is not None:
                    orphans, total, start = found
                    heapq.heappush(heap, (orphans, total, ranking.order[uid], uid, start, stamp))
            while heap and heap[0][5] != self._changes[heap[0][3]]:
                heapq.heappop(heap)  # that segment has changed since: its fresh entry is elsewhere in the heap
            if len(heap) > 4 * len(ranking.segments):  # stale entries that never reached the top
                ranking.heap = heap = [entry for entry in heap if entry[5] == self._changes[entry[3]]]
                heapq.heapify(heap)
            if not heap:
                return None
            _, _, _, uid, start, _ = heap[0]
            return ranking.segments[uid].labels[start : start + shape.number]


MAX_RANKINGS = 64  # request shapes (number, filters, ...) an event's flags keep a ranking for


class _Unranked:
    pass


UNRANKED = _Unranked()
_Ranked = tuple[str, ...] | None | _Unranked


class _Ranking:
    """Every segment's best window for one request shape, as a heap ordered as a scan would choose:
    fewest orphans, smallest distance, then first in the view's order. Entries carry the segment's change
    stamp; one that is out of date is dropped when it reaches the top (its fresh entry is in the heap)."""

    __slots__ = ("dirty", "heap", "order", "segments")

    def __init__(self, segments: tuple[_Segment, ...]) -> None:
        self.segments = {seg.uid: seg for seg in segments}
        self.order = {seg.uid: n for n, seg in enumerate(segments)}
        self.dirty: set[int] = set(self.segments)  # all of them, the first time
        self.heap: list[tuple[int, float, int, int, int, int]] = []


class _Availability:
    """Which seats of a segment the caller may take, for one call: one byte per seat, memoised.

    A small set of selectable labels (a nearly sold-out event) is turned into the set of segments
    holding any of them, so whole-layout scans skip everything else in O(1) per segment. `SeatFlags`
    answer both questions directly.
    """

    __slots__ = ("_flags", "_live", "_memo", "kept")

    def __init__(self, index: SeatIndex, selectable: Selectable) -> None:
        self._memo: dict[int, bytes] = {}
        self._live: set[int] | None = None
        self.kept = selectable if isinstance(selectable, SeatFlags) else None
        if isinstance(selectable, SeatFlags):
            self._flags: Callable[[tuple[str, ...]], bytes] | None = None
            return
        self._flags = _flags_of_labels(selectable)
        if isinstance(selectable, (set, frozenset)) and len(selectable) * _SPARSE_RATIO <= index.seat_count:
            segment_of = index.segment_of
            self._live = {uid for label in selectable if (uid := segment_of.get(label)) is not None}

    def any_in(self, seg: _Segment) -> bool:
        """False when the segment surely has no selectable seat (only known for small sets)."""
        if self.kept is not None:
            return self.kept.any_in(seg.uid)
        return self._live is None or seg.uid in self._live

    def __call__(self, seg: _Segment) -> bytes:
        found = self._memo.get(seg.uid)
        if found is None:
            if self.kept is not None:
                found = self.kept.segment(seg.uid)
            elif self._flags is not None and self.any_in(seg):
                found = self._flags(seg.labels)
            else:
                found = bytes(len(seg.labels))
            self._memo[seg.uid] = found
        return found


Selectable = Callable[[str], bool] | AbstractSet[str] | SeatFlags


def _flags_of_labels(
    selectable: Callable[[str], bool] | AbstractSet[str],
) -> Callable[[tuple[str, ...]], bytes]:
    """labels -> one byte per label, 1 when selectable. A built-in set's lookups run in C."""
    if isinstance(selectable, (set, frozenset)):
        contains = selectable.__contains__
        return lambda labels: bytes(map(contains, labels))
    if isinstance(selectable, AbstractSet):
        members = selectable
        return lambda labels: bytes([label in members for label in labels])
    test = selectable
    return lambda labels: bytes([1 if test(label) else 0 for label in labels])


def best_available(
    index: SeatIndex,
    selectable: Selectable,
    request: BestAvailableRequest,
) -> BestAvailableChoice:
    """Pick the best `request.number` seats among the `selectable` labels. See the module docstring."""
    number = request.number
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise InvalidInput(f"number must be between 1 and {MAX_SEATS}, got {number!r}")
    if number > MAX_SEATS:  # seats.io answers a number too large to seat as "not found", not as bad input
        raise BestAvailableNotFound("Best available objects not found")
    wanted_accessible = request.accessible_seats
    if (
        isinstance(wanted_accessible, bool)
        or not isinstance(wanted_accessible, int)
        or not 0 <= wanted_accessible <= number
    ):
        raise InvalidInput(f"accessible_seats must be between 0 and {number}, got {wanted_accessible!r}")

    view = index.zone_views.get(request.zone, index.view) if request.zone else index.view
    flags = _Availability(index, selectable)
    filt = _Filter(request.categories, request.sections, request.zone, wanted_accessible == 0)

    window = _best_window(view.segments, flags, filt, number, wanted_accessible, request)
    if window is not None:
        return BestAvailableChoice(labels=window, next_to_each_other=True)
    return BestAvailableChoice(
        labels=_best_apart(view, flags, filt, number, wanted_accessible).labels(),
        next_to_each_other=False,
    )


def _best_window(
    segments: tuple[_Segment, ...],
    flags: _Availability,
    filt: _Filter,
    number: int,
    wanted_accessible: int,
    request: BestAvailableRequest,
) -> tuple[str, ...] | None:
    prevent_orphans = request.try_to_prevent_orphan_seats
    needle = b"\x01" * number
    best_orphans = 3  # orphan seats the best window leaves (0..2); 3 = nothing found yet
    best_sum = math.inf
    best: tuple[str, ...] | None = None

    shape = _WindowShape(number, wanted_accessible, prevent_orphans, request.zone, request.categories, request.sections)
    if flags.kept is not None:
        ranked = flags.kept.best_window(segments, filt, shape)
        if not isinstance(ranked, _Unranked):
            return ranked
    for seg in segments:
        if best_orphans == 0 and number * seg.min_dist >= best_sum:
            break  # segments are sorted by min_dist: no later one can do better
        if len(seg.labels) < number:
            continue
        if best_orphans == 0 and seg.smallest_prefix[number] >= best_sum:
            continue
        if wanted_accessible and seg.accessible_prefix[-1] < wanted_accessible:
            continue
        if not flags.any_in(seg):
            continue
        passes, mask = filt.check(seg)
        if not passes:
            continue
        sel = flags(seg)
        elig = sel if mask is None else bytes(map(and_, sel, mask))
        if needle not in elig:
            continue  # no run of `number` candidates here (found in C, the common case: no call)
        found = _segment_window(seg, sel, elig, shape)
        if found is None:
            continue
        orphans, total, start = found
        # Fewer stranded seats first, then the smaller distance; the first found wins a tie.
        if orphans < best_orphans or (orphans == best_orphans and total < best_sum):
            best_orphans, best_sum, best = orphans, total, seg.labels[start : start + number]
    return best


@dataclass(frozen=True, slots=True)
class _WindowShape:
    """What a segment's best window depends on besides its flags: the request (a zone has its own dists)."""

    number: int
    wanted_accessible: int
    prevent_orphans: bool
    zone: str | None
    categories: frozenset[str] | None
    sections: frozenset[str] | None


_Window = tuple[int, float, int]  # (orphan seats left, sum of distances, offset of the first seat)


def _segment_window(seg: _Segment, sel: bytes, elig: bytes, shape: _WindowShape) -> _Window | None:
    """The segment's best window of `shape.number` adjacent eligible seats: fewest orphans, then the
    smallest sum of distances, then the leftmost. `sel`: selectable seats (orphans are judged on these);
    `elig`: those that also pass the request's filters.

    Only a window at a run's edge (its first two or last two starts) can strand a seat: inside, both of
    its neighbours and theirs are candidates, so selectable. So the edges are judged one by one and the
    inside by its sums alone, in C (`map`, `min`): this runs for every changed segment on every pick."""
    number = shape.number
    needle = b"\x01" * number
    if needle not in elig:
        return None  # no run of `number` candidates here (found in C, the common case)
    if shape.wanted_accessible:
        return _segment_window_by_window(seg, sel, elig, shape)
    prefix = seg.window_prefix
    prevent_orphans = shape.prevent_orphans
    best: _Window | None = None
    for i, j in _runs(elig, needle):
        last = j - number  # elig[i:j] is a run of candidates; windows start at i..last
        if prevent_orphans:
            inner_from, inner_to = i + 2, last - 1  # starts that can strand nobody: i+2 .. last-2
            edges: Sequence[int] = (i, i + 1, last - 1, last) if last - i >= 3 else range(i, last + 1)
        else:
            inner_from, inner_to, edges = i, last + 1, ()
        for start in edges:
            end = start + number
            window = (_stranded(sel, start, end), round(prefix[end] - prefix[start], 9), start)
            if best is None or window < best:
                best = window
        if inner_from < inner_to:
            totals = list(map(sub, prefix[inner_from + number : inner_to + number], prefix[inner_from:inner_to]))
            # Rounded, so that windows as good as each other tie exactly (and the first wins, as a scan that
            # stops at `number * min_dist` decides): a difference of prefix sums is off by a few ulps. Rounding
            # keeps the order, so the best rounded sum is the smallest sum's; the first window that rounds to
            # it lies within a rounding step of the smallest.
            smallest = min(totals)
            rounded = round(smallest, 9)
            near = list(map((smallest + 2e-9).__ge__, totals))
            offset = near.index(True)
            while round(totals[offset], 9) != rounded:
                offset = near.index(True, offset + 1)
            window = (0, rounded, inner_from + offset)
            if best is None or window < best:
                best = window
    return best


def _runs(elig: bytes, needle: bytes) -> Iterator[tuple[int, int]]:
    """(first, end) of each run of candidates at least as long as `needle`, left to right (found in C)."""
    size = len(elig)
    i = elig.find(needle)
    while i >= 0:
        j = elig.find(0, i)
        if j < 0:
            j = size
        yield i, j
        i = elig.find(needle, j)


def _stranded(sel: bytes, start: int, end: int) -> int:
    """Selectable seats a window sel[start:end] would leave alone beside it, with no selectable neighbour."""
    size = len(sel)
    left = start >= 1 and sel[start - 1] and not (start >= 2 and sel[start - 2])
    right = end < size and sel[end] and not (end + 1 < size and sel[end + 1])
    return bool(left) + bool(right)


def _segment_window_by_window(seg: _Segment, sel: bytes, elig: bytes, shape: _WindowShape) -> _Window | None:
    """`_segment_window` for requests that want accessible seats: each window must hold exactly that many,
    so every window is judged on its own."""
    number, wanted_accessible = shape.number, shape.wanted_accessible
    needle = b"\x01" * number
    prefix = seg.window_prefix
    acc_prefix = seg.accessible_prefix
    prevent_orphans = shape.prevent_orphans
    best: _Window | None = None
    for i, j in _runs(elig, needle):
        for start in range(i, j - number + 1):
            end = start + number  # exclusive
            if acc_prefix[end] - acc_prefix[start] != wanted_accessible:
                continue
            orphans = _stranded(sel, start, end) if prevent_orphans else 0
            total = round(prefix[end] - prefix[start], 9)
            if best is None or orphans < best[0] or (orphans == best[0] and total < best[1]):
                best = (orphans, total, start)
    return best


@dataclass(slots=True)
class _RowCandidates:
    """One row's candidates for seats apart, as byte masks over its segments."""

    row_id: int
    closest: float  # distance of the closest useful candidate
    regular_count: int
    accessible_count: int
    parts: list[tuple[_Segment, bytes, bytes]]  # (segment, regular mask, accessible mask)

    def closest_seats(self, want_regular: int, want_accessible: int) -> list[tuple[float, int, str]]:
        """The closest regular and accessible seats as (distance, position, label)."""
        chosen: list[tuple[float, int, str]] = []
        for want, pick_accessible in ((want_regular, False), (want_accessible, True)):
            if want:
                seats: list[tuple[float, int, str]] = []
                for seg, regular, accessible in self.parts:
                    positions = range(seg.start_index, seg.start_index + len(seg.labels))
                    candidates = zip(seg.dists, positions, seg.labels, strict=True)
                    seats += compress(candidates, accessible if pick_accessible else regular)
                chosen += heapq.nsmallest(want, seats)
        return chosen


@dataclass(slots=True)
class _Picked:
    seats: list[tuple[int, int, str]]  # (row_id, position, label)

    def labels(self) -> tuple[str, ...]:
        return tuple(label for _, _, label in sorted(self.seats))


def _best_apart(
    view: _View,
    flags: _Availability,
    filt: _Filter,
    number: int,
    wanted_accessible: int,
) -> _Picked:
    """N seats, not necessarily adjacent: one row if any can supply them, else closest rows first.

    Rows are visited closest first (by their closest seat, a lower bound for any candidate in
    them) and the search stops as soon as no unvisited row could change the answer.
    """
    wanted_regular = number - wanted_accessible
    if wanted_accessible:  # cheap when accessible seats are few, as they usually are
        available_accessible = 0
        for seg in view.with_accessible:
            if flags.any_in(seg):
                passes, mask = filt.check(seg)
                if passes:
                    elig = flags(seg) if mask is None else bytes(map(and_, flags(seg), mask))
                    available_accessible += bytes(map(and_, elig, seg.accessible)).count(1)
        if available_accessible < wanted_accessible:
            raise BestAvailableNotFound(f"Not enough available accessible seats for {number} seat(s)")

    def examine(row: tuple[_Segment, ...]) -> _RowCandidates | None:
        parts: list[tuple[_Segment, bytes, bytes]] = []
        closest = math.inf
        regular_count = accessible_count = 0
        for seg in row:
            if not flags.any_in(seg):
                continue
            passes, mask = filt.check(seg)
            if not passes:
                continue
            elig = flags(seg)
            if mask is not None:
                elig = bytes(map(and_, elig, mask))
            if wanted_accessible and seg.accessible_prefix[-1]:
                accessible = bytes(map(and_, elig, seg.accessible))
                regular = bytes(map(sub, elig, accessible))
            else:  # no accessible seats here, or the filter already excluded them
                accessible, regular = bytes(len(elig)), elig
            useful = elig if wanted_regular else accessible
            if 1 not in useful:
                continue
            closest = min(closest, min(compress(seg.dists, useful)))
            regular_count += regular.count(1)
            accessible_count += accessible.count(1)
            parts.append((seg, regular, accessible))
        if not parts:
            return None
        return _RowCandidates(row[0].row_id, closest, regular_count, accessible_count, parts)

    examined: list[_RowCandidates | None] = []

    # 1. One row that can supply everything: the closest such set of seats.
    if view.longest_row >= number:
        best: _Picked | None = None
        best_sum = math.inf
        for row_min, row in view.rows:
            if number * row_min >= best_sum:
                break  # every seat of this and later rows is at least row_min away
            cands = examine(row)
            examined.append(cands)
            if cands is None or cands.regular_count < wanted_regular:
                continue
            if cands.accessible_count < wanted_accessible:
                continue
            seats = cands.closest_seats(wanted_regular, wanted_accessible)
            total = sum(d for d, _, _ in seats)
            if total < best_sum:
                best_sum = total
                best = _Picked([(cands.row_id, pos, label) for _, pos, label in seats])
        if best is not None:
            return best

    # 2. Row by row, in order of their closest candidate; take what is still needed from each.
    # A row's closest candidate is no closer than its closest seat, so a row popped from the heap
    # with a candidate closer than the next unvisited row's closest seat is safely next in order.
    picked = _Picked([])
    need_regular, need_accessible = wanted_regular, wanted_accessible
    heap: list[tuple[float, int, _RowCandidates]] = []
    rows = view.rows
    for position in range(len(rows) + 1):
        if position < len(rows):
            cands = examined[position] if position < len(examined) else examine(rows[position][1])
            if cands is not None:
                heapq.heappush(heap, (cands.closest, cands.row_id, cands))
            next_min = rows[position + 1][0] if position + 1 < len(rows) else math.inf
        else:
            next_min = math.inf
        while heap and heap[0][0] < next_min:
            _, _, cands = heapq.heappop(heap)
            take_regular = min(need_regular, cands.regular_count)
            take_accessible = min(need_accessible, cands.accessible_count)
            if not take_regular and not take_accessible:
                continue
            picked.seats += [
                (cands.row_id, pos, label) for _, pos, label in cands.closest_seats(take_regular, take_accessible)
            ]
            need_regular -= take_regular
            need_accessible -= take_accessible
            if not need_regular and not need_accessible:
                return picked
    raise BestAvailableNotFound(f"Not enough available seats for {number} best available seat(s)")
