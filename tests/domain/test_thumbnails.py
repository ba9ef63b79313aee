"""A chart's thumbnail: a valid PNG of the canvas size, every object a dot in its category's colour."""

from __future__ import annotations

import struct
import zlib

from boxoffice.domain.charts import parse_chart
from boxoffice.domain.thumbnails import BACKGROUND, HEIGHT, NO_CATEGORY, WIDTH, _rgb, render_png
from tests.factories import seat, small_drawing


def _decode(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes), checking the signature and every chunk's CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, {}
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = data
        at += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 3
    return width, height, [raw[r * stride + 1 : (r + 1) * stride] for r in range(height)]


def _colours(rows: list[bytes]) -> set[tuple[int, ...]]:
    return {tuple(row[i : i + 3]) for row in rows for i in range(0, len(row), 3)}


def test_every_object_is_drawn_in_its_category_colour_on_white() -> None:
    width, height, rows = _decode(render_png(parse_chart(small_drawing())))

    assert (width, height) == (WIDTH, HEIGHT)
    assert _colours(rows) >= {BACKGROUND, (255, 0, 0), (0, 255, 0)}  # categories 1 (stalls) and 2 (front)


def test_the_drawing_is_scaled_to_fit_with_its_corners_inside_the_canvas() -> None:
    drawing = small_drawing(rows=1, seats_per_row=2)
    drawing["subChart"]["rows"][0]["seats"] = [seat("1", -5000, -5000, 2), seat("2", 5000, 5000, 2)]
    drawing["subChart"]["tables"] = []
    drawing["subChart"]["generalAdmissionAreas"] = []

    _, _, rows = _decode(render_png(parse_chart(drawing)))

    green = [(x // 3, y) for y, row in enumerate(rows) for x in range(0, len(row), 3) if row[x : x + 3] == b"\0\xff\0"]
    assert min(green) < (WIDTH // 4, HEIGHT // 4) and max(green) > (WIDTH // 2, HEIGHT // 2)


def test_an_empty_chart_is_a_blank_canvas() -> None:
    drawing = small_drawing()
    drawing["subChart"] = {"rows": [], "tables": [], "generalAdmissionAreas": [], "booths": []}

    _, _, rows = _decode(render_png(parse_chart(drawing)))

    assert _colours(rows) == {BACKGROUND}


def test_colours_are_read_as_charts_write_them() -> None:
    assert _rgb("#ff8000") == (255, 128, 0)
    assert _rgb("#f80") == (255, 136, 0)
    assert _rgb("red") == NO_CATEGORY and _rgb("") == NO_CATEGORY and _rgb("#gggggg") == NO_CATEGORY
