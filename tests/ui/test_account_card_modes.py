"""The account card names the margin mode, and says when the figures are the venue's (pytest-qt)."""

from __future__ import annotations

import math

import pytest

from desktop.engine.snapshots import AccountSnapshot, FeedStatus
from desktop.ui.accounts_panel import AccountCard, mode_text
from risk import Account, Instrument, MarginTier, Position, assess

INST = Instrument("BTC/USDT:USDT", "bybit", tiers=(MarginTier(0.0, math.inf, 0.005),))
POSITION = Position(INST, "long", 1.0, 60_000.0, 58_000.0, "cross", venue_liquidation_price=41_000.0)


def card_for(account: Account, qtbot) -> AccountCard:
    card = AccountCard("a")
    qtbot.addWidget(card)
    feed = FeedStatus("a", "Bybit", 5.0, last_update=100.0, started_at=100.0)
    card.show_account(AccountSnapshot("a", "Bybit", "bybit", feed, account, assess(account)), 101.0)
    return card


@pytest.mark.gui
def test_portfolio_margin_card_says_venue_figures_shown(qtbot) -> None:
    account = Account("bybit", 1e4, [POSITION], margin_mode="portfolio margin", venue_figures=True)
    card = card_for(account, qtbot)
    assert card.mode.text() == "portfolio margin: venue figures shown"
    assert not card.mode.isHidden()


@pytest.mark.gui
def test_pooled_and_plain_accounts(qtbot) -> None:
    pooled = card_for(Account("bybit", 1e4, [POSITION], margin_mode="UTA cross margin (pooled)"), qtbot)
    assert pooled.mode.text() == "UTA cross margin (pooled)"
    plain = card_for(Account("bybit", 1e4, [POSITION]), qtbot)
    assert plain.mode.isHidden() and mode_text(None) == ""
