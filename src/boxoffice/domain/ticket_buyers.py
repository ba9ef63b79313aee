"""Ticket buyer ids: the UUIDs a workspace knows its buyers by (seats.io's allow-list of ticket buyers).

>>> buyer_ids(["0EF73FD9-693C-5073-98AC-D1DD8CD86536", "0ef73fd9-693c-5073-98ac-d1dd8cd86536"])
['0ef73fd9-693c-5073-98ac-d1dd8cd86536']
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from boxoffice.domain.errors import InvalidInput


def buyer_ids(raw: Iterable[str]) -> list[str]:
    """The distinct ids in the order given, each in the standard lower-case form; one that is no UUID
    refuses the whole list."""
    seen: dict[str, None] = {}
    for text in raw:
        try:
            seen[str(uuid.UUID(text))] = None
        except ValueError:
            raise InvalidInput(f"Ticket buyer id {text!r} is not a valid UUID") from None
    return list(seen)


@dataclass(frozen=True, slots=True)
class Added:
    added: list[str]
    already_present: list[str]


@dataclass(frozen=True, slots=True)
class Removed:
    removed: list[str]
    not_present: list[str]
