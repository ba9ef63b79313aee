"""seats.io's pagination, for every list it pages: ``start_after_id`` (the next, older page),
``end_before_id`` (the previous, newer one) and ``limit``; an answer carries ``next_page_starts_after`` and
``previous_page_ends_before`` where there is such a page, each an id as a JSON string, as seats.io sends
them (the Go SDK reads them into strings, the JS SDK's tests compare them with strings, the Python SDK int()s
them). The SDKs' listers follow them.

    asked = page_request(request, max_id=MAX_ID)
    found = ...read asked.limit + 1 items after asked.after or before asked.before, newest first...
    items, fields = page_of(found, asked, id_of)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request

from boxoffice.api.seatsio.errors import SeatsioError
from boxoffice.api.seatsio.schemas import cursor, limit

T = TypeVar("T")
DEFAULT_PAGE = 20
MAX_PAGE = 100
MAX_ID = 2**31 - 1  # an INTEGER id column


def documented(*, max_id: int = MAX_ID, max_page: int = MAX_PAGE) -> list[dict[str, Any]]:
    """The paging query parameters, for a route's `parameters(...)`."""
    return [cursor("start_after_id", max_id), cursor("end_before_id", max_id), limit(max_page)]


@dataclass(frozen=True, slots=True)
class PageRequest:
    after: int | None  # start_after_id
    before: int | None  # end_before_id, unless start_after_id is given too (it wins)
    limit: int


def int_param(request: Request, name: str, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """An integer query parameter within minimum..maximum (ids: what the database column holds)."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = int(raw)
    except ValueError:
        raise SeatsioError(400, "VALIDATION_ERROR", f"{name} must be an integer") from None
    if not minimum <= value <= maximum:
        raise SeatsioError(400, "VALIDATION_ERROR", f"{name} must be between {minimum} and {maximum}")
    return value


def page_request(
    request: Request, *, max_id: int = MAX_ID, max_page: int = MAX_PAGE, default: int = DEFAULT_PAGE
) -> PageRequest:
    after = int_param(request, "start_after_id", maximum=max_id)
    before = int_param(request, "end_before_id", maximum=max_id)  # checked even when start_after_id wins
    limit = int_param(request, "limit", minimum=1, maximum=max_page)
    return PageRequest(after, before if after is None else None, default if limit is None else limit)


def page_of(found: Sequence[T], asked: PageRequest, id_of: Callable[[T], int]) -> tuple[list[T], dict[str, Any]]:
    """The page among `found` (up to limit + 1 items in list order, read after or before the cursor), and
    the cursors of the pages next to it."""
    more = len(found) > asked.limit
    fields: dict[str, Any] = {}
    if asked.before is not None:
        items = list(found[-asked.limit :])
        if items:
            fields["next_page_starts_after"] = str(id_of(items[-1]))
            if more:
                fields["previous_page_ends_before"] = str(id_of(items[0]))
    else:
        items = list(found[: asked.limit])
        if items and more:
            fields["next_page_starts_after"] = str(id_of(items[-1]))
        if items and asked.after is not None:
            fields["previous_page_ends_before"] = str(id_of(items[0]))
    return items, fields


def page_in_memory(
    items: Sequence[T], asked: PageRequest, id_of: Callable[[T], int], *, newest_first: bool = True
) -> tuple[list[T], dict[str, Any]]:
    """`page_of` for a list already read whole, in id order: newest (highest id) first, or oldest first."""
    sign = -1 if newest_first else 1
    ordered = sorted(items, key=lambda i: sign * id_of(i))
    if asked.after is not None:
        found = [i for i in ordered if sign * id_of(i) > sign * asked.after][: asked.limit + 1]
    elif asked.before is not None:
        found = [i for i in ordered if sign * id_of(i) < sign * asked.before][-(asked.limit + 1) :]
    else:
        found = ordered[: asked.limit + 1]
    return page_of(found, asked, id_of)
