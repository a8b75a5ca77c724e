"""Refresh intervals stay inside every venue's limits, for any number of accounts."""

from __future__ import annotations

import pytest

from desktop.exchanges.scheduler import (
    BUDGET_SHARE,
    BUDGETS,
    MIN_INTERVAL_SECONDS,
    describe_interval,
    plan,
    refresh_interval,
)


def test_hand_computed_intervals() -> None:
    # Binance USD-M: 10 weight per read, 2,400/min per IP = 40/s, a quarter of it = 10/s
    assert refresh_interval("binanceusdm", 1) == MIN_INTERVAL_SECONDS  # 1 s needed, floored at 5 s
    assert refresh_interval("binanceusdm", 20) == pytest.approx(20.0)  # 10 * 20 / 10
    # Hyperliquid: 4 weight per read, 1,200/min per IP = 20/s, a quarter = 5/s -> 0.8 s per account
    assert refresh_interval("hyperliquid", 10) == pytest.approx(8.0)
    # Bybit: 4 requests per read; per IP 600/5 s = 120/s -> a quarter = 30/s -> 200 accounts need 26.67 s
    assert refresh_interval("bybit", 200) == pytest.approx(26.7)


@pytest.mark.parametrize("venue", sorted(BUDGETS))
def test_every_limit_is_respected_for_any_number_of_accounts(venue: str) -> None:
    budget = BUDGETS[venue]
    previous = 0.0
    for accounts in range(1, 501):
        interval = refresh_interval(venue, accounts)
        assert interval >= MIN_INTERVAL_SECONDS and interval >= previous  # more accounts never poll faster
        previous = interval
        for limit in budget.limits:
            sharing = accounts if limit.scope == "ip" else 1
            used_per_second = budget.read_weight * sharing / interval
            assert used_per_second <= BUDGET_SHARE * limit.rate + 1e-9, (venue, accounts, limit)


def test_plan_and_description() -> None:
    assert plan(["okx", "okx", "hyperliquid"]) == {"okx": 5.0, "hyperliquid": 5.0}
    text = describe_interval("binanceusdm", 20)
    assert text.startswith("Refreshed every 20 s (20 accounts") and "2,400 weight/min per IP" in text
    with pytest.raises(ValueError, match="accounts_on_venue"):
        refresh_interval("okx", 0)
