"""Commission on one ticket, agent logins, delivery methods and what an agent may write back about its buyer."""

from __future__ import annotations

import pytest

from boxoffice.domain.agents import (
    CommissionStructure,
    check_delivery_methods,
    check_login,
    end_customer,
    lock_channel_key,
)
from boxoffice.domain.errors import InvalidInput


def structure(kind: str, **values: object) -> CommissionStructure:
    return CommissionStructure("c1", 1, "Standard", kind, "GBP", **values)  # type: ignore[arg-type]


def test_fixed_commission_is_per_ticket_and_never_more_than_the_price() -> None:
    fixed = structure("fixed", fixed_amount=150).validated()
    assert fixed.commission(2500, "adult", "A") == 150
    assert fixed.commission(100, "adult", "A") == 100
    assert fixed.commission(0, "comp", "A") == 0


def test_percentage_commission_rounds_half_up_to_the_minor_unit() -> None:
    pct = structure("percentage", basis_points=1250).validated()  # 12.5 %
    assert pct.commission(2500, "adult", "A") == 313  # 312.5 -> 313
    assert pct.commission(1999, "adult", "A") == 250  # 249.875 -> 250
    assert structure("percentage", basis_points=10_000).commission(777, "adult", "A") == 777


def test_matrix_commission_pays_per_ticket_type_and_band_and_nothing_for_a_pair_it_does_not_name() -> None:
    matrix = structure("matrix", matrix={"adult": {"A": 300, "B": 200}, "child": {"A": 100}}).validated()
    assert matrix.commission(3000, "adult", "A") == 300
    assert matrix.commission(3000, "adult", "B") == 200
    assert matrix.commission(3000, "child", "B") == 0
    assert matrix.commission(3000, "senior", "A") == 0


@pytest.mark.parametrize(
    "bad",
    [
        structure("bonus"),
        structure("fixed", fixed_amount=-1),
        structure("percentage", basis_points=10_001),
        structure("percentage", basis_points=-5),
        structure("matrix"),
        structure("matrix", matrix={"adult": {"A": -1}}),
        CommissionStructure("c1", 1, " ", "fixed", "GBP"),
        CommissionStructure("c1", 1, "x", "fixed", "gbp"),
    ],
)
def test_a_structure_that_cannot_be_applied_is_refused(bad: CommissionStructure) -> None:
    with pytest.raises(InvalidInput):
        bad.validated()


def test_logins_delivery_methods_and_lock_keys() -> None:
    assert check_login("tickets-r-us@example.org") == "tickets-r-us@example.org"
    for bad in ("", "has space", "x" * 201, "slash/"):
        with pytest.raises(InvalidInput):
            check_login(bad)
    assert check_delivery_methods(("collect", "collect", "careOfAgent")) == ("collect", "careOfAgent")
    for bad_methods in ((), ("post",)):
        with pytest.raises(InvalidInput):
            check_delivery_methods(bad_methods)
    assert lock_channel_key("01ABC") == "agent-01ABC"


def test_end_customer_keeps_the_four_fields_an_agent_may_write_back() -> None:
    given = {"firstName": "Ann", "lastName": "", "address": "1 High St", "reference": "TRU-1"}
    assert end_customer(given) == {"firstName": "Ann", "address": "1 High St", "reference": "TRU-1"}
    with pytest.raises(InvalidInput, match="email"):
        end_customer({"email": "ann@example.org"})
    with pytest.raises(InvalidInput):
        end_customer({"reference": "x" * 201})
    with pytest.raises(InvalidInput):
        end_customer({"firstName": 5})
