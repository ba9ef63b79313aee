"""Request bodies as the seats.io SDKs send them: often with no Content-Type, sometimes ``null`` or
empty. We read the raw bytes ourselves and validate with pydantic; the OpenAPI document still shows
the schema (see `documented`).

Hostile input is refused here, before any service sees it: a body over the size limit is a 413 (told by
Content-Length, or counted while it streams in), a NUL character (U+0000) anywhere in the JSON is a
400 ``INVALID_CHARACTER`` (PostgreSQL cannot store one; SQLite could, and the two must agree), and JSON
nested deeper than MAX_DEPTH is a 400 ``NESTING_TOO_DEEP``. The
``TextN`` types bound strings to the width of the column they end up in.
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, Field, StrictInt, StrictStr, StringConstraints

from boxoffice import json_codec
from boxoffice.api.seatsio.errors import SeatsioError

MAX_BODY_BYTES = 5 * 1024 * 1024  # a 100k-seat chart JSON is ~30 MB; charts have their own, larger limit
# Deeper JSON could be stored but not written back: orjson renders at most 255 levels, and the JSON
# columns' encoder runs out of stack near 1000. seats.io charts nest about 10 deep, extra data a few.
MAX_DEPTH = 64
M = TypeVar("M", bound=BaseModel)

# Strings bounded by the storage column they are written to (VARCHAR(n) on PostgreSQL).
Text30 = Annotated[StrictStr, StringConstraints(max_length=30)]
Text100 = Annotated[StrictStr, StringConstraints(max_length=100)]
Text200 = Annotated[StrictStr, StringConstraints(max_length=200)]
Text300 = Annotated[StrictStr, StringConstraints(max_length=300)]
Text500 = Annotated[StrictStr, StringConstraints(max_length=500)]
Int32 = Annotated[StrictInt, Field(ge=-(2**31), le=2**31 - 1)]  # an INTEGER column

NUL = "\x00"


def refuse_nul(value: str, what: str) -> None:
    """400 INVALID_CHARACTER when `value` holds a NUL character."""
    if NUL in value:
        raise SeatsioError(400, "INVALID_CHARACTER", f"{what} must not contain NUL (U+0000) characters")


def _check_parsed(data: Any, *, nul: bool, depth: bool) -> None:
    """Refuse a NUL in any string or key (`nul`) and nesting past MAX_DEPTH (`depth`). Iterative."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            if nul and NUL in item:
                raise SeatsioError(400, "INVALID_CHARACTER", "Text in the request body must not contain NUL (U+0000)")
            continue
        if isinstance(item, dict | list):
            if depth and level >= MAX_DEPTH:
                raise SeatsioError(
                    400, "NESTING_TOO_DEEP", f"The request body nests objects and arrays more than {MAX_DEPTH} deep"
                )
            values = item.values() if isinstance(item, dict) else item
            if nul and isinstance(item, dict):
                stack.extend((key, level) for key in item)
            stack.extend((value, level + 1) for value in values)


async def _raw_body(request: Request, max_bytes: int) -> bytes:
    too_large = SeatsioError(413, "REQUEST_TOO_LARGE", f"Request body is larger than {max_bytes} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


async def json_body(request: Request, *, max_bytes: int = MAX_BODY_BYTES) -> Any:
    raw = await _raw_body(request, max_bytes)
    if not raw.strip():
        return None
    try:
        data = json_codec.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SeatsioError(400, "INVALID_JSON", f"400 Bad Request: the request body is not valid JSON: {exc}") from None
    # Look closer only when the text could hold either: in JSON text a NUL can only be written as the
    # escape \u0000, and nesting needs as many brackets.
    nul = b"\\u0000" in raw
    depth = raw.count(b"[") + raw.count(b"{") > MAX_DEPTH
    if nul or depth:
        _check_parsed(data, nul=nul, depth=depth)
    return data


async def read_model(request: Request, model: type[M], *, max_bytes: int = MAX_BODY_BYTES) -> M:
    """The body validated as `model`; an empty body or ``null`` is the model's defaults."""
    data = await json_body(request, max_bytes=max_bytes)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SeatsioError(400, "VALIDATION_ERROR", "400 Bad Request: the request body must be a JSON object")
    return model.model_validate(data)


def _inlined(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with its ``$defs`` references replaced by the definitions themselves.

    A model's own JSON schema refers to ``#/$defs/X``, which inside an OpenAPI document points at the
    document's root, where there is no ``$defs``. The body models are not recursive, so inlining ends.
    """
    definitions = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return resolve(copy.deepcopy(definitions[ref.removeprefix("#/$defs/")]))
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    resolved: dict[str, Any] = resolve(schema)
    return resolved


def body_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The JSON schema of `model`, self-contained (fit to sit anywhere in an OpenAPI document)."""
    return _inlined(model.model_json_schema())


def documented(model: type[BaseModel] | dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` that shows `model` (or a ready JSON schema) as the JSON request body of a route
    that reads it itself."""
    schema = body_schema(model) if isinstance(model, type) else model
    return {
        "requestBody": {
            "required": False,
            "content": {"application/json": {"schema": schema}},
        }
    }
