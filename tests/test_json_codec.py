"""JSON in and out of every dialect: orjson, with the standard library for integers past 64 bits."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import orjson
import pytest

from boxoffice import json_codec
from boxoffice.api.idempotency import canonical_json

BIG = [2**64, 2**64 - 1, -(2**63), -(2**63) - 1, 10**30, -(10**40)]


def test_integers_past_64_bits_are_read_exactly() -> None:
    for n in BIG:
        parsed = json_codec.loads(json.dumps({"n": n, "list": [n, 1.5, "x"]}).encode())
        assert parsed == {"n": n, "list": [n, 1.5, "x"]} and type(parsed["n"]) is int
    assert json_codec.loads(b'{"a": 1, "b": [true, null], "c": 0.25}') == {"a": 1, "b": [True, None], "c": 0.25}
    for bad in [b"{", b'{"n": NaN}', b'"\\ud800"']:  # what orjson refuses is refused, long digits or not
        with pytest.raises(orjson.JSONDecodeError):
            json_codec.loads(bad)
        with pytest.raises(orjson.JSONDecodeError):
            json_codec.loads(bad[:-1] + b" 12345678901234567890" + bad[-1:])


def test_what_orjson_cannot_write_is_written_as_orjson_would_write_the_rest() -> None:
    moment = datetime(2026, 11, 24, 9, 30, 1, 123456, tzinfo=UTC)
    content = {"when": moment, "day": date(2026, 11, 24), 3: "int key", "nested": {"x": [1, None, True]}}
    small = json_codec.dumps(content)
    assert small == orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
    big = json_codec.dumps({**content, "n": 2**70})
    assert json.loads(big) == {**json.loads(small), "n": 2**70}
    assert big.startswith(small[:-1])  # same text for the same values: ISO 8601 times, keys as strings


def test_idempotency_tells_bodies_apart_by_their_last_digit() -> None:
    first, second = b'{"extraData": {"n": 18446744073709551616}}', b'{"extraData": {"n": 18446744073709551617}}'
    assert canonical_json(first) != canonical_json(second)  # the same float to orjson: "the same request"
    assert canonical_json(b'{ "b": 1,  "a": 2 }') == canonical_json(b'{"a":2,"b":1}') == b'{"a":2,"b":1}'
    assert canonical_json(b'{"a": 18446744073709551616, "b": 1}') == canonical_json(
        b'{ "b": 1, "a": 18446744073709551616 }'
    )
