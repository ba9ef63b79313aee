"""Shared pieces of the admin API's request and response models: camelCase on the wire, snake_case in
Python; unknown request fields rejected; money as integer minor units (pence, cents) beside a currency;
datetimes ISO 8601 with a timezone.

Every request model refuses, wherever it occurs in the body (free-form ``attributes`` included), what
storage or the JSON renderer cannot take back: a NUL character (PostgreSQL cannot store one; SQLite
could, and the two must agree), an integer outside 64 bits (stored, then every read was a 500), and JSON
nested deeper than MAX_DEPTH (orjson renders at most 255 levels). Each is a 422 ``VALIDATION_ERROR``."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator
from pydantic.alias_generators import to_camel

from boxoffice.api.admin.errors import ERRORS, ErrorBody

# Bounds here are what storage can hold (a bad value is a 422, never a database error); the business
# rules (no negative prices, names not blank, ...) are the services'.
MAX_MONEY = 2**53 - 1  # also the largest integer every JSON client reads exactly
MAX_COUNT = 2**31 - 1

Amount = Annotated[
    StrictInt,
    Field(ge=-MAX_MONEY, le=MAX_MONEY, description="Money in integer minor units (pence, cents) of the currency"),
]
Count = Annotated[StrictInt, Field(ge=-MAX_COUNT, le=MAX_COUNT)]
Currency = Annotated[str, Field(description="ISO 4217 currency code", examples=["GBP"])]
Name = Annotated[str, Field(max_length=300)]
ShortName = Annotated[str, Field(max_length=200)]
Key = Annotated[str, Field(max_length=128)]
MAX_DEPTH = 64
MIN_INT, MAX_INT = -(2**63), 2**63 - 1
NUL = "\x00"

# What every admin route may answer besides its success: the documented 4xx of errors.py, any other 4xx
# (405, 409, 413, 415, 429) and 503 (the database is busy or unreachable), all in the one error shape.
RESPONSES: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    "4XX": {"model": ErrorBody, "description": "Bad input or a conflict, in the error shape; nothing was changed"},
    503: {"model": ErrorBody, "description": "The database is busy or unreachable right now (Retry-After)"},
}


def storable(value: Any) -> Any:
    """An AfterValidator for a free-form JSON body (one not read into an ApiModel)."""
    check_value(value)
    return value


def check_value(value: Any, level: int = 0) -> None:
    """Refuse a NUL in any string or key, an integer outside 64 bits and nesting past MAX_DEPTH."""
    stack: list[tuple[Any, int]] = [(value, level)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise ValueError("text must not contain NUL (U+0000) characters")
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not MIN_INT <= item <= MAX_INT:
                raise ValueError("integers must fit in 64 bits")
        elif isinstance(item, dict | list | tuple | set | frozenset):
            if depth >= MAX_DEPTH:
                raise ValueError(f"objects and arrays must not nest more than {MAX_DEPTH} deep")
            if isinstance(item, dict):
                stack.extend((key, depth) for key in item)
                stack.extend((v, depth + 1) for v in item.values())
            else:
                stack.extend((v, depth + 1) for v in item)


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
    )

    @model_validator(mode="after")
    def _storable(self) -> Self:
        if type(self).__name__.endswith("Out"):  # a response model (the convention here): rendered, not read
            return self
        for name in type(self).model_fields:
            value = getattr(self, name)
            if not isinstance(value, BaseModel):  # nested models check themselves
                check_value(value, 1)
        return self
