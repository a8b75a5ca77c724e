"""The account card shows the funding paid over 24 h beside the estimate; unknown is a dash (pytest-qt)."""

from __future__ import annotations

import math

import pytest

from desktop.engine.snapshots import AccountSnapshot, FeedStatus
from desktop.ui.accounts_panel import AccountCard
from risk import Account, Instrument, MarginTier, Position, assess

INST = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=(MarginTier(0.0, math.inf, 0.005),))
ACCOUNT = Account("binanceusdm", 1e4, [Position(INST, "long", 1.0, 60_000.0, 58_000.0, "cross")])


def show(card: AccountCard, paid: float | None) -> None:
    feed = FeedStatus("a", "Binance", 5.0, last_update=100.0, started_at=100.0)
    snapshot = AccountSnapshot(
        "a", "Binance", "binanceusdm", feed, ACCOUNT, assess(ACCOUNT), funding_paid_24h=paid
    )
    card.show_account(snapshot, 101.0)


@pytest.mark.gui
def test_card_shows_funding_paid_and_unknown(qtbot) -> None:
    card = AccountCard("a")
    qtbot.addWidget(card)
    show(card, -12.345)
    assert card.funding_paid.text() == "-12.35 USDT"
    show(card, None)
    assert card.funding_paid.text() == "—"
    show(card, 0.0)
    assert card.funding_paid.text() == "+0.00 USDT"
