"""The pure parts of agents' invoices and reports: period bounds, figures, totals per currency."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boxoffice.domain.agent_reports import CurrencyTotal, Figures, Period, currency_totals, parse_moment
from boxoffice.domain.errors import InvalidInput


def test_a_moment_is_a_date_at_midnight_utc_or_a_date_and_time_in_utc() -> None:
    assert parse_moment("2031-05-01", "from") == datetime(2031, 5, 1, tzinfo=UTC)
    assert parse_moment("2031-05-01T19:30", "from") == datetime(2031, 5, 1, 19, 30, tzinfo=UTC)
    assert parse_moment("2031-05-01T19:30Z", "from") == datetime(2031, 5, 1, 19, 30, tzinfo=UTC)
    assert parse_moment("2031-05-01T19:30+02:00", "from") == datetime(2031, 5, 1, 17, 30, tzinfo=UTC)
    for bad in ("", "yesterday", "2031-13-01", "1700000000", "0001-01-01T00:00+01:00", "2031-05-01" * 10):
        with pytest.raises(InvalidInput, match=r"^from: "):
            parse_moment(bad, "from")


def test_a_period_needs_aware_bounds_in_order() -> None:
    day = datetime(2031, 5, 1, tzinfo=UTC)
    assert Period(day, day) == Period(day, day)  # empty, but a period
    with pytest.raises(InvalidInput):
        Period(day.replace(day=2), day)
    with pytest.raises(InvalidInput):
        Period(datetime(2031, 5, 1), None)


def test_figures_add_up_and_net_is_gross_less_commission() -> None:
    one = Figures(tickets=2, returned=1, prices=5000, fees=200, items=500, commission=300)
    assert (one.gross, one.net) == (5700, 5400)
    assert one + Figures(tickets=1, prices=10) == Figures(3, 1, 5010, 200, 500, 300)


def test_totals_never_add_currencies_together() -> None:
    parts = [("GBP", Figures(prices=100)), ("EUR", Figures(prices=7)), ("GBP", Figures(prices=50, commission=5))]
    assert currency_totals(parts, count_orders=True) == (
        CurrencyTotal("EUR", Figures(prices=7), 1),
        CurrencyTotal("GBP", Figures(prices=150, commission=5), 2),
    )
    assert currency_totals(parts)[1].orders is None
    assert currency_totals([], zero_currency="USD", count_orders=True) == (CurrencyTotal("USD", Figures(), 0),)
    assert currency_totals([]) == ()
