"""JSON for the dialects and the raw storage paths: orjson's speed, with the standard library for the
integers orjson gets wrong.

orjson reads an integer past 64 bits as a float, silently dropping digits, and refuses to write one. Extra
data is the caller's own JSON and may hold such numbers, so both directions fall back to the standard
library when they meet one; everything else is orjson's.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from datetime import date, datetime
from enum import Enum
from typing import Any

import orjson

_LONG_DIGITS = re.compile(rb"\d{19}")  # integers of up to 18 digits fit in 64 bits, of either sign
_LONG_DIGITS_TEXT = re.compile(r"\d{19}")


def loads(raw: bytes | str) -> Any:
    """The JSON text `raw`, parsed; raises orjson.JSONDecodeError if it is not valid JSON."""
    data = orjson.loads(raw)  # it refuses numbers past a double's range: at most 309 digits get further
    long_digits = _LONG_DIGITS.search(raw) if isinstance(raw, bytes) else _LONG_DIGITS_TEXT.search(raw)
    if long_digits:  # valid JSON (orjson said so): the standard library reads the same, exactly
        with contextlib.suppress(ValueError):  # (past int's 4,300-digit limit: orjson's reading stands)
            data = json.loads(raw)
    return data


def dumps(content: Any, *, sort_keys: bool = False) -> bytes:
    """`content` as compact JSON (datetimes as ISO 8601, non-string keys as strings)."""
    try:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | (orjson.OPT_SORT_KEYS if sort_keys else 0))
    except TypeError:  # an integer past 64 bits
        text = json.dumps(content, default=_plain, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys)
        return text.encode()


def _plain(value: Any) -> Any:
    """What orjson writes natively and the standard library does not."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
