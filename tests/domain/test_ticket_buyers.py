from __future__ import annotations

import pytest

from boxoffice.domain.errors import InvalidInput
from boxoffice.domain.ticket_buyers import buyer_ids


def test_ids_are_distinct_lower_case_and_keep_their_order() -> None:
    a, b = "0EF73FD9-693C-5073-98AC-D1DD8CD86536", "fbbbc8d7-1067-432c-b71f-abefe29b3be9"
    assert buyer_ids([a, b, a.lower(), "fbbbc8d71067432cb71fabefe29b3be9"]) == [a.lower(), b]
    assert buyer_ids([]) == []


def test_one_id_that_is_no_uuid_refuses_the_list() -> None:
    with pytest.raises(InvalidInput, match="'not-a-uuid' is not a valid UUID"):
        buyer_ids(["fbbbc8d7-1067-432c-b71f-abefe29b3be9", "not-a-uuid"])
