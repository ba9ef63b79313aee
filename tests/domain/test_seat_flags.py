"""SeatFlags: availability kept per row segment by a caller, and best available reading it.

Whatever the history of `set` calls, flags holding a set of labels must make best available choose exactly
what it chooses given that set itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boxoffice.domain.best_available import (
    BestAvailableChoice,
    BestAvailableRequest,
    SeatFlags,
    SeatIndex,
    Selectable,
    best_available,
)
from boxoffice.domain.errors import BestAvailableNotFound
from boxoffice.domain.layout import ChartObject, Layout, ObjectType, Point, Zone
from tests.domain.test_best_available import labels, make_layout, make_row

# --- helpers -----------------------------------------------------------------------------------------------


def non_row_objects() -> list[ChartObject]:
    """Objects that are not seats in a row: best available never picks them, SeatFlags ignores them."""
    table = ChartObject("T1", ObjectType.TABLE, "T1", x=4.5, y=-4)
    at_table = [
        ChartObject(f"T1-{n}", ObjectType.SEAT, str(n), parent_label="T1", parent_type="table", table_label="T1")
        for n in (1, 2)
    ]
    ga = ChartObject("GA", ObjectType.GENERAL_ADMISSION, "GA", x=4.5, y=-4.5, capacity=100)
    booth = ChartObject("B1", ObjectType.BOOTH, "B1", x=4.5, y=-4.5)
    loose = ChartObject("L1", ObjectType.SEAT, "L1", x=4.5, y=-5)  # a seat without a row
    return [table, *at_table, ga, booth, loose]


def flags_of(index: SeatIndex, selectable: set[str]) -> SeatFlags:
    flags = SeatFlags(index)
    for label in selectable:
        flags.set(label, True)
    return flags


def segment_bytes(index: SeatIndex, flags: SeatFlags) -> dict[tuple[str, ...], bytes]:
    return {seg.labels: flags.segment(seg.uid) for seg in index.view.segments}


def outcome(index: SeatIndex, selectable: Selectable, request: BestAvailableRequest) -> BestAvailableChoice | str:
    try:
        return best_available(index, selectable, request)
    except BestAvailableNotFound as exc:
        return f"not found: {exc}"


def two_rows_with_a_gap() -> tuple[Layout, SeatIndex]:
    """Row A: seats 1-3, (4 missing), 5-6 -> two segments; row B: 1-4 -> one segment."""
    row_a = [s for s in make_row("A", 6, y=0) if s.index_in_row != 3]
    layout = make_layout(row_a, make_row("B", 4, y=1), extra=non_row_objects())
    return layout, SeatIndex.build(layout)


# --- unit tests --------------------------------------------------------------------------------------------


def test_new_flags_have_nothing_selectable() -> None:
    _, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    assert len(index.view.segments) == 3
    for seg in index.view.segments:
        assert not flags.any_in(seg.uid)
        assert flags.segment(seg.uid) == bytes(len(seg.labels))
    with pytest.raises(BestAvailableNotFound):
        best_available(index, flags, BestAvailableRequest(1))


def test_position_of_names_each_seat_segment_and_offset() -> None:
    layout, index = two_rows_with_a_gap()
    seats_in_rows = {label for label in layout.objects if layout.objects[label].row_key is not None}
    assert set(index.position_of) == seats_in_rows == set(index.segment_of)
    for seg in index.view.segments:
        for offset, label in enumerate(seg.labels):
            assert index.position_of[label] == (seg.uid, offset)
            assert index.segment_of[label] == seg.uid


def test_set_marks_one_byte_of_its_segment_only() -> None:
    _, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    flags.set("A-2", True)
    flags.set("A-6", True)
    assert segment_bytes(index, flags) == {
        ("A-1", "A-2", "A-3"): b"\x00\x01\x00",
        ("A-5", "A-6"): b"\x00\x01",
        ("B-1", "B-2", "B-3", "B-4"): b"\x00\x00\x00\x00",
    }
    by_labels = {seg.labels: flags.any_in(seg.uid) for seg in index.view.segments}
    assert by_labels == {("A-1", "A-2", "A-3"): True, ("A-5", "A-6"): True, ("B-1", "B-2", "B-3", "B-4"): False}
    flags.set("A-2", False)
    assert segment_bytes(index, flags)[("A-1", "A-2", "A-3")] == bytes(3)
    assert not flags.any_in(index.segment_of["A-1"])
    assert flags.any_in(index.segment_of["A-5"])


def test_segment_is_a_snapshot() -> None:
    _, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    uid = index.segment_of["B-1"]
    before = flags.segment(uid)
    flags.set("B-1", True)
    assert isinstance(before, bytes) and before == bytes(4)
    assert flags.segment(uid) == b"\x01\x00\x00\x00"


def test_setting_twice_counts_once() -> None:
    _, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    uid = index.segment_of["B-3"]
    flags.set("B-3", True)
    flags.set("B-3", True)
    flags.set("B-3", False)  # one release undoes any number of identical sets
    assert not flags.any_in(uid)
    assert flags.segment(uid) == bytes(4)


def test_clearing_a_clear_seat_does_not_go_below_zero() -> None:
    _, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    uid = index.segment_of["B-3"]
    flags.set("B-3", False)
    flags.set("B-3", False)
    flags.set("B-3", True)
    assert flags.any_in(uid)
    flags.set("B-4", True)
    flags.set("B-3", False)
    assert flags.any_in(uid)  # B-4 still there
    flags.set("B-4", False)
    assert not flags.any_in(uid)


def test_labels_that_are_not_row_seats_are_ignored() -> None:
    layout, index = two_rows_with_a_gap()
    flags = SeatFlags(index)
    for label in ("T1", "T1-1", "T1-2", "GA", "B1", "L1", "no such seat"):
        assert label in layout.objects or label == "no such seat"
        flags.set(label, True)
    for seg in index.view.segments:
        assert not flags.any_in(seg.uid)
        assert flags.segment(seg.uid) == bytes(len(seg.labels))
    with pytest.raises(BestAvailableNotFound):
        best_available(index, flags, BestAvailableRequest(1))
    flags.set("L1", False)  # nor does clearing them touch anything
    flags.set("B-2", True)
    assert best_available(index, flags, BestAvailableRequest(1)) == BestAvailableChoice(("B-2",), True)


def test_flags_and_a_set_pick_the_same_seats() -> None:
    _, index = two_rows_with_a_gap()
    free = labels("A", 1, 3, 5, 6) | labels("B", 1, 2, 3, 4) | {"T1-1", "L1"}
    flags = flags_of(index, free)
    for number in (1, 2, 3, 4, 5):
        for prevent in (True, False):
            request = BestAvailableRequest(number, try_to_prevent_orphan_seats=prevent)
            assert outcome(index, flags, request) == outcome(index, free, request)
    assert best_available(index, flags, BestAvailableRequest(2)) == BestAvailableChoice(("A-5", "A-6"), True)
    assert best_available(index, flags, BestAvailableRequest(4)) == BestAvailableChoice(
        ("B-1", "B-2", "B-3", "B-4"), True
    )
    with pytest.raises(BestAvailableNotFound):
        best_available(index, flags, BestAvailableRequest(9))


def test_flags_follow_changes_between_requests() -> None:
    _, index = two_rows_with_a_gap()
    flags = flags_of(index, labels("A", 1, 2, 3, 5, 6) | labels("B", 1, 2, 3, 4))
    assert best_available(index, flags, BestAvailableRequest(3)).labels == ("A-1", "A-2", "A-3")
    flags.set("A-2", False)
    assert best_available(index, flags, BestAvailableRequest(3)).labels == ("B-2", "B-3", "B-4")
    for label in labels("B", 1, 2, 3, 4):
        flags.set(label, False)
    assert best_available(index, flags, BestAvailableRequest(3)) == BestAvailableChoice(("A-3", "A-5", "A-6"), False)
    flags.set("A-2", True)
    assert best_available(index, flags, BestAvailableRequest(3)).labels == ("A-1", "A-2", "A-3")


def test_flags_work_with_a_zone_view() -> None:
    zones = (Zone("floor", "Floor", focal_point=Point(4.5, 20)),)
    layout = make_layout(
        make_row("A", 10, y=0, zone="floor"),
        make_row("B", 10, y=10, zone="floor"),
        make_row("C", 10, y=-2),
        zones=zones,
    )
    index = SeatIndex.build(layout)
    everything = set(layout.objects)
    flags = flags_of(index, everything)
    assert best_available(index, flags, BestAvailableRequest(2, zone="floor")).labels == ("B-5", "B-6")
    flags.set("B-5", False)
    free = everything - {"B-5"}
    request = BestAvailableRequest(2, zone="floor")
    assert best_available(index, flags, request) == best_available(index, free, request)


def test_accessible_requests_read_flags_too() -> None:
    layout = make_layout(make_row("A", 10, y=0, accessible=(5, 6)), make_row("B", 10, y=1, accessible=(1,)))
    index = SeatIndex.build(layout)
    free = set(layout.objects) - {"A-6"}
    flags = flags_of(index, free)
    for number, accessible in ((1, 1), (2, 1), (2, 2), (3, 2), (4, 3)):
        request = BestAvailableRequest(number, accessible_seats=accessible)
        assert outcome(index, flags, request) == outcome(index, free, request)
    with pytest.raises(BestAvailableNotFound):
        best_available(index, flags, BestAvailableRequest(3, accessible_seats=3))


# --- property: flags answer exactly as the set of labels they hold -----------------------------------------


@dataclass(frozen=True)
class Case:
    layout: Layout
    history: tuple[tuple[str, bool], ...]  # set() calls made before the final state
    selectable: frozenset[str]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    zone_focal = draw(st.one_of(st.none(), st.builds(Point, st.integers(-5, 15), st.integers(-10, 20))))
    rows: list[list[ChartObject]] = []
    for r in range(draw(st.integers(1, 6))):
        length = draw(st.integers(1, 12))
        row = make_row(
            f"R{r}",
            length,
            y=float(draw(st.integers(-3, 12))),
            x0=float(draw(st.integers(-4, 4))),
            accessible=draw(st.sets(st.integers(1, length), max_size=2)),
            categories=draw(st.dictionaries(st.integers(1, length), st.just("2"), max_size=3)),
            zone="z" if zone_focal is not None and draw(st.booleans()) else None,
        )
        missing = draw(st.sets(st.integers(1, length), max_size=length // 3))  # gaps split a row in segments
        rows.append([seat for seat in row if seat.index_in_row + 1 not in missing])
    focal = draw(st.one_of(st.none(), st.builds(Point, st.integers(-5, 15), st.integers(-10, 5))))
    zones = (Zone("z", "Zone", focal_point=zone_focal),) if zone_focal is not None else ()
    extras = non_row_objects() if draw(st.booleans()) else []
    layout = make_layout(*rows, focal=focal, zones=zones, extra=extras)
    names = [*sorted(layout.objects), "no such seat"]
    label = st.sampled_from(names)
    share = draw(st.sampled_from([0.0, 0.03, 0.3, 0.6, 0.9, 1.0]))
    selectable = frozenset(
        draw(st.sets(label, max_size=len(names)))
        if share == 0.3
        else {name for name in names if draw(st.floats(0, 1, exclude_max=True)) < share}
    )
    history = tuple(draw(st.lists(st.tuples(label, st.booleans()), max_size=30)))
    return Case(layout, history, selectable)


REQUESTS = [
    BestAvailableRequest(number, try_to_prevent_orphan_seats=prevent)
    for number in range(1, 7)
    for prevent in (True, False)
]


@settings(max_examples=300, deadline=None)
@given(case=cases())
def test_flags_choose_exactly_as_the_set_of_labels(case: Case) -> None:
    index = SeatIndex.build(case.layout)
    flags = SeatFlags(index)
    for name, value in case.history:
        flags.set(name, value)
    for name in [*case.layout.objects, "no such seat"]:  # the final state, whatever came before
        flags.set(name, name in case.selectable)

    for seg in index.view.segments:
        expected = bytes(label in case.selectable for label in seg.labels)
        assert flags.segment(seg.uid) == expected
        assert flags.any_in(seg.uid) is (1 in expected)

    free = set(case.selectable)
    requests = list(REQUESTS)
    if case.layout.zones:
        requests += [
            BestAvailableRequest(n, zone="z", try_to_prevent_orphan_seats=p) for n in (1, 3) for p in (True, False)
        ]
    requests += [BestAvailableRequest(n, accessible_seats=1) for n in (1, 2, 4)]
    for request in requests:
        by_flags = outcome(index, flags, request)
        assert by_flags == outcome(index, free, request), request
        if isinstance(by_flags, BestAvailableChoice):
            assert set(by_flags.labels) <= free
            assert len(by_flags.labels) == request.number


def test_a_remembered_window_is_dropped_when_its_row_changes() -> None:
    _, index = two_rows_with_a_gap()
    flags = flags_of(index, labels("B", 1, 2, 3, 4))
    request = BestAvailableRequest(2)
    assert best_available(index, flags, request).labels == ("B-3", "B-4")
    flags.set("B-3", False)
    assert best_available(index, flags, request).labels == ("B-1", "B-2")
    flags.set("B-3", True)
    flags.set("B-4", False)
    assert best_available(index, flags, request).labels == ("B-2", "B-3")


@settings(max_examples=200, deadline=None)
@given(
    case=cases(), rounds=st.lists(st.lists(st.tuples(st.integers(0, 10_000), st.booleans()), max_size=8), max_size=6)
)
def test_flags_keep_choosing_as_the_set_while_seats_change(case: Case, rounds: list[list[tuple[int, bool]]]) -> None:
    """Requests between rounds of changes: what a segment's flags remember is never out of date."""
    index = SeatIndex.build(case.layout)
    free = set(case.selectable)
    flags = flags_of(index, free)
    names = sorted(case.layout.objects)
    requests = [
        *REQUESTS,
        BestAvailableRequest(2, accessible_seats=1),
        BestAvailableRequest(2, categories=frozenset({"2"})),
        BestAvailableRequest(1, categories=frozenset({"1"}), try_to_prevent_orphan_seats=False),
    ]
    if case.layout.zones:
        requests += [BestAvailableRequest(n, zone="z") for n in (1, 3)]
    for changes in [[], *rounds]:
        for pick, selectable in changes:
            name = names[pick % len(names)]
            flags.set(name, selectable)
            (free.add if selectable else free.discard)(name)
        for request in requests:
            assert outcome(index, flags, request) == outcome(index, free, request), request


def test_windows_as_good_as_each_other_tie_whatever_the_float_noise() -> None:
    """B-2's distance comes out of a difference of prefix sums a few ulps under A-1's; both are 1.0 away, so
    the first row wins, with the kept ranking as with a scan (hypothesis found them disagreeing)."""
    layout = make_layout(make_row("A", 2, y=0), make_row("B", 2, y=2, x0=-1), focal=Point(0, 1))
    index = SeatIndex.build(layout)
    request = BestAvailableRequest(1, try_to_prevent_orphan_seats=False)
    free = {"A-1", "A-2", "B-1", "B-2"}
    assert outcome(index, flags_of(index, free), request) == outcome(index, free, request)
    assert best_available(index, flags_of(index, free), request).labels == ("A-1",)
