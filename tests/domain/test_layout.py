"""Layout questions the services ask of a parsed chart."""

from __future__ import annotations

from boxoffice.domain.layout import ChartObject, Layout, ObjectType


def _layout(*objects: ChartObject) -> Layout:
    return Layout("hall", "SIMPLE", (), (), None, {o.label: o for o in objects})


def _seat(label: str, section: str | None, zone: str | None) -> ChartObject:
    return ChartObject(label, ObjectType.SEAT, label, section=section, zone=zone)


def test_zones_by_section_when_each_section_lies_in_one_zone() -> None:
    layout = _layout(
        _seat("S1-A-1", "S1", "front"),
        _seat("S1-A-2", "S1", "front"),
        _seat("S2-A-1", "S2", None),
        _seat("A-1", None, "back"),
        ChartObject("GA", ObjectType.GENERAL_ADMISSION, "GA", zone="front"),  # not a seat or booth
    )

    assert layout.zones_by_section() == {"S1": "front", "S2": None, None: "back"}


def test_no_zones_by_section_when_a_section_spans_zones() -> None:
    assert _layout(_seat("S1-A-1", "S1", "front"), _seat("S1-B-1", "S1", "back")).zones_by_section() is None
    assert _layout(_seat("A-1", None, None), _seat("B-1", None, "back")).zones_by_section() is None
