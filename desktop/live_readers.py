"""Saved exchange accounts as engine feeds (the real-venue side of :mod:`desktop.feeds`).

:class:`LiveAccountReader` wraps the exchanges engineer's :class:`desktop.exchanges.reader.AccountReader`
(read-only guard, tier cache, per-feed error states) for one saved account: each poll reads positions,
balance, tiers and the held symbols' market data, returns the account, and keeps the market data as
:class:`~desktop.snapshots.MarketTick` objects for the engine to drain. The ccxt exchange object is
created on the engine's loop on first use and closed by :meth:`close`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from desktop.accounts import AccountConfig
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.reader import AccountReader as ExchangeAccountReader
from desktop.exchanges.reader import AccountSnapshot as ExchangeSnapshot
from desktop.exchanges.reader import ExchangeReadError
from desktop.secrets.store import SecretStore
from desktop.snapshots import MarketTick
from risk import Account

DEFAULT_POLL_SECONDS = 10.0
"""Seconds between reads of one account: a read is about 5-8 REST calls (positions, balance, marks,
funding, open interest, books), well inside every supported venue's public limits."""
HOURLY_FUNDING_VENUES = frozenset({"hyperliquid"})


def choose_account(snapshot: ExchangeSnapshot, default_settle: str) -> Account:
    """The account of the settle currency with the most positions (ties: the venue's default)."""
    if not snapshot.accounts:
        reasons = "; ".join(snapshot.problems) or "no balance"
        raise ExchangeReadError(f"{snapshot.venue}: no account could be built: {reasons}")
    return max(snapshot.accounts, key=lambda a: (len(a.positions), a.settle_currency == default_settle))


def ticks_from(snapshot: ExchangeSnapshot) -> list[MarketTick]:
    """The market data of one read as ticks (one per held symbol with a mark)."""
    hours = 1.0 if snapshot.venue in HOURLY_FUNDING_VENUES else 8.0
    ticks = []
    for symbol, data in snapshot.market.items():
        if data.mark_price is None or not data.mark_price > 0:
            continue
        ticks.append(
            MarketTick(
                symbol=symbol,
                timestamp=snapshot.taken_at,
                mark_price=data.mark_price,
                index_price=data.index_price,
                funding_rate=data.funding_rate,
                funding_interval_hours=hours,
                open_interest=data.open_interest_amount,
                bid_depth_1pct_usd=data.bid_depth,
                ask_depth_1pct_usd=data.ask_depth,
            )
        )
    return ticks


class LiveAccountReader:
    """One saved account, read through ccxt (reader interface of :mod:`desktop.feeds`)."""

    def __init__(
        self,
        config: AccountConfig,
        secrets: SecretStore,
        *,
        poll_interval: float = DEFAULT_POLL_SECONDS,
        exchange_factory: Callable[[str, dict[str, str]], Any] | None = None,
    ) -> None:
        self.account_id = config.account_id
        self.label = config.label
        self.venue = config.venue
        self.poll_interval = poll_interval
        self._config = config
        self._secrets = secrets
        self._factory = exchange_factory
        self._exchange: Any = None
        self._reader: ExchangeAccountReader | None = None
        self._ticks: list[MarketTick] = []

    async def read_account(self) -> Account:
        if self._reader is None:
            factory = self._factory or build_exchange
            self._exchange = factory(self.venue, self._config.credentials(self._secrets))
            self._reader = ExchangeAccountReader(self._exchange)
        snapshot = await self._reader.read()
        for feed in ("positions", "balance"):
            status = snapshot.feeds[feed]
            if status.state not in ("ok", "idle"):
                raise ExchangeReadError(f"{self.label}: cannot read {feed}: {status.message}")
        self._ticks.extend(ticks_from(snapshot))
        return choose_account(snapshot, self._reader.adapter.default_settle)

    def drain_ticks(self) -> Sequence[MarketTick]:
        """Market ticks gathered by the reads since the last call."""
        ticks, self._ticks = self._ticks, []
        return ticks

    async def close(self) -> None:
        if self._exchange is not None:
            await self._exchange.close()
            self._exchange = None
            self._reader = None
