from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterable, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boxoffice.domain.best_available import (
    BestAvailableChoice,
    BestAvailableRequest,
    SeatIndex,
    _Segment,
    _segment_window,
    _WindowShape,
    best_available,
)
from boxoffice.domain.errors import BestAvailableNotFound, InvalidInput
from boxoffice.domain.layout import Category, ChartObject, Layout, ObjectType, Point, Zone

# --- factories --------------------------------------------------------------------------------


def make_row(
    name: str,
    seats: int,
    *,
    y: float,
    x0: float = 0.0,
    dx: float = 1.0,
    section: str | None = None,
    category: str = "1",
    categories: dict[int, str] | None = None,
    zone: str | None = None,
    accessible: Iterable[int] = (),
) -> list[ChartObject]:
    """A row of seats numbered 1..n left to right; `accessible`/`categories` use seat numbers."""
    prefix = f"{section}-{name}" if section else name
    accessible_numbers = set(accessible)
    return [
        ChartObject(
            label=f"{prefix}-{number}",
            object_type=ObjectType.SEAT,
            own_label=str(number),
            parent_label=name,
            parent_type="row",
            section=section,
            category_key=(categories or {}).get(number, category),
            x=x0 + (number - 1) * dx,
            y=y,
            zone=zone,
            accessible=number in accessible_numbers,
            row_key=prefix,
            index_in_row=number - 1,
        )
        for number in range(1, seats + 1)
    ]


def make_layout(
    *rows: Sequence[ChartObject],
    focal: Point | None = Point(4.5, -5.0),
    zones: tuple[Zone, ...] = (),
    extra: Sequence[ChartObject] = (),
) -> Layout:
    objects = {obj.label: obj for row in rows for obj in row}
    objects.update({obj.label: obj for obj in extra})
    return Layout(
        name="test",
        venue_type="ROWS_WITH_SECTIONS",
        categories=(Category("1", "One"), Category("2", "Two")),
        zones=zones,
        focal_point=focal,
        objects=objects,
        sections=tuple(sorted({o.section for o in objects.values() if o.section})),
    )


def labels(row: str, *numbers: int) -> set[str]:
    return {f"{row}-{n}" for n in numbers}


def pick(layout: Layout, selectable: set[str] | None = None, number: int = 2, **options: object) -> BestAvailableChoice:
    if selectable is None:
        selectable = set(layout.objects)
    request = BestAvailableRequest(number, **options)  # type: ignore[arg-type]
    return best_available(SeatIndex.build(layout), selectable, request)


# --- adjacent blocks ---------------------------------------------------------------------------


def test_picks_the_adjacent_block_closest_to_the_focal_point() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1))
    assert pick(layout) == BestAvailableChoice(("A-5", "A-6"), next_to_each_other=True)
    assert pick(layout, number=3).labels in {("A-4", "A-5", "A-6"), ("A-5", "A-6", "A-7")}
    assert pick(layout, number=10).labels == tuple(f"A-{n}" for n in range(1, 11))


def test_moves_back_a_row_when_the_front_row_has_no_room() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1))
    free = labels("A", 1, 3, 5, 7, 9) | labels("B", *range(1, 11))
    assert pick(layout, free, number=2).labels == ("B-5", "B-6")


def test_seats_must_be_adjacent_in_the_same_row() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1), make_row("C", 10, y=2))
    # A-5 and B-5 are closest but in different rows; C-9/C-10 is the only adjacent pair.
    free = labels("A", 5) | labels("B", 5) | labels("C", 9, 10)
    assert pick(layout, free) == BestAvailableChoice(("C-9", "C-10"), next_to_each_other=True)


def test_a_gap_in_index_in_row_breaks_adjacency() -> None:
    row = [s for s in make_row("A", 6, y=0) if s.index_in_row != 2]  # seat A-3 is not in the chart
    layout = make_layout(row, make_row("B", 6, y=5))
    assert pick(layout, labels("A", 1, 2, 4, 5, 6) | labels("B", 1, 2, 3, 4, 5, 6), number=3).labels == (
        "A-4",
        "A-5",
        "A-6",
    )
    assert pick(layout, labels("A", 2, 4) | labels("B", 1, 6), number=2).next_to_each_other is False


def test_only_seats_in_rows_are_candidates() -> None:
    table = ChartObject("T1", ObjectType.TABLE, "T1", x=4.5, y=-4)
    at_table = [
        ChartObject(
            f"T1-{n}",
            ObjectType.SEAT,
            str(n),
            parent_label="T1",
            parent_type="table",
            table_label="T1",
            x=4.5,
        )
        for n in (1, 2)
    ]
    ga = ChartObject("GA", ObjectType.GENERAL_ADMISSION, "GA", x=4.5, y=-4.5, capacity=100)
    booth = ChartObject("B1", ObjectType.BOOTH, "B1", x=4.5, y=-4.5)
    loose = ChartObject("L1", ObjectType.SEAT, "L1", x=4.5, y=-5)  # a seat without a row
    layout = make_layout(make_row("A", 4, y=0), extra=[table, *at_table, ga, booth, loose])
    assert pick(layout, number=4).labels == ("A-1", "A-2", "A-3", "A-4")
    with pytest.raises(BestAvailableNotFound):
        pick(layout, number=5)


def test_selectable_may_be_a_callable() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1))
    free = labels("A", 1, 2) | labels("B", 3, 4, 5, 6)
    index = SeatIndex.build(layout)
    by_set = best_available(index, free, BestAvailableRequest(2))
    by_callable = best_available(index, free.__contains__, BestAvailableRequest(2))
    by_keys = best_available(index, dict.fromkeys(free).keys(), BestAvailableRequest(2))
    assert by_set == by_callable == by_keys == BestAvailableChoice(("B-5", "B-6"), True)


def test_without_a_focal_point_the_first_drawn_row_and_its_centre_win() -> None:
    layout = make_layout(make_row("A", 9, y=5), make_row("B", 9, y=0), focal=None)
    assert pick(layout, number=3).labels == ("A-4", "A-5", "A-6")
    assert pick(layout, labels("A", 1, 2) | labels("B", *range(1, 10)), number=3).labels == (
        "B-4",
        "B-5",
        "B-6",
    )
    assert pick(layout, labels("A", 1, 2, 8, 9) | labels("B", *range(1, 10)), number=2).labels == (
        "A-1",
        "A-2",
    )


# --- orphan seats ------------------------------------------------------------------------------


def test_never_strands_a_single_seat_when_another_window_fits() -> None:
    # Six free seats A-3..A-8 between taken ones, want 4. A-4..A-7 is closest to the focal point
    # but strands; A-5..A-8 leaves two together and nothing on the right.
    layout = make_layout(make_row("A", 10, y=0), focal=Point(4.6, -5))
    free = labels("A", 3, 4, 5, 6, 7, 8)
    assert pick(layout, free, number=4).labels == ("A-5", "A-6", "A-7", "A-8")
    assert pick(layout, free, number=4, try_to_prevent_orphan_seats=False).labels == (
        "A-4",
        "A-5",
        "A-6",
        "A-7",
    )


def test_the_row_end_counts_as_a_boundary_for_orphans() -> None:
    layout = make_layout(make_row("A", 5, y=0), make_row("B", 5, y=10), focal=Point(2, -5))
    everything = set(layout.objects)
    # Four of five seats always strand one: take the far row where all four fit with no orphan.
    free_b = labels("A", *range(1, 6)) | labels("B", 1, 2, 3, 4)
    assert pick(layout, free_b, number=4).labels == ("B-1", "B-2", "B-3", "B-4")
    # ... but when nothing else fits, the orphaning window is still better than nothing.
    assert pick(layout, labels("A", *range(1, 6)), number=4).labels == ("A-1", "A-2", "A-3", "A-4")
    assert pick(layout, everything, number=5).labels == ("A-1", "A-2", "A-3", "A-4", "A-5")


def test_an_unselectable_neighbour_of_another_category_still_counts_as_free() -> None:
    # A-1 is free but category 2: taking A-2..A-3 in category 1 would strand it.
    layout = make_layout(make_row("A", 6, y=0, categories={1: "2"}), focal=Point(1, -5))
    free = labels("A", 1, 2, 3, 4, 5, 6)
    assert pick(layout, free, number=2, categories=frozenset({"1"})).labels == ("A-3", "A-4")


def test_prefers_one_orphan_over_two() -> None:
    layout = make_layout(make_row("A", 10, y=0), focal=Point(4.5, -5))
    free = labels("A", 3, 4, 5, 6, 7)  # five free, want three: the middle strands two, edges one
    assert pick(layout, free, number=3).labels in {("A-3", "A-4", "A-5"), ("A-5", "A-6", "A-7")}
    assert pick(layout, free, number=3, try_to_prevent_orphan_seats=False).labels == ("A-4", "A-5", "A-6")


# --- filters -----------------------------------------------------------------------------------


def test_filters_by_category() -> None:
    layout = make_layout(make_row("A", 10, y=0, category="1"), make_row("B", 10, y=1, category="2"))
    assert pick(layout, categories=frozenset({"2"})).labels == ("B-5", "B-6")
    assert pick(layout, categories=frozenset({"1", "2"})).labels == ("A-5", "A-6")
    with pytest.raises(BestAvailableNotFound):
        pick(layout, categories=frozenset({"3"}))


def test_category_filter_within_a_mixed_row() -> None:
    layout = make_layout(make_row("A", 10, y=0, categories={1: "2", 2: "2", 3: "2", 9: "2"}))
    assert pick(layout, number=3, categories=frozenset({"2"})).labels == ("A-1", "A-2", "A-3")
    assert pick(layout, number=4, categories=frozenset({"2"})).next_to_each_other is False


def test_filters_by_section() -> None:
    layout = make_layout(
        make_row("A", 10, y=0, section="Left", x0=-10),
        make_row("A", 10, y=0, section="Right", x0=10),
        focal=Point(0, -5),
    )
    assert pick(layout).labels == ("Left-A-9", "Left-A-10")
    assert pick(layout, sections=frozenset({"Right"})).labels == ("Right-A-1", "Right-A-2")


def test_filters_by_zone_and_uses_the_zone_focal_point() -> None:
    zones = (Zone("floor", "Floor", focal_point=Point(4.5, 20)), Zone("balcony", "Balcony"))
    layout = make_layout(
        make_row("A", 10, y=0, zone="floor"),
        make_row("B", 10, y=10, zone="floor"),
        make_row("C", 10, y=-2, zone="balcony"),
        zones=zones,
        focal=Point(4.5, -5),
    )
    assert pick(layout).labels == ("C-5", "C-6")  # the layout's focal point
    assert pick(layout, zone="floor").labels == ("B-5", "B-6")  # the zone's focal point is behind B
    assert pick(layout, zone="balcony").labels == ("C-5", "C-6")  # no zone focal point: layout's
    with pytest.raises(BestAvailableNotFound):
        pick(layout, zone="nowhere")


# --- accessible seats --------------------------------------------------------------------------


def test_accessible_seats_only_when_requested() -> None:
    layout = make_layout(make_row("A", 10, y=0, accessible=(5, 6)), make_row("B", 10, y=1))
    plain = pick(layout)
    assert plain.labels in {("A-3", "A-4"), ("A-7", "A-8"), ("B-5", "B-6")}
    assert not {"A-5", "A-6"} & set(plain.labels)
    assert pick(layout, accessible_seats=2).labels == ("A-5", "A-6")
    one = pick(layout, accessible_seats=1)
    assert one.next_to_each_other
    assert len({"A-5", "A-6"} & set(one.labels)) == 1
    assert pick(layout, number=3, accessible_seats=2).labels in {("A-4", "A-5", "A-6"), ("A-5", "A-6", "A-7")}


def test_accessible_seats_apart_when_they_cannot_be_adjacent() -> None:
    layout = make_layout(make_row("A", 10, y=0, accessible=(1, 10)), make_row("B", 10, y=1))
    # No three adjacent seats hold both accessible ones: both, plus the closest regular seat.
    assert pick(layout, number=3, accessible_seats=2) == BestAvailableChoice(("A-1", "A-5", "A-10"), False)
    with pytest.raises(BestAvailableNotFound):
        pick(layout, number=3, accessible_seats=3)


def test_accessible_and_regular_seats_from_different_rows() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1, accessible=(1,)))
    free = labels("A", 5, 7) | labels("B", 1)
    assert pick(layout, free, number=2, accessible_seats=1) == BestAvailableChoice(("A-5", "B-1"), False)
    assert pick(layout, free, number=1, accessible_seats=1) == BestAvailableChoice(("B-1",), True)
    assert pick(layout, free, number=2) == BestAvailableChoice(("A-5", "A-7"), False)
    with pytest.raises(BestAvailableNotFound):
        pick(layout, free, number=3, accessible_seats=0)


def test_companion_seats_are_ordinary_seats() -> None:
    row = [
        ChartObject(
            s.label,
            s.object_type,
            s.own_label,
            category_key=s.category_key,
            x=s.x,
            y=s.y,
            companion_seat=s.index_in_row in (4, 5),
            row_key=s.row_key,
            index_in_row=s.index_in_row,
        )
        for s in make_row("A", 10, y=0)
    ]
    assert pick(make_layout(row)).labels == ("A-5", "A-6")


# --- fallback, errors, determinism -------------------------------------------------------------


def test_falls_back_to_seats_apart() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1))
    free = labels("A", 1, 3, 5, 7, 9) | labels("B", 2, 4, 6, 8, 10)
    assert pick(layout, free, number=2) == BestAvailableChoice(("A-5", "A-7"), next_to_each_other=False)


def test_fallback_prefers_fewer_rows_then_closest_rows() -> None:
    layout = make_layout(make_row("A", 10, y=0), make_row("B", 10, y=1), make_row("C", 10, y=2))
    # Three apart seats exist in C only; A and B have two each.
    free = labels("A", 4, 6) | labels("B", 4, 6) | labels("C", 1, 3, 5)
    assert pick(layout, free, number=3) == BestAvailableChoice(("C-1", "C-3", "C-5"), False)
    # No row has four: fill the closest row first, then the next.
    assert pick(layout, free, number=4) == BestAvailableChoice(("A-4", "A-6", "B-4", "B-6"), False)


def test_not_found_when_too_few_seats() -> None:
    layout = make_layout(make_row("A", 10, y=0))
    with pytest.raises(BestAvailableNotFound):
        pick(layout, labels("A", 1, 5), number=3)
    with pytest.raises(BestAvailableNotFound):
        pick(layout, set(), number=1)
    with pytest.raises(BestAvailableNotFound):
        pick(make_layout(), set(), number=1)


@pytest.mark.parametrize(("number", "accessible"), [(0, 0), (-1, 0), (2, 3), (2, -1), (True, 0), (2, True)])
def test_invalid_requests(number: int, accessible: int) -> None:
    layout = make_layout(make_row("A", 200, y=0))
    with pytest.raises(InvalidInput):
        pick(layout, number=number, accessible_seats=accessible)


def test_more_than_a_hundred_seats_are_not_found() -> None:
    """seats.io answers a number no venue could seat together as "not found", not as invalid input."""
    with pytest.raises(BestAvailableNotFound, match="Best available objects not found"):
        pick(make_layout(make_row("A", 200, y=0)), number=101)


def test_hundred_seats_is_allowed() -> None:
    layout = make_layout(make_row("A", 100, y=0))
    assert len(pick(layout, number=100).labels) == 100


def test_deterministic() -> None:
    layout = make_layout(make_row("A", 10, y=0), focal=Point(4.5, -5))
    free = labels("A", 3, 4, 5, 6, 7)
    first = pick(layout, free, number=3)
    assert all(pick(layout, free, number=3) == first for _ in range(5))


# --- against a brute force ---------------------------------------------------------------------


def _rows(layout: Layout) -> dict[str, list[ChartObject]]:
    rows: dict[str, list[ChartObject]] = {}
    for obj in layout.objects.values():
        assert obj.row_key is not None
        rows.setdefault(obj.row_key, []).append(obj)
    for seats in rows.values():
        seats.sort(key=lambda s: s.index_in_row)
    return rows


def _window_score(layout: Layout, free: set[str], window: Sequence[str], prevent_orphans: bool) -> tuple[int, float]:
    """(orphan seats left, sum of distances) of an adjacent window, computed the slow way."""
    focal = layout.focal_point
    assert focal is not None
    seats = [layout.objects[label] for label in window]
    row = _rows(layout)[str(seats[0].row_key)]
    sel = [s.label in free for s in row]
    start, end = seats[0].index_in_row, seats[-1].index_in_row + 1
    orphans = 0
    if prevent_orphans:
        left, right = sel[max(0, start - 2) : start], sel[end : end + 2]
        orphans += left[-1:] == [True] and left != [True, True]
        orphans += right[:1] == [True] and right != [True, True]
    return orphans, sum(math.hypot(s.x - focal.x, s.y - focal.y) for s in seats)


def _brute_force_score(
    layout: Layout, free: set[str], number: int, prevent_orphans: bool, accessible: int = 0
) -> tuple[int, float] | None:
    best: tuple[int, float] | None = None
    for seats in _rows(layout).values():
        for start in range(len(seats) - number + 1):
            window = seats[start : start + number]
            if all(s.label in free for s in window) and sum(s.accessible for s in window) == accessible:
                score = _window_score(layout, free, [s.label for s in window], prevent_orphans)
                if best is None or score < best:
                    best = score
    return best


@pytest.mark.parametrize("seed", range(40))
def test_matches_a_brute_force_search(seed: int) -> None:
    rng = random.Random(seed)
    rows = [
        make_row(f"R{r}", rng.randint(3, 12), y=r * 1.5, x0=rng.uniform(-3, 3), accessible=[rng.randint(1, 3)])
        for r in range(rng.randint(1, 6))
    ]
    layout = make_layout(*rows, focal=Point(rng.uniform(-5, 10), rng.uniform(-10, 5)))
    index = SeatIndex.build(layout)
    free = {label for label in layout.objects if rng.random() < 0.6}
    accessible_free = {label for label in free if layout.objects[label].accessible}
    regular_free = free - accessible_free
    for number, accessible, prevent in itertools.product((1, 2, 3, 4), (0, 1), (True, False)):
        expected = _brute_force_score(layout, free, number, prevent, accessible)
        request = BestAvailableRequest(number, accessible_seats=accessible, try_to_prevent_orphan_seats=prevent)
        if len(regular_free) < number - accessible or len(accessible_free) < accessible:
            with pytest.raises(BestAvailableNotFound):
                best_available(index, free, request)
            continue
        choice = best_available(index, free, request)
        assert len(choice.labels) == number
        assert len(set(choice.labels) & accessible_free) == accessible
        assert len(set(choice.labels) & regular_free) == number - accessible
        assert choice.next_to_each_other is (expected is not None)
        if expected is not None:
            got = _window_score(layout, free, choice.labels, prevent)
            assert got[0] == expected[0]
            assert got[1] == pytest.approx(expected[1])


# --- a big one ---------------------------------------------------------------------------------


def big_layout() -> Layout:
    """20 sections x 100 rows x 50 seats = 100,000 seats, sections side by side."""
    rows = [
        make_row(f"R{r}", 50, y=r * 1.0, x0=s * 55.0, section=f"S{s}", category=str(1 + s % 2))
        for s in range(20)
        for r in range(100)
    ]
    return make_layout(*rows, focal=Point(20 * 55.0 / 2, -10.0))


@pytest.fixture(scope="module")
def big() -> tuple[Layout, SeatIndex]:
    layout = big_layout()
    return layout, SeatIndex.build(layout)


def test_a_hundred_thousand_seats_with_scattered_availability(big: tuple[Layout, SeatIndex]) -> None:
    layout, index = big
    assert index.seat_count == 100_000
    rng = random.Random(7)
    free = {label for label in layout.objects if rng.random() < 0.3}
    for number in (1, 2, 4, 8):
        choice = best_available(index, free, BestAvailableRequest(number))
        assert len(choice.labels) == number and set(choice.labels) <= free
        assert choice.next_to_each_other
        row_keys = {layout.objects[lbl].row_key for lbl in choice.labels}
        positions = [layout.objects[lbl].index_in_row for lbl in choice.labels]
        assert len(row_keys) == 1 and positions == list(range(positions[0], positions[0] + number))
    in_section = best_available(index, free, BestAvailableRequest(4, sections=frozenset({"S3"})))
    assert all(lbl.startswith("S3-") for lbl in in_section.labels)
    far = best_available(index, free, BestAvailableRequest(60))  # no row has 60 free: fallback
    assert not far.next_to_each_other and len(far.labels) == 60 and set(far.labels) <= free


@pytest.mark.parametrize("share", [0.002, 0.02, 0.3])
def test_a_small_selectable_set_gives_the_same_answer_as_a_callable(
    share: float, big: tuple[Layout, SeatIndex]
) -> None:
    layout, index = big
    rng = random.Random(11)
    free = frozenset(label for label in layout.objects if rng.random() < share)
    for request in (
        BestAvailableRequest(1),
        BestAvailableRequest(2),
        BestAvailableRequest(3, categories=frozenset({"2"})),
        BestAvailableRequest(6),
        BestAvailableRequest(2, sections=frozenset({"S0", "S19"})),
    ):
        by_set = best_available(index, free, request)
        assert by_set == best_available(index, free.__contains__, request)
        assert set(by_set.labels) <= free
    with pytest.raises(BestAvailableNotFound):
        best_available(index, free, BestAvailableRequest(2, accessible_seats=1))
    with pytest.raises(BestAvailableNotFound):
        best_available(index, frozenset({"S0-R0-1", "no such seat"}), BestAvailableRequest(2))


# --- a segment's best window: the edges judged alone, the inside by its sums -------------------


def _every_window(seg: _Segment, sel: bytes, elig: bytes, shape: _WindowShape) -> tuple[int, float, int] | None:
    """What `_segment_window` must find, the slow way: every window of candidates judged on its own."""
    number, size = shape.number, len(elig)
    best: tuple[int, float, int] | None = None
    for start in range(size - number + 1):
        end = start + number
        if not all(elig[start:end]):
            continue
        if shape.wanted_accessible and sum(seg.accessible[start:end]) != shape.wanted_accessible:
            continue
        orphans = 0
        if shape.prevent_orphans:
            orphans += start >= 1 and bool(sel[start - 1]) and not (start >= 2 and sel[start - 2])
            orphans += end < size and bool(sel[end]) and not (end + 1 < size and sel[end + 1])
        window = (orphans, round(seg.window_prefix[end] - seg.window_prefix[start], 9), start)
        if best is None or window < best:
            best = window
    return best


@settings(max_examples=400, deadline=None)
@given(
    dists=st.lists(
        st.one_of(st.sampled_from([0.1, 0.2, 0.3, 1.0, 1.0000000001, 0.9999999999]), st.floats(0, 1e4)),
        min_size=1,
        max_size=40,
    ),
    data=st.data(),
    number=st.integers(1, 6),
    prevent_orphans=st.booleans(),
    wanted_accessible=st.integers(0, 2),
)
def test_segment_window_is_the_best_of_every_window(
    dists: list[float], data: st.DataObject, number: int, prevent_orphans: bool, wanted_accessible: int
) -> None:
    size = len(dists)
    mostly_one = st.sampled_from([0, 1, 1, 1, 1])  # long runs of candidates: the inside of a run is the point
    sel = bytes(data.draw(st.lists(mostly_one, min_size=size, max_size=size)))
    mask = data.draw(st.lists(mostly_one, min_size=size, max_size=size))
    elig = bytes(s & m for s, m in zip(sel, mask, strict=True)) if data.draw(st.booleans()) else sel
    accessible = data.draw(st.lists(st.integers(0, 1), min_size=size, max_size=size))
    seats = make_row("R", size, y=0.0, accessible=[n + 1 for n, a in enumerate(accessible) if a])
    seg = _Segment.of(0, 0, seats, dists)
    shape = _WindowShape(number, min(wanted_accessible, number), prevent_orphans, None, None, None)
    assert _segment_window(seg, sel, elig, shape) == _every_window(seg, sel, elig, shape)


def test_segment_windows_a_rounding_step_apart_tie_and_the_first_wins() -> None:
    seg = _Segment.of(0, 0, make_row("R", 3, y=0.0), [2.0, 1.0000000001, 1.0])
    shape = _WindowShape(1, 0, False, None, None, None)
    assert _segment_window(seg, b"\x01\x01\x01", b"\x01\x01\x01", shape) == (0, 1.0, 1)
