"""Shared pieces of the admin API's request and response models: camelCase on the wire, snake_case in
Python; unknown request fields rejected; money as integer minor units (pence, cents) beside a currency;
datetimes ISO 8601 with a timezone."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from pydantic.alias_generators import to_camel

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


class ApiModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
    )
