"""Reading one exchange account into ``risk`` types, with the raw venue fields and per-feed status.

Two entry points:

* :func:`read_account` — the contract for independent checks: one configured ``ccxt.async_support``
  exchange in, one :class:`risk.Account` out (the settle currency with the most positions). It raises
  :class:`ExchangeReadError` (a clear message, no secret) when positions or balance cannot be read.
* :class:`AccountReader` — for the engine and the UI: keeps a tier cache and per-feed status across
  reads, never raises on venue trouble, and returns an :class:`AccountSnapshot` with every settle
  currency's account, the raw position payloads beside the normalised ones, market data for the held
  symbols (mark/index, funding, open interest, order-book depth, public liquidations where the venue has
  them) and the status of each feed.

Neither closes the exchange: whoever creates an async exchange closes it (``await exchange.close()`` in a
``finally``), see :mod:`desktop.exchanges.factory`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import ccxt

from desktop.exchanges.adapters import CollateralTiers, MarginModeInfo, VenueAdapter, adapter_for
from desktop.exchanges.faults import resync_clock, retry_after_seconds
from desktop.exchanges.feeds import FeedStatus, describe
from desktop.exchanges.guard import ReadOnlyExchange
from desktop.exchanges.normalise import number, positive
from desktop.exchanges.tiers import TierCache
from desktop.exchanges.validate import check_positions_reply, is_flat, position_problem
from risk import Account, Instrument, Position
from risk.collateral import pool

T = TypeVar("T")

ACCOUNT_FEEDS = ("positions", "balance", "tiers")
MARKET_FEEDS = ("funding", "mark", "open_interest", "order_book", "liquidations")
DEPTH_BAND = 0.01
"""Order-book depth is summed within this fraction of the mid price on each side."""
ORDER_BOOK_LIMIT = 50
ACCOUNT_MODE_TTL = 600.0
"""Seconds between reads of an account-wide margin mode (Bybit unified accounts)."""
COLLATERAL_TTL = 3600.0
"""Seconds between reads of a pooled account's collateral ratio tiers (public, change rarely)."""


class ExchangeReadError(RuntimeError):
    """Positions or balance of an account could not be read; the message is safe to show."""


@dataclass(frozen=True, slots=True)
class PositionRecord:
    """A normalised position with the venue's view of it.

    ``raw`` is ccxt's unified position dict (its ``info`` is the venue payload). ``venue_liquidation_price``
    is the venue-reported price (None where the venue reports none: "0", "" or null).
    """

    position: Position
    settle: str
    raw: Mapping[str, Any]

    @property
    def venue_liquidation_price(self) -> float | None:
        return self.position.venue_liquidation_price


@dataclass(frozen=True, slots=True)
class MarketData:
    """Market state of one held symbol. Prices in quote per base unit; depth in the quote currency for
    linear contracts and USD for inverse ones (contracts x contract size), within ``DEPTH_BAND`` of mid;
    open interest amount in contracts or base units as the venue reports it (``open_interest_value`` in
    quote); ``next_funding_time`` in Unix milliseconds."""

    symbol: str
    mark_price: float | None = None
    index_price: float | None = None
    funding_rate: float | None = None
    next_funding_time: int | None = None
    open_interest_amount: float | None = None
    open_interest_value: float | None = None
    bid_depth: float | None = None
    ask_depth: float | None = None


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """Everything one read of one exchange account produced. ``taken_at`` is Unix seconds."""

    venue: str
    accounts: tuple[Account, ...]
    positions: tuple[PositionRecord, ...]
    balances_raw: tuple[Mapping[str, Any], ...]
    feeds: Mapping[str, FeedStatus]
    market: Mapping[str, MarketData] = field(default_factory=dict)
    liquidations: tuple[Mapping[str, Any], ...] = ()
    problems: tuple[str, ...] = ()
    """Positions or currencies that could not be normalised, with the reason."""
    taken_at: float = 0.0
    margin_mode: MarginModeInfo = field(default_factory=MarginModeInfo)
    """The account-wide margin mode read from the API (pooled, or shown with the venue's figures)."""

    def account(self, settle: str) -> Account | None:
        return next((a for a in self.accounts if a.settle_currency == settle), None)


class AccountReader:
    """Reads one exchange account repeatedly; holds the tier cache and the feed status between reads.

    ``exchange`` is a configured ccxt async exchange (or a :class:`ReadOnlyExchange` around one); every
    call goes through the read-only guard. ``clock`` returns Unix seconds (tests inject their own).
    """

    def __init__(
        self,
        exchange: Any,
        *,
        tier_cache: TierCache | None = None,
        clock: Callable[[], float] = time.time,
        read_market: bool = True,
    ) -> None:
        self.exchange = ReadOnlyExchange(exchange)
        self.adapter: VenueAdapter = adapter_for(self.exchange.id)
        self.tier_cache = tier_cache or TierCache(clock=clock)
        self.read_market = read_market
        self._clock = clock
        self.feeds: dict[str, FeedStatus] = {name: FeedStatus(name) for name in ACCOUNT_FEEDS + MARKET_FEEDS}
        self._positions_raw: list[Mapping[str, Any]] = []
        self._balances_raw: list[Mapping[str, Any]] = []
        self._market: dict[str, MarketData] = {}
        self._liquidations: tuple[Mapping[str, Any], ...] = ()
        self._account_mode: str | None = None
        self._account_mode_at: float | None = None
        self._account_mode_problem: str | None = None
        self._collateral_tiers: CollateralTiers | None = None
        self._collateral_at: float | None = None
        self._collateral_problem: str | None = None

    # --- feed plumbing ----------------------------------------------------------------------------
    async def _guarded(self, feed: str, call: Callable[[], Awaitable[T]]) -> T | None:
        """Run ``call`` if the feed is due; record success or failure; never raise venue errors."""
        status = self.feeds[feed]
        if not status.due(self._clock()):
            return None
        try:
            result = await call()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # every venue/parse failure becomes a visible feed state
            wait = retry_after_seconds(self.exchange, error)
            self.feeds[feed] = status.failed(error, self._clock(), wait)
            if isinstance(error, ccxt.InvalidNonce):  # clock skew: sign the retry with the venue's time
                await resync_clock(self.exchange)
            return None
        self.feeds[feed] = self.feeds[feed].succeeded(self._clock())
        return result

    def _require_json(self, what: str) -> None:
        """Raise ``BadResponse`` if the last HTTP body was not JSON.

        ccxt hands a non-JSON body (an HTML error page with status 200) to the parser as text, and the
        parsers read it as "no positions": a silent, dangerous zero. ccxt keeps the raw body in
        ``last_http_response``; between the call's return and this check no other coroutine runs.
        """
        text = self.exchange.last_http_response
        if not isinstance(text, str) or not text.strip():
            return
        try:
            json.loads(text)
        except ValueError:
            snippet = " ".join(text.split())[:60]
            raise ccxt.BadResponse(f"{self.exchange.id} {what}: the reply is not JSON: {snippet!r}") from None

    def _has(self, capability: str) -> bool:
        value = (self.exchange.has or {}).get(capability)
        return value is True or value == "emulated"

    # --- reads ------------------------------------------------------------------------------------
    async def read(self) -> AccountSnapshot:
        """One read of positions, balance, tiers (and market data); failures show in ``feeds``."""
        await self._guarded("positions", self._load_markets_and_positions)
        symbols = sorted({p["symbol"] for p in self._positions_raw})
        settles = sorted({self._market_of(s).get("settle") or self.adapter.default_settle for s in symbols})
        await self._guarded("balance", lambda: self._read_balances(settles))
        await self._read_collateral()
        missing = self.tier_cache.missing(self.adapter.id, symbols)
        if missing:
            await self._guarded("tiers", lambda: self._read_tiers(missing))
        if self.read_market and symbols:
            await self.read_market_data(symbols)
        return self._snapshot()

    @property
    def held_symbols(self) -> list[str]:
        """Symbols of the positions of the last successful positions read."""
        return sorted({p["symbol"] for p in self._positions_raw})

    def market_of(self, symbol: str) -> Mapping[str, Any]:
        """The ccxt market of ``symbol`` (empty if unknown)."""
        return self._market_of(symbol)

    async def _load_markets_and_positions(self) -> None:
        await self.exchange.load_markets()
        seen: dict[tuple[Any, ...], Mapping[str, Any]] = {}
        unreadable: list[str] = []
        for params in self.adapter.position_requests():
            positions = await self.exchange.fetch_positions(None, params)
            self._require_json("positions")
            # an empty/null/partial reply must be an error, never "no positions" (issue #10)
            check_positions_reply(self.adapter.id, self.exchange.last_http_response)
            if not isinstance(positions, list):
                raise ccxt.BadResponse(f"{self.adapter.id} positions: not a list")
            for position in positions:
                if isinstance(position, Mapping) and is_flat(position):
                    continue
                market = (
                    self._market_of(position.get("symbol") or "") if isinstance(position, Mapping) else {}
                )
                problem = position_problem(position, market, self.adapter.id)
                if problem is not None:
                    unreadable.append(problem)
                    continue
                info = position.get("info") or {}
                # the same position can come back from several requests (Bybit); distinct ones share a
                # symbol and side only across margin modes (OKX cross and isolated) or position ids
                key = (
                    position["symbol"],
                    position.get("side"),
                    self.adapter.margin_mode(position, self._account_mode),
                    position.get("id") or str(info.get("positionIdx", "")),
                )
                seen[key] = position
        if unreadable:  # a book with an unreadable position is unknown, not smaller
            unreadable = list(dict.fromkeys(unreadable))  # several requests can return the same entry
            raise ccxt.BadResponse(
                f"{self.adapter.id} positions: {len(unreadable)} unreadable: {'; '.join(unreadable)}"
            )
        self._positions_raw = list(seen.values())
        await self._refresh_account_mode()

    async def _refresh_account_mode(self) -> None:
        """Account-wide margin mode (Bybit unified accounts), re-read every ``ACCOUNT_MODE_TTL`` seconds.

        A failed lookup keeps the previous value and is reported in the snapshot's ``problems``."""
        now = self._clock()
        if self._account_mode_at is not None and now - self._account_mode_at < ACCOUNT_MODE_TTL:
            return
        symbols = sorted({p["symbol"] for p in self._positions_raw})
        try:
            self._account_mode = await self.adapter.account_margin_mode(self.exchange, symbols)
            self._account_mode_at = now
            self._account_mode_problem = None
        except Exception as error:  # the positions are still shown, with the per-position mode
            self._account_mode_problem = f"account margin mode unknown ({describe(error)})"

    async def _read_balances(self, settles: Sequence[str]) -> None:
        balances = []
        for params in self.adapter.balance_requests(settles):
            balances.append(await self.exchange.fetch_balance(params))
            self._require_json("balance")
        self._balances_raw = balances

    def _mode_info(self) -> MarginModeInfo:
        return self.adapter.margin_mode_info(
            self._balances_raw, self._account_mode, self._positions_raw, self.exchange.options or {}
        )

    async def _read_collateral(self) -> None:
        """Collateral ratio tiers of a pooled account, re-read every ``COLLATERAL_TTL`` seconds; a failed
        read keeps the previous tiers, or (none yet) shows the venue's figures, and is a problem."""
        if not self._mode_info().pooled:
            return
        now = self._clock()
        if self._collateral_at is not None and now - self._collateral_at < COLLATERAL_TTL:
            return
        try:
            self._collateral_tiers = await self.adapter.fetch_collateral_tiers(
                self.exchange, self._balances_raw
            )
            self._collateral_at = now
            self._collateral_problem = None
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the account is still shown, with the venue's figures
            self._collateral_problem = f"collateral ratios unavailable ({describe(error)})"

    def _apply_margin_mode(
        self, accounts: list[Account], problems: list[str], info: MarginModeInfo
    ) -> list[Account]:
        """Pool the settle currencies, or mark the accounts for the venue's own figures."""
        if info.pooled and self._collateral_tiers is not None:
            assets, prices = self.adapter.collateral(self._balances_raw, self._collateral_tiers)
            try:
                pooled = pool(accounts, assets, prices, haircut_on_pnl=info.haircut_on_pnl)
            except ValueError as error:
                problems.append(f"pooled margin: {error}")
            else:
                return [replace(a, margin_mode=info.label) for a in pooled.accounts]
        if info.pooled or info.venue_figures:
            return [
                replace(
                    a, margin_mode=info.label, venue_figures=True, venue_margin_ratio=info.venue_margin_ratio
                )
                for a in accounts
            ]
        return accounts

    async def _read_tiers(self, symbols: Sequence[str]) -> None:
        fetched = await self.adapter.fetch_tiers(self.exchange, symbols)
        for symbol, (tiers, raw) in fetched.items():
            self.tier_cache.put(self.adapter.id, symbol, tiers, raw)
        absent = [s for s in symbols if s not in fetched]
        if absent:
            raise ValueError(f"the venue returned no tiers for {', '.join(absent)}")

    async def read_market_data(self, symbols: Sequence[str]) -> dict[str, MarketData]:
        """Mark/index, funding, open interest, depth (and public liquidations where the venue has a REST
        feed) for ``symbols``; each is its own feed with its own status. Returns the merged latest data."""
        symbols = list(symbols)
        data: dict[str, dict[str, Any]] = {s: {} for s in symbols}

        async def funding() -> None:
            rates = await self.exchange.fetch_funding_rates(symbols)
            for symbol, rate in rates.items():
                if symbol in data:
                    data[symbol].update(
                        mark_price=positive(rate.get("markPrice")),
                        index_price=positive(rate.get("indexPrice")),
                        funding_rate=number(rate.get("fundingRate")),
                        next_funding_time=rate.get("fundingTimestamp") or rate.get("nextFundingTimestamp"),
                    )

        async def marks() -> None:
            tickers = await self.exchange.fetch_mark_prices(symbols)
            for symbol, ticker in tickers.items():
                if symbol in data:
                    data[symbol]["mark_price"] = positive(ticker.get("markPrice")) or data[symbol].get(
                        "mark_price"
                    )
                    data[symbol]["index_price"] = positive(ticker.get("indexPrice")) or data[symbol].get(
                        "index_price"
                    )

        async def open_interest() -> None:
            if self._has("fetchOpenInterests"):
                interests = await self.exchange.fetch_open_interests(symbols)
            else:
                interests = {s: await self.exchange.fetch_open_interest(s) for s in symbols}
            for symbol, oi in interests.items():
                if symbol in data and oi:
                    data[symbol]["open_interest_amount"] = number(oi.get("openInterestAmount"))
                    data[symbol]["open_interest_value"] = number(oi.get("openInterestValue"))

        async def order_books() -> None:
            for symbol in symbols:
                book = await self.exchange.fetch_order_book(symbol, ORDER_BOOK_LIMIT)
                data[symbol].update(book_depth(book, self._market_of(symbol)))

        async def liquidations() -> None:
            found: list[Mapping[str, Any]] = []
            for symbol in symbols:
                found.extend(await self.exchange.fetch_liquidations(symbol, None, 100))
            self._liquidations = tuple(found)

        plan: list[tuple[str, str, Callable[[], Awaitable[None]]]] = [
            ("funding", "fetchFundingRates", funding),
            ("mark", "fetchMarkPrices", marks),
            ("open_interest", "fetchOpenInterest", open_interest),
            ("order_book", "fetchOrderBook", order_books),
            ("liquidations", "fetchLiquidations", liquidations),
        ]
        for feed, capability, call in plan:
            if feed == "open_interest" and self._has("fetchOpenInterests"):
                capability = "fetchOpenInterests"
            if not self._has(capability):
                reason = (
                    "public liquidations only as a websocket stream (watch_liquidations)"
                    if feed == "liquidations" and self._has_ws_liquidations()
                    else f"{self.adapter.label} has no {capability} in ccxt"
                )
                self.feeds[feed] = self.feeds[feed].unsupported(reason)
                continue
            await self._guarded(feed, call)
        for symbol, values in data.items():
            if values:
                fresh = {k: v for k, v in values.items() if v is not None}
                merged = {**_as_dict(self._market.get(symbol)), **fresh}
                self._market[symbol] = MarketData(symbol=symbol, **merged)
        return {s: self._market[s] for s in symbols if s in self._market}

    def _has_ws_liquidations(self) -> bool:
        return self.adapter.id in ("binanceusdm", "binancecoinm", "bybit", "okx")

    # --- normalisation ----------------------------------------------------------------------------
    def _market_of(self, symbol: str) -> Mapping[str, Any]:
        markets = self.exchange.markets or {}
        return markets.get(symbol) or {}

    def _snapshot(self) -> AccountSnapshot:
        problems: list[str] = [p for p in (self._account_mode_problem, self._collateral_problem) if p]
        records: list[PositionRecord] = []
        for raw in self._positions_raw:
            record = self._normalise(raw, problems)
            if record is not None:
                records.append(record)
        accounts: list[Account] = []
        settles = {r.settle for r in records}
        if self._balances_raw:
            settles.add(self.adapter.default_settle)
        for settle in sorted(settles):
            held = [r.position for r in records if r.settle == settle]
            isolated = sum(p.collateral or 0.0 for p in held if p.margin_mode == "isolated")
            wallet = self.adapter.wallet_balance(self._balances_raw, settle, isolated)
            if wallet is None:
                if held:
                    problems.append(f"{settle}: no wallet balance in the balance payload")
                continue
            try:
                accounts.append(Account(self.adapter.id, wallet, tuple(held), settle))
            except ValueError as error:
                problems.append(f"{settle}: {error}")
        info = self._mode_info()
        accounts = self._apply_margin_mode(accounts, problems, info)
        return AccountSnapshot(
            venue=self.adapter.id,
            accounts=tuple(accounts),
            positions=tuple(records),
            balances_raw=tuple(self._balances_raw),
            feeds=dict(self.feeds),
            market=dict(self._market),
            liquidations=self._liquidations,
            problems=tuple(problems),
            taken_at=self._clock(),
            margin_mode=info,
        )

    def _normalise(self, raw: Mapping[str, Any], problems: list[str]) -> PositionRecord | None:
        symbol = raw["symbol"]
        market = self._market_of(symbol)
        entry = self.tier_cache.get_stale(self.adapter.id, symbol)
        margin_mode = self.adapter.margin_mode(raw, self._account_mode)
        mark = positive(raw.get("markPrice"))
        if mark is None and symbol in self._market:
            mark = self._market[symbol].mark_price
        try:
            instrument = Instrument(
                symbol=symbol,
                venue=self.adapter.id,
                contract_size=positive(market.get("contractSize") or raw.get("contractSize")) or 1.0,
                inverse=bool(market.get("inverse")),
                tiers=entry.tiers if entry else (),
                taker_fee_rate=number(market.get("taker")) or 0.0,
            )
            position = Position(
                instrument=instrument,
                side=str(raw.get("side")),
                contracts=number(raw.get("contracts")) or 0.0,
                entry_price=positive(raw.get("entryPrice")) or 0.0,
                mark_price=mark or 0.0,
                margin_mode=margin_mode,
                collateral=self.adapter.isolated_collateral(raw) if margin_mode == "isolated" else None,
                leverage=positive(raw.get("leverage")),
                venue_liquidation_price=positive(raw.get("liquidationPrice")),
                adl_rank=self.adapter.adl_rank(raw),
                venue_mark_price=positive(raw.get("markPrice")),
            )
        except ValueError as error:
            problems.append(f"{symbol}: {error}")
            return None
        settle = market.get("settle") or self.adapter.default_settle
        return PositionRecord(position=position, settle=settle, raw=raw)


def book_depth(
    book: Mapping[str, Any], market: Mapping[str, Any], band: float = DEPTH_BAND
) -> dict[str, float]:
    """Bid and ask depth within ``band`` of mid: quote notional (linear) or USD (inverse)."""
    bids = book.get("bids") or []
    asks = book.get("asks") or []
    if not bids or not asks:
        return {}
    mid = (float(bids[0][0]) + float(asks[0][0])) / 2.0
    size = positive(market.get("contractSize")) or 1.0
    inverse = bool(market.get("inverse"))

    def notional(levels: Sequence[Sequence[float]], inside: Callable[[float], bool]) -> float:
        total = 0.0
        for level in levels:
            price, amount = float(level[0]), float(level[1])
            if inside(price):
                total += amount * size if inverse else amount * size * price
        return total

    return {
        "bid_depth": notional(bids, lambda p: p >= mid * (1.0 - band)),
        "ask_depth": notional(asks, lambda p: p <= mid * (1.0 + band)),
    }


def _as_dict(data: MarketData | None) -> dict[str, Any]:
    if data is None:
        return {}
    return {name: getattr(data, name) for name in MarketData.__slots__ if name != "symbol"}


async def read_account(exchange: Any) -> Account:
    """Read a configured ``ccxt.async_support`` exchange into one :class:`risk.Account`.

    Markets may be preset with ``set_markets``; otherwise they are loaded. All calls go through
    :class:`ReadOnlyExchange`. When positions span several settle currencies, the account of the settle
    currency with the most positions is returned (ties: the venue's default, e.g. USDT); use
    :class:`AccountReader` for all of them. Raises :class:`ExchangeReadError` if positions or balance
    cannot be read. Does not close the exchange.
    """
    reader = AccountReader(exchange, read_market=False)
    snapshot = await reader.read()
    for feed in ("positions", "balance"):
        status = snapshot.feeds[feed]
        if status.state != "ok":
            raise ExchangeReadError(f"{snapshot.venue}: cannot read {feed}: {status.message}")
    if not snapshot.accounts:
        reasons = "; ".join(snapshot.problems) or "no balance"
        raise ExchangeReadError(f"{snapshot.venue}: no account could be built: {reasons}")
    default = reader.adapter.default_settle

    def rank(account: Account) -> tuple[int, int]:
        return (len(account.positions), account.settle_currency == default)

    return max(snapshot.accounts, key=rank)
