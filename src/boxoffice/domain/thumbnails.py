"""A chart version's thumbnail: every object drawn as a dot in its category's colour, as a PNG.

seats.io serves a small picture of each chart version for chart lists; the point is recognising a chart at
a glance, so this draws what the layout knows (each object's position and category), scaled to fit, on
white. The PNG is written here (zlib and the chunk CRCs), as its format is a few lines of standard library.
"""

from __future__ import annotations

import struct
import zlib

from boxoffice.domain.layout import Layout, ObjectType

WIDTH = 400
HEIGHT = 300
MARGIN = 10
BACKGROUND = (255, 255, 255)
NO_CATEGORY = (150, 150, 150)
AREA_SIDE = 12  # general admission areas, drawn as a square: the layout keeps their centre only


def render_png(layout: Layout) -> bytes:
    """The layout's objects on a WIDTH by HEIGHT canvas, as PNG bytes (an empty chart is a blank canvas)."""
    canvas = bytearray(bytes(BACKGROUND) * (WIDTH * HEIGHT))
    objects = list(layout.objects.values())
    if objects:
        colours = {c.key: _rgb(c.color) for c in layout.categories}
        xs, ys = [o.x for o in objects], [o.y for o in objects]
        left, top = min(xs), min(ys)
        wide, high = max(max(xs) - left, 1.0), max(max(ys) - top, 1.0)
        scale = min((WIDTH - 2 * MARGIN) / wide, (HEIGHT - 2 * MARGIN) / high)  # keeps the drawing's proportions
        left -= (WIDTH - 2 * MARGIN - wide * scale) / 2 / scale  # and centres it
        top -= (HEIGHT - 2 * MARGIN - high * scale) / 2 / scale
        dot = 3 if len(objects) <= 2_000 else 2 if len(objects) <= 20_000 else 1
        for o in objects:
            colour = colours.get(o.category_key or "", NO_CATEGORY)
            side = AREA_SIDE if o.object_type is ObjectType.GENERAL_ADMISSION else dot
            x = MARGIN + int((o.x - left) * scale)
            y = MARGIN + int((o.y - top) * scale)
            _square(canvas, x - side // 2, y - side // 2, side, colour)
    return _png(canvas, WIDTH, HEIGHT)


def _rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` or `#rgb` (as charts write them); anything else is the no-category grey."""
    digits = colour.strip().lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    try:
        value = int(digits, 16) if len(digits) == 6 else -1
    except ValueError:
        value = -1
    if value < 0:
        return NO_CATEGORY
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF


def _square(canvas: bytearray, x: int, y: int, side: int, colour: tuple[int, int, int]) -> None:
    x0, x1 = max(0, x), min(WIDTH, x + side)
    if x0 >= x1:
        return
    run = bytes(colour) * (x1 - x0)
    for row in range(max(0, y), min(HEIGHT, y + side)):
        start = (row * WIDTH + x0) * 3
        canvas[start : start + len(run)] = run


def _png(rgb: bytearray, width: int, height: int) -> bytes:
    stride = width * 3
    raw = b"".join(b"\x00" + rgb[row * stride : (row + 1) * stride] for row in range(height))  # filter: none
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    data = zlib.compress(raw, 6)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
