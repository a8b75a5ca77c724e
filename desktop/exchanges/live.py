"""Real exchange accounts as engine readers (the ``desktop.engine.feeds`` protocols), polled over REST.

``build_live_readers(configs, secrets)`` turns the saved accounts into one
:class:`ExchangeAccountReader` per account (one ccxt exchange each, so the rate limiter sees all of that
account's requests) and one :class:`ExchangeMarketReader` per venue (public endpoints, its own exchange)
for the symbols the venue's accounts hold. Poll intervals come from :mod:`desktop.exchanges.scheduler`.

Positions, balances, marks, funding, open interest and depth are REST polling at the scheduled interval;
public liquidations are streamed over WebSockets (ccxt.pro) on the venues that publish them (Binance,
Bybit, OKX), see :mod:`desktop.exchanges.streams`.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from desktop.accounts import AccountConfig
from desktop.engine.snapshots import MarketTick
from desktop.exchanges.audit import KeyAudit, audit_key
from desktop.exchanges.deferred import DeferredAccountReader
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.funding_paid import FundingPaidTracker
from desktop.exchanges.liquidation_history import fetch_liquidation_records
from desktop.exchanges.reader import AccountReader, AccountSnapshot, ExchangeReadError, MarketData
from desktop.exchanges.scheduler import plan
from desktop.exchanges.streams import STREAMING_VENUES, LiquidationStream
from desktop.secrets.store import SecretStore, SecretStoreError
from risk import Account
from risk.position_events import LiquidationRecord

MARKET_INTERVAL_SECONDS = 15.0
AUDIT_EVERY = 86_400.0
"""Seconds between key-permission audits of a monitored account (daily, and on the first read)."""
log = logging.getLogger(__name__)
Connector = Callable[[str, Mapping[str, str]], Any]


class ExchangeAccountReader:
    """One saved exchange account for the engine: ``read_account`` raises when it cannot read, so the
    engine shows the feed error and retries with backoff; ``latest`` keeps the full snapshot (raw venue
    fields, per-feed status) for the UI."""

    def __init__(
        self,
        config: AccountConfig,
        exchange: Any,
        poll_interval: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.account_id = config.account_id
        self.label = config.label
        self.venue = config.venue
        self.poll_interval = poll_interval
        self.reader = AccountReader(exchange, read_market=False, clock=clock)
        self._exchange = exchange
        self._clock = clock
        self.latest: AccountSnapshot | None = None
        self.audit: KeyAudit | None = None
        self.funding = FundingPaidTracker(config.venue, config.label, clock)
        self._settle: str | None = None

    async def _check_key(self) -> None:
        """Audit the key on the first read and daily; a key that can withdraw is refused."""
        now = self._clock()
        if self.audit is None or self.audit.checked_at is None or now - self.audit.checked_at >= AUDIT_EVERY:
            self.audit = await audit_key(self._exchange, now)
            alert = self.audit.expiry_alert(now)
            if alert:
                log.warning("%s: %s", self.label, alert)
        if not self.audit.accepted:
            raise ExchangeReadError(f"{self.label}: {self.audit.message}")

    async def read_account(self) -> Account:
        await self._check_key()
        snapshot = await self.reader.read()
        self.latest = snapshot
        for feed in ("positions", "balance"):
            status = snapshot.feeds[feed]
            if status.state != "ok":
                raise ExchangeReadError(f"{self.label}: {feed}: {status.message}")
        if not snapshot.accounts:
            raise ExchangeReadError(f"{self.label}: {'; '.join(snapshot.problems) or 'no account'}")
        default = self.reader.adapter.default_settle
        account = max(snapshot.accounts, key=lambda a: (len(a.positions), a.settle_currency == default))
        self._settle = account.settle_currency
        await self.funding.refresh(self.reader.exchange)
        return account

    @property
    def funding_paid_24h(self) -> float | None:
        """Funding paid (negative) or received over the last 24 h in the account's settle currency;
        None when unknown (see :mod:`desktop.exchanges.funding_paid`)."""
        return None if self._settle is None else self.funding.paid(self._settle)

    async def fetch_liquidations(self, symbol: str, since_ms: int | None = None) -> list[LiquidationRecord]:
        """This account's forced closes of ``symbol`` (the venue's liquidation / ADL history)."""
        return await fetch_liquidation_records(self._exchange, symbol, since_ms)

    async def close(self) -> None:
        await self._exchange.close()


def market_tick(data: MarketData, market: Mapping[str, Any], now: float) -> MarketTick | None:
    """A :class:`MarketTick` from reader market data; None without a mark price."""
    if data.mark_price is None:
        return None
    size = float(market.get("contractSize") or 1.0)
    amount = data.open_interest_amount
    # linear venues report open interest in base units or contracts; contracts x contract size is base
    open_interest = None if amount is None or market.get("inverse") else amount * size
    return MarketTick(
        symbol=data.symbol,
        timestamp=now,
        mark_price=data.mark_price,
        index_price=data.index_price,
        funding_rate=data.funding_rate,
        open_interest=open_interest,
        bid_depth_1pct_usd=data.bid_depth,
        ask_depth_1pct_usd=data.ask_depth,
        next_funding_time=None if data.next_funding_time is None else data.next_funding_time / 1000.0,
    )


class ExchangeMarketReader:
    """Market data of one venue for the symbols its accounts hold (public endpoints, REST)."""

    def __init__(
        self,
        venue: str,
        exchange: Any,
        accounts: Sequence[ExchangeAccountReader | DeferredAccountReader],
        poll_interval: float = MARKET_INTERVAL_SECONDS,
        clock: Callable[[], float] = time.time,
        *,
        streaming: bool = False,
    ) -> None:
        """``streaming``: ``exchange`` is a ccxt.pro object; public liquidations are streamed."""
        self.feed_id = f"{venue}:market"
        self.label = f"{venue} market"
        self.venue = venue
        self.poll_interval = poll_interval
        self.reader = AccountReader(exchange, read_market=True, clock=clock)
        self._exchange = exchange
        self._accounts = list(accounts)
        self._clock = clock
        self.stream = LiquidationStream(exchange, clock) if venue in STREAMING_VENUES and streaming else None

    def symbols(self) -> list[str]:
        return sorted({s for account in self._accounts for s in account.reader.held_symbols})

    async def read_market(self) -> Sequence[MarketTick]:
        symbols = self.symbols()
        if not symbols:
            return []
        await self.reader.exchange.load_markets()
        data = await self.reader.read_market_data(symbols)
        now = self._clock()
        ticks = [market_tick(d, self.reader.market_of(s), now) for s, d in data.items()]
        if self.stream is not None:
            self.stream.watch(symbols)
            ticks = self._with_liquidations(ticks)
        return [tick for tick in ticks if tick is not None]

    def _with_liquidations(self, ticks: list[MarketTick | None]) -> list[MarketTick | None]:
        """Add the streamed liquidation notional since the previous read (0 when the stream is healthy
        and quiet; unchanged None when it is not running)."""
        assert self.stream is not None
        totals: dict[str, dict[str, float]] = {}
        for event in self.stream.drain():
            side = totals.setdefault(event.symbol, {"long": 0.0, "short": 0.0})
            side[event.liquidated] += event.notional
        if self.stream.status.state != "ok" and not totals:
            return ticks
        out: list[MarketTick | None] = []
        for tick in ticks:
            if tick is not None:
                sums = totals.get(tick.symbol, {"long": 0.0, "short": 0.0})
                tick = dataclasses.replace(tick, liq_long_usd=sums["long"], liq_short_usd=sums["short"])
            out.append(tick)
        return out

    async def close(self) -> None:
        if self.stream is not None:
            await self.stream.stop()
        await self._exchange.close()


STREAM_OPTIONS: dict[str, Any] = {"watchPositions": {"fetchPositionsSnapshot": False}}
"""ccxt.pro options of streaming readers: the REST reconciliation reads the positions, not ccxt."""


def build_live_readers(
    configs: Sequence[AccountConfig],
    secrets: SecretStore,
    connector: Connector | None = None,
    *,
    streaming: bool | None = None,
) -> tuple[list[ExchangeAccountReader | DeferredAccountReader], list[ExchangeMarketReader]]:
    """Engine readers for the saved accounts (see the module docstring).

    ``streaming`` (default: when no ``connector`` is given): accounts and markets of the venues in
    :data:`desktop.exchanges.live_streams.VENUE_STREAMS` are streamed over ccxt.pro with REST as the
    safety net; ``connector`` must then return ccxt.pro exchanges. An account whose secrets the
    keychain does not give (locked, broken) gets a :class:`DeferredAccountReader` showing why.
    """
    from desktop.exchanges.live_streams import VENUE_STREAMS, StreamingAccountReader, StreamingMarketReader

    stream = connector is None if streaming is None else streaming
    connect = connector or (
        lambda venue, credentials: build_exchange(
            venue, credentials, streaming=stream and venue in VENUE_STREAMS, options=STREAM_OPTIONS
        )
    )
    intervals = plan(c.venue for c in configs)

    def build(config: AccountConfig, credentials: Mapping[str, str]) -> ExchangeAccountReader:
        exchange = connect(config.venue, credentials)
        if stream and config.venue in VENUE_STREAMS:
            return StreamingAccountReader(config, exchange, intervals[config.venue])
        return ExchangeAccountReader(config, exchange, intervals[config.venue])

    accounts: list[ExchangeAccountReader | DeferredAccountReader] = []
    for c in configs:
        try:  # a locked or broken keychain is this account's problem, not the app's
            accounts.append(build(c, c.credentials(secrets)))
        except SecretStoreError as error:
            log.warning("%s: %s", c.label, error)
            accounts.append(DeferredAccountReader(c, secrets, build, intervals[c.venue], str(error)))
    markets: list[ExchangeMarketReader] = []
    for venue in intervals:
        mine = [a for a in accounts if a.venue == venue]
        if stream and venue in VENUE_STREAMS:
            markets.append(StreamingMarketReader(venue, connect(venue, {}), mine))
        elif connector is None and venue in STREAMING_VENUES:
            exchange = build_exchange(venue, {}, streaming=True)
            markets.append(ExchangeMarketReader(venue, exchange, mine, streaming=True))
        else:
            markets.append(ExchangeMarketReader(venue, connect(venue, {}), mine))
    if accounts and connector is None:  # market-wide cascade inputs: BTC, ETH on four public venues
        from desktop.exchanges.public_markets import public_market_readers

        markets += public_market_readers(accounts, connect)
    return accounts, markets
