"""Immutable snapshots that travel from the engine's loop thread to the widgets.

Everything here is a frozen dataclass (numpy arrays inside are read-only copies), so the GUI thread
can keep a reference while the loop thread builds the next one. Times are wall-clock epoch seconds
(``time.time()``) for feed freshness, and venue/market epoch seconds for market series (the demo venue
runs on a simulated clock, so the two differ there).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np

from risk import Account, AccountRisk, StressResult


class Severity(IntEnum):
    """How bad a row, account or feed is; the order is used for sorting and colouring."""

    OK = 0
    INFO = 1
    WARNING = 2
    CRITICAL = 3


@dataclass(frozen=True, slots=True)
class MarketTick:
    """One market observation of one symbol, as a reader returns it.

    Prices in quote currency per base unit; ``funding_rate`` per funding interval (a fraction,
    0.0001 = 0.01 %); ``open_interest`` in base units; liquidation and depth amounts in quote currency
    (USD); ``liq_*_usd`` is the notional liquidated since the previous tick; depth is resting notional
    within +-1 % of mid. Optional fields are ``None`` when the venue does not provide them.
    """

    symbol: str
    timestamp: float
    mark_price: float
    index_price: float | None = None
    funding_rate: float | None = None
    funding_interval_hours: float = 8.0
    open_interest: float | None = None
    liq_long_usd: float | None = None
    liq_short_usd: float | None = None
    bid_depth_1pct_usd: float | None = None
    ask_depth_1pct_usd: float | None = None
    long_short_ratio: float | None = None
    next_funding_time: float | None = None
    """When the next funding is exchanged, epoch seconds on the venue's clock, if known."""
    bid_depth_2pct_usd: float | None = None
    ask_depth_2pct_usd: float | None = None


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """Freshness and error state of one feed (an account's positions or a market stream).

    ``last_update`` is the wall-clock epoch second of the last successful read (``None`` before the
    first); ``expected_interval`` the seconds between reads the feed promises. A feed is stale when it
    is older than :data:`STALE_FACTOR` times that interval.
    """

    feed_id: str
    label: str
    expected_interval: float
    last_update: float | None = None
    error: str | None = None
    consecutive_errors: int = 0
    started_at: float = 0.0
    connected: bool | None = None
    """A stream's transport state (``None`` for a polled feed: judged by its errors)."""
    reconnects: int = 0
    """How often a stream reconnected since start (0 for a polled feed)."""

    def age(self, now: float) -> float | None:
        """Seconds since the last successful read, ``None`` if there was none."""
        return None if self.last_update is None else max(0.0, now - self.last_update)

    def is_stale(self, now: float) -> bool:
        """True when the feed is older than its promise (or never delivered within that time)."""
        limit = STALE_FACTOR * self.expected_interval
        reference = self.last_update if self.last_update is not None else self.started_at
        return now - reference > limit


STALE_FACTOR = 3.0
"""A feed is stale after this many missed intervals (one missed poll is normal jitter)."""


@dataclass(frozen=True, slots=True)
class StopView:
    """A suggested stop as the table and the detail panel show it.

    ``price`` is the trigger price (quote per base unit), ``None`` when no stop fits; ``binding`` the
    rule that decides it. The reasons are ``given_reasons``, or, with ``batch`` (a
    :class:`risk.stops.StopBatch`, read-only), worded on demand from row ``index`` of it: wording is
    the slow part of the stop suggester, so only rows someone looks at pay for it.
    """

    price: float | None
    binding: str
    given_reasons: tuple[str, ...] = ()
    batch: Any = None
    index: int = 0

    @property
    def reasons(self) -> tuple[str, ...]:
        if self.batch is None:
            return self.given_reasons
        return tuple(self.batch.suggestion(self.index).reasons)


class PositionScreen(NamedTuple):
    """What exchange position screens show, for one row; money in the settle currency, ``None`` = n/a.

    ``venue_gap``: |computed - venue liquidation price| as a share of the distance from the mark to the
    venue's; ``initial_margin``: isolated margin, or notional / leverage in cross; ``roe``: unrealised
    PnL / initial margin; ``adl_rank``: the venue's ADL rank on its own scale (Binance 0-4, Bybit 0-5, OKX
    1-5; higher = front of the queue); ``funding_8h``: estimated funding over the next 8 h at the latest
    rate (+ = received); ``next_funding_in``: seconds from the latest tick to the next funding exchange;
    ``next_funding_payment``: its estimated payment; ``flags``: :class:`risk.position_flags.PositionFlag`
    warnings (venue gap, ADL).
    """

    venue_gap: float | None = None
    notional: float | None = None
    initial_margin: float | None = None
    maintenance_margin: float | None = None
    roe: float | None = None
    adl_rank: int | None = None
    funding_8h: float | None = None
    next_funding_in: float | None = None
    next_funding_payment: float | None = None
    flags: tuple[Any, ...] = ()


EMPTY_SCREEN = PositionScreen()


@dataclass(frozen=True, slots=True)
class PositionRow:
    """One row of the positions table; prices in quote currency, money in the settle currency.

    ``distance`` is a fraction of the mark (positive = safe side), ``sigma_distance`` the same move in
    units of the 24 h volatility, ``touch_probability`` the probability that the mark touches the
    liquidation price within 24 h. ``None`` means "not available" (shown as a dash).
    """

    account_id: str
    account_label: str
    venue: str
    symbol: str
    side: str
    margin_mode: str
    contracts: float
    size: float
    entry_price: float
    mark_price: float
    liquidation_price: float | None
    venue_liquidation_price: float | None
    distance: float | None
    sigma_distance: float | None
    touch_probability: float | None
    margin_ratio: float
    stop: StopView | None
    unrealized_pnl: float
    settle_currency: str
    leverage: float | None
    severity: Severity
    screen: PositionScreen = field(default_factory=lambda: EMPTY_SCREEN)
    """What exchange position screens show beyond the risk figures (see :class:`PositionScreen`)."""

    # The screen's fields read as the row's own (one tuple keeps building 10,000 rows cheap).
    venue_gap = property(lambda self: self.screen.venue_gap)
    notional = property(lambda self: self.screen.notional)
    initial_margin = property(lambda self: self.screen.initial_margin)
    maintenance_margin = property(lambda self: self.screen.maintenance_margin)
    roe = property(lambda self: self.screen.roe)
    adl_rank = property(lambda self: self.screen.adl_rank)
    funding_8h = property(lambda self: self.screen.funding_8h)
    next_funding_in = property(lambda self: self.screen.next_funding_in)
    next_funding_payment = property(lambda self: self.screen.next_funding_payment)
    flags = property(lambda self: self.screen.flags)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the row across snapshots."""
        return (self.account_id, self.symbol, self.side)


@dataclass(frozen=True, slots=True)
class AccountSnapshot:
    """One account's state: its input, the risk result, its table rows and its feed."""

    account_id: str
    label: str
    venue: str
    feed: FeedStatus
    account: Account | None = None
    risk: AccountRisk | None = None
    stress: StressResult | None = None
    rows: tuple[PositionRow, ...] = ()
    severity: Severity = Severity.OK
    funding_24h: float | None = None
    """Estimated funding of all positions over the next 24 h at the latest rates (settle currency,
    + = received); ``None`` without any funding rate."""
    funding_paid_24h: float | None = None
    """Funding actually paid (negative) or received over the last 24 h, as the venue booked it (settle
    currency); ``None`` when unknown (not read yet, unsupported venue, or the read failed)."""

    @property
    def margin_ratio(self) -> float | None:
        """The account's margin ratio (maintenance / margin balance; >= 1 liquidates)."""
        return None if self.risk is None else self.risk.margin_ratio

    @property
    def break_move(self) -> float | None:
        """Uniform relative move of every mark that liquidates the cross part (e.g. -0.23)."""
        return None if self.risk is None else self.risk.break_move


@dataclass(frozen=True, slots=True)
class CascadeView:
    """The composite cascade score of one symbol at the latest market time.

    ``score`` is 0..100; ``regime`` one of calm / loaded / firing / exhausting; ``reasons`` are
    human-readable sentences, most important first; ``missing`` lists inputs the score went without.
    """

    score: float
    regime: str
    reasons: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    market: str = ""
    """The underlying the state belongs to (``BTC``): one state for every venue and quote of it."""
    venues: tuple[VenueView, ...] = ()
    """The per-venue breakdown behind the market-wide inputs."""


@dataclass(frozen=True, slots=True)
class VenueView:
    """One venue/quote leg of an underlying's market: mark (quote per base), funding per 8 h (fraction),
    open interest in USD, liquidations since the leg's first tick (USD), depth +-1 % bid + ask (USD);
    ``None`` where the venue does not publish it."""

    name: str
    mark: float | None
    funding_8h: float | None
    open_interest_usd: float | None
    liquidations_usd: float
    depth_usd: float | None


def _frozen(values: np.ndarray) -> np.ndarray:
    array = np.array(values, dtype=np.float64, copy=True)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, slots=True)
class MarketSeries:
    """History of one symbol's market data, oldest first, all arrays of the same length.

    ``times`` in market epoch seconds; ``funding`` per 8 h (fraction); ``open_interest`` in base units;
    ``liq_long``/``liq_short`` USD liquidated per sample; ``depth_bid``/``depth_ask`` USD within +-1 %;
    ``basis`` (mark - index)/index; ``score`` the composite cascade score (NaN before it exists).
    Missing values are NaN.
    """

    symbol: str
    times: np.ndarray
    mark: np.ndarray
    funding: np.ndarray
    open_interest: np.ndarray
    liq_long: np.ndarray
    liq_short: np.ndarray
    depth_bid: np.ndarray
    depth_ask: np.ndarray
    basis: np.ndarray
    score: np.ndarray
    cascade: CascadeView | None = None
    liquidation_map: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    """Estimated resting liquidations: (price bin centres, long USD, short USD per bin), or ``None``."""
    volatility_24h: float | None = None
    """Realised volatility of the mark over 24 h (fraction, e.g. 0.03 = 3 %), if known."""
    next_funding_time: float | None = None
    """The latest tick's next funding time (venue epoch seconds), if known."""
    funding_interval_hours: float = 8.0
    """The latest tick's funding interval (``funding`` above is scaled to 8 h whatever it is)."""

    @classmethod
    def from_arrays(
        cls, symbol: str, **arrays: np.ndarray | CascadeView | tuple | float | None
    ) -> MarketSeries:
        """Build a series from (possibly mutable) arrays, copying and freezing each."""
        names = ("times", "mark", "funding", "open_interest", "liq_long", "liq_short")
        names += ("depth_bid", "depth_ask", "basis", "score")
        frozen = {name: _frozen(arrays[name]) for name in names}  # type: ignore[arg-type]
        extras = {k: v for k, v in arrays.items() if k not in names}
        return cls(symbol=symbol, **frozen, **extras)  # type: ignore[arg-type]

    @property
    def last_mark(self) -> float | None:
        return float(self.mark[-1]) if len(self.mark) else None


@dataclass(frozen=True, slots=True)
class EngineSnapshot:
    """Everything the window shows, at one instant.

    ``wall_time`` is ``time.time()`` when the snapshot was built; ``market_time`` the venue's clock
    (simulated for the demo). ``sequence`` increases by one per snapshot.
    """

    sequence: int
    wall_time: float
    market_time: float
    accounts: tuple[AccountSnapshot, ...] = ()
    markets: dict[str, MarketSeries] = field(default_factory=dict)
    feeds: tuple[FeedStatus, ...] = ()
    demo: DemoStatus | None = None

    @property
    def rows(self) -> tuple[PositionRow, ...]:
        return tuple(row for account in self.accounts for row in account.rows)


@dataclass(frozen=True, slots=True)
class DemoStatus:
    """What the demo toolbar shows: the scenario, the speed (steps per wall second) and where the clock
    is, in rows (steps) of the scenario window."""

    scenario: str
    speed: float
    elapsed_rows: float
    total_rows: float


def fmt_optional(value: float | None, pattern: str = "{:,.2f}") -> str:
    """Format a number, a dash for ``None``/NaN."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return pattern.format(value)
