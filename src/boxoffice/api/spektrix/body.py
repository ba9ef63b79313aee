"""Request bodies read as Spektrix clients send them: one object, or an array of objects of one item type."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import Request
from pydantic import BaseModel, TypeAdapter

from boxoffice.api.spektrix.errors import SpektrixError

MAX_BODY_BYTES = 1024 * 1024
MAX_ITEMS = 100
M = TypeVar("M", bound=BaseModel)


async def json_body(request: Request) -> Any:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise SpektrixError(413, "REQUEST_TOO_LARGE", f"Request body is larger than {MAX_BODY_BYTES} bytes")
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise SpektrixError(400, "INVALID_JSON", f"Request body is not valid JSON: {exc}") from None


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


async def read_model(request: Request, model: type[M]) -> M:
    data = await json_body(request)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SpektrixError(400, "VALIDATION_ERROR", "The body must be a JSON object")
    return model.model_validate(data)


def documented(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` showing the JSON body (an array of `model`, or one) of a route that reads it itself.
    For flat item models only (no nested models, so the schema has no references to resolve)."""
    schema = model.model_json_schema()
    assert "$defs" not in schema, f"{model.__name__} is not flat"
    body = {"oneOf": [{"type": "array", "items": schema}, schema]}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": body}}}}
