"""Default public market readers: the cascade state of an underlying is market-wide, so BTC and ETH are
read on the four big venues whose public endpoints need no key (Binance USD-M, Bybit, OKX,
Hyperliquid), whatever venues the user's accounts are on.

These readers feed only the per-underlying cascade state (``cascade_only``): their ticks never become
the mark of a position held on another venue. Read-only: public endpoints, no credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.exchanges.live import ExchangeAccountReader, ExchangeMarketReader

PUBLIC_VENUES: tuple[str, ...] = ("binanceusdm", "bybit", "okx", "hyperliquid")
"""Venues read by default for the market-wide cascade state (public endpoints, no key)."""
PUBLIC_UNDERLYINGS: tuple[str, ...] = ("BTC", "ETH")
_QUOTE = {"hyperliquid": "USDC"}  # Hyperliquid perps settle in USDC; the others' main books in USDT


def public_symbols(venue: str, underlyings: Sequence[str] = PUBLIC_UNDERLYINGS) -> list[str]:
    """The linear perpetual of each underlying on ``venue`` (ccxt unified symbols)."""
    quote = _QUOTE.get(venue, "USDT")
    return [f"{base}/{quote}:{quote}" for base in underlyings]


class PublicMarketReader(ExchangeMarketReader):
    """A venue's public market data for a fixed list of symbols, for the cascade state only."""

    cascade_only = True

    def __init__(
        self,
        venue: str,
        exchange: Any,
        symbols: Sequence[str],
        held_elsewhere: Sequence[ExchangeAccountReader] = (),
    ) -> None:
        super().__init__(venue, exchange, ())
        self.feed_id = f"{venue}:public-market"
        self.label = f"{venue} public market"
        self._fixed = sorted(set(symbols))
        self._held = list(held_elsewhere)

    def symbols(self) -> list[str]:
        """The fixed symbols, less those the user's own reader of this venue already reads."""
        held = {s for account in self._held for s in account.reader.held_symbols}
        return [s for s in self._fixed if s not in held]


def public_market_readers(
    accounts: Sequence[ExchangeAccountReader],
    connect: Callable[[str, dict], Any],
    venues: Sequence[str] = PUBLIC_VENUES,
) -> list[PublicMarketReader]:
    """One public reader per default venue (BTC and ETH perpetuals), skipping what the user's own
    account readers on that venue already read."""
    return [
        PublicMarketReader(
            venue, connect(venue, {}), public_symbols(venue), [a for a in accounts if a.venue == venue]
        )
        for venue in venues
    ]
