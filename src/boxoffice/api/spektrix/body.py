"""Request bodies read as Spektrix clients send them: one object, or an array of objects of one item type.

Hostile input is refused here, before any service sees it: a NUL character (U+0000) anywhere in the JSON
is a 400 ``INVALID_CHARACTER`` (PostgreSQL cannot store one; SQLite could, and the two must agree), and
JSON nested deeper than MAX_DEPTH is a 400 ``NESTING_TOO_DEEP`` (orjson renders at most 255 levels, so a
deeper attribute value was stored and then every read of the basket was a 500).
"""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, TypeAdapter

from boxoffice import json_codec
from boxoffice.api.spektrix.errors import SpektrixError

MAX_BODY_BYTES = 1024 * 1024
MAX_ITEMS = 100
MAX_DEPTH = 64
NUL = "\x00"
M = TypeVar("M", bound=BaseModel)


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise SpektrixError(413, "REQUEST_TOO_LARGE", f"Request body is larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        return None
    try:
        data = json_codec.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SpektrixError(400, "INVALID_JSON", f"Request body is not valid JSON: {exc}") from None
    # Look closer only when the text could hold either: in JSON text a NUL can only be written as the
    # escape \u0000, and nesting needs as many brackets.
    nul = b"\\u0000" in raw
    depth = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    if nul or depth:
        check_parsed(data, nul=nul, depth=depth)
    return data


def refuse_nul(value: str, what: str) -> None:
    if NUL in value:
        raise SpektrixError(400, "INVALID_CHARACTER", f"{what} must not contain NUL (U+0000) characters")


def check_parsed(data: Any, *, nul: bool, depth: bool, ints: bool = False) -> None:
    """Refuse a NUL in any string or key (`nul`), nesting past MAX_DEPTH (`depth`) and an integer outside
    64 bits (`ints`: orjson reads those as floats, Python's json module as ints nothing can render). Iterative."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if nul:
                refuse_nul(item, "Text in the request body")
            continue
        if ints and isinstance(item, int) and not -(2**63) <= item < 2**63:
            raise SpektrixError(400, "VALIDATION_ERROR", "Integers in the request body must fit in 64 bits")
        if isinstance(item, dict | list):
            if depth and level >= MAX_DEPTH:
                raise SpektrixError(
                    400, "NESTING_TOO_DEEP", f"The request body nests objects and arrays more than {MAX_DEPTH} deep"
                )
            values = item.values() if isinstance(item, dict) else item
            if nul and isinstance(item, dict):
                stack.extend((key, level) for key in item)
            stack.extend((value, level + 1) for value in values)


async def read_items(request: Request, model: type[M]) -> list[M]:
    """An array of `model` (a single object counts as an array of one). Errors carry the item's index."""
    data = await json_body(request)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        raise SpektrixError(400, "VALIDATION_ERROR", "The body must be a JSON array of items (or one item)")
    if len(data) > MAX_ITEMS:
        raise SpektrixError(400, "VALIDATION_ERROR", f"At most {MAX_ITEMS} items per request")
    return TypeAdapter(list[model]).validate_python(data)  # type: ignore[valid-type]


async def read_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object (an empty body is an empty object)."""
    data = await json_body(request)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SpektrixError(400, "VALIDATION_ERROR", "The body must be a JSON object")
    return data


async def read_model(request: Request, model: type[M]) -> M:
    return model.model_validate(await read_object(request))


def documented(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` showing the JSON body (an array of `model`, or one) of a route that reads it itself.
    For flat item models only (no nested models, so the schema has no references to resolve)."""
    schema = model.model_json_schema()
    assert "$defs" not in schema, f"{model.__name__} is not flat"
    body = {"oneOf": [{"type": "array", "items": schema}, schema]}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}
