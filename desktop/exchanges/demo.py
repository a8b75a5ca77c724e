"""The demo venue: two demo accounts and a market replaying a cascade scenario, no network, no keys.

:class:`DemoVenue` owns the scenario clock (simulated seconds advance at ``speed`` times wall time)
and the market path; :class:`DemoMarketReader` and :class:`DemoAccountReader` implement the same
reader interface as real accounts (:mod:`desktop.engine.feeds`), so everything downstream runs for real.
All methods run on the engine's loop thread; the GUI changes speed or scenario through
``Engine.call_soon``.

The venue liquidates like a real one: an isolated position whose margin ratio reaches 1 is closed
and its collateral lost; a cross account whose ratio reaches 1 loses all its cross positions. Each
forced close is kept as a :class:`risk.position_events.LiquidationRecord` (scenario time, mark, size,
realised loss), which :meth:`DemoAccountReader.fetch_liquidations` returns as a venue's liquidation
history would.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import risk
from desktop.engine.snapshots import DemoStatus, MarketTick
from desktop.exchanges.demo_market import SCENARIOS, MarketPath, market_path
from risk import Account, Instrument, MarginTier, Position
from risk.position_events import LiquidationRecord
from risk.tiers import hyperliquid_tiers

SPEEDS: tuple[float, ...] = (1.0, 10.0, 60.0)
DEFAULT_SPEED = 10.0


def _tiers(rows: Sequence[tuple[float, float, float, float, float]]) -> tuple[MarginTier, ...]:
    return tuple(MarginTier(lo, hi, rate, cum, lev) for lo, hi, rate, cum, lev in rows)


# Binance USD-M brackets (floor, cap, maintenance rate, cum, max leverage), October 2025, as listed in
# docs/exchange-margin-rules.md §2.5 (BTC and ETH); SOL from Binance's published SOLUSDT brackets.
_BINANCE_BTC = _tiers(
    [
        (0, 300e3, 0.004, 0, 150),
        (300e3, 800e3, 0.005, 300, 100),
        (800e3, 3e6, 0.0065, 1_500, 75),
        (3e6, 12e6, 0.01, 12_000, 50),
        (12e6, 70e6, 0.02, 132_000, 25),
    ]
)
_BINANCE_ETH = _tiers(
    [
        (0, 300e3, 0.004, 0, 150),
        (300e3, 800e3, 0.005, 300, 100),
        (800e3, 3e6, 0.0065, 1_500, 75),
        (3e6, 12e6, 0.01, 12_000, 50),
        (12e6, 50e6, 0.02, 132_000, 25),
    ]
)
_BINANCE_SOL = _tiers(
    [
        (0, 50e3, 0.005, 0, 100),
        (50e3, 400e3, 0.0065, 75, 75),
        (400e3, 1e6, 0.01, 1_475, 50),
        (1e6, 4e6, 0.02, 11_475, 25),
    ]
)
# Hyperliquid mainnet margin tables (lower bound USDC, max leverage); docs/exchange-margin-rules.md §8.1.
_HL_BTC = hyperliquid_tiers([(0, 40), (150e6, 20)])
_HL_ETH = hyperliquid_tiers([(0, 25), (100e6, 15)])
_HL_SOL = hyperliquid_tiers([(0, 20), (70e6, 10)])


def next_funding_boundary(timestamp: float, interval_hours: float) -> float:
    """The next UTC multiple of the funding interval strictly after ``timestamp`` (epoch seconds)."""
    step = interval_hours * 3600.0
    return (math.floor(timestamp / step) + 1) * step


def venue_rounding(venue: str, price: float | None) -> float | None:
    """A liquidation price as the venue prints it: Hyperliquid 5 significant figures, others 8 decimals."""
    if price is None:
        return None
    if venue == "hyperliquid":
        return float(f"{price:.5g}")
    return round(price, 8)


@dataclass(frozen=True, slots=True)
class DemoSymbol:
    """How a demo symbol follows the base path: ``price = start * (base / base_start) ** beta``.

    ``scale`` multiplies the base symbol's USD amounts (liquidations, depth) for this market;
    ``oi_coins`` is the open interest in base units at the start.
    """

    symbol: str
    start_price: float
    beta: float
    scale: float
    oi_coins: float
    funding_interval_hours: float = 8.0


DEMO_SYMBOLS: tuple[DemoSymbol, ...] = (
    DemoSymbol("BTC/USDT:USDT", 0.0, 1.0, 1.0, 0.0),  # the base path itself
    DemoSymbol("ETH/USDT:USDT", 4_360.0, 1.3, 0.55, 2_300_000.0),
    DemoSymbol("SOL/USDT:USDT", 218.0, 1.55, 0.2, 9_000_000.0),
    DemoSymbol("BTC/USDC:USDC", 0.0, 1.0, 0.15, 0.0, funding_interval_hours=1.0),
    DemoSymbol("ETH/USDC:USDC", 4_360.0, 1.3, 0.1, 450_000.0, funding_interval_hours=1.0),
    DemoSymbol("SOL/USDC:USDC", 218.0, 1.55, 0.05, 2_000_000.0, funding_interval_hours=1.0),
)


@dataclass(frozen=True, slots=True)
class DemoPosition:
    """A position of a demo account, sized relative to the market when the demo clock opens.

    ``notional`` in USD at the opening mark; ``entry_factor`` places the entry relative to that mark
    (0.98 = opened 2 % lower); ``collateral`` in the settle currency (isolated only).
    """

    instrument: Instrument
    side: str
    notional: float
    entry_factor: float
    margin_mode: str
    collateral: float | None = None
    leverage: float | None = None


@dataclass(frozen=True, slots=True)
class DemoAccountSpec:
    account_id: str
    label: str
    venue: str
    wallet_balance: float
    settle_currency: str
    positions: tuple[DemoPosition, ...]


def demo_accounts() -> tuple[DemoAccountSpec, ...]:
    """The demo's accounts: a Binance USD-M cross book and a Hyperliquid isolated one, mixed long/short.

    Sized so that when the clock opens the Hyperliquid BTC long is about 5 % from liquidation (it does
    not survive the Oct 10 cascade) and the Binance account's margin ratio climbs towards 100 % at the
    bottom of the cascade, while the shorts profit.
    """

    def binance(symbol: str, tiers: tuple[MarginTier, ...]) -> Instrument:
        return Instrument(symbol, "binanceusdm", tiers=tiers, taker_fee_rate=0.0005)

    def hyperliquid(symbol: str, tiers: tuple[MarginTier, ...]) -> Instrument:
        return Instrument(symbol, "hyperliquid", tiers=tiers, taker_fee_rate=0.00045)

    btc, eth, sol = (
        binance("BTC/USDT:USDT", _BINANCE_BTC),
        binance("ETH/USDT:USDT", _BINANCE_ETH),
        binance("SOL/USDT:USDT", _BINANCE_SOL),
    )
    hl_btc, hl_eth, hl_sol = (
        hyperliquid("BTC/USDC:USDC", _HL_BTC),
        hyperliquid("ETH/USDC:USDC", _HL_ETH),
        hyperliquid("SOL/USDC:USDC", _HL_SOL),
    )
    return (
        DemoAccountSpec(
            "demo-binance",
            "Binance USD-M · cross",
            "binanceusdm",
            18_000.0,
            "USDT",
            (
                DemoPosition(btc, "long", 190_000.0, 0.98, "cross", leverage=10),
                DemoPosition(eth, "long", 120_000.0, 0.99, "cross", leverage=10),
                DemoPosition(sol, "short", 90_000.0, 1.02, "cross", leverage=10),
            ),
        ),
        DemoAccountSpec(
            "demo-hyperliquid",
            "Hyperliquid · isolated",
            "hyperliquid",
            6_000.0,
            "USDC",
            (
                DemoPosition(hl_btc, "long", 240_000.0, 1.0, "isolated", 14_500.0, 17),
                DemoPosition(hl_eth, "short", 130_000.0, 1.01, "isolated", 20_000.0, 7),
                DemoPosition(hl_sol, "long", 110_000.0, 0.985, "isolated", 13_000.0, 9),
            ),
        ),
    )


class DemoVenue:
    """The scenario clock and market shared by every demo reader (loop thread only).

    ``clock`` returns wall seconds (monotonic); the scenario advances ``speed`` steps (of
    ``MarketPath.step_seconds`` scenario seconds each) per wall second. ``history_rows`` overrides how
    many steps are already behind the clock when it opens (default: the scenario window's).
    """

    def __init__(
        self,
        scenario: str = "oct-10-2025",
        speed: float = DEFAULT_SPEED,
        clock: Callable[[], float] = time.monotonic,
        history_rows: int | None = None,
    ) -> None:
        self._clock = clock
        self._history_rows = history_rows
        self.speed = speed
        self.scenario = scenario
        self.accounts: dict[str, Account] = {}
        self.liquidations: list[str] = []
        self.liquidation_records: dict[str, list[LiquidationRecord]] = {}
        """Per account id: the forced closes so far, oldest first."""
        self.reset(scenario)

    # ---- control (called through Engine.call_soon) --------------------------------------
    def reset(self, scenario: str) -> None:
        """Start ``scenario`` from the beginning with fresh demo accounts."""
        if scenario not in SCENARIOS:
            raise ValueError(f"scenario: unknown {scenario!r}; known: {', '.join(SCENARIOS)}")
        self.scenario = scenario
        self.path: MarketPath = market_path(scenario)
        history = self.path.history_rows if self._history_rows is None else self._history_rows
        self._elapsed = float(history)
        self._emitted = 0  # rows of the path already returned as ticks
        self._last_wall = self._clock()
        self.liquidations = []
        self.liquidation_records = {}
        self._prices = self._symbol_prices()
        self.accounts = {spec.account_id: self._open(spec) for spec in demo_accounts()}
        self.funding_ledger: dict[str, list[tuple[float, float]]] = {a: [] for a in self.accounts}
        """Per account id: (funding time in epoch seconds, amount in settle currency, + = received)."""
        self._funded_at = {a: self._scenario_seconds() for a in self.accounts}

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed!r}")
        self._advance()
        self.speed = float(speed)

    def advance_by(self, steps: float) -> None:
        """Move the scenario clock forward by ``steps`` rows of the path (tests, screenshots)."""
        self._advance()
        self._elapsed = min(self._elapsed + steps, float(self.path.rows - 1))

    def status(self) -> DemoStatus:
        return DemoStatus(self.scenario, self.speed, self._elapsed, float(self.path.rows))

    # ---- market ---------------------------------------------------------------------------
    def _advance(self) -> None:
        now = self._clock()
        self._elapsed = min(self._elapsed + (now - self._last_wall) * self.speed, float(self.path.rows - 1))
        self._last_wall = now

    @property
    def row(self) -> int:
        """Index of the path's current row."""
        return int(self._elapsed)

    def _symbol_prices(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        base_mark, base_index = self.path.mark, self.path.index
        prices: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for sym in DEMO_SYMBOLS:
            if sym.beta == 1.0 and sym.start_price == 0.0:
                prices[sym.symbol] = (base_mark, base_index)
                continue
            ratio_mark = (base_mark / base_index[0]) ** sym.beta
            ratio_index = (base_index / base_index[0]) ** sym.beta
            prices[sym.symbol] = (sym.start_price * ratio_mark, sym.start_price * ratio_index)
        return prices

    def mark(self, symbol: str) -> float:
        return float(self._prices[symbol][0][self.row])

    def new_ticks(self) -> list[MarketTick]:
        """Ticks for every row since the previous call, for every symbol, oldest first."""
        self._advance()
        end = self.row + 1
        start = self._emitted
        self._emitted = end
        path = self.path
        ticks: list[MarketTick] = []
        for i in range(start, end):
            timestamp = path.start + i * path.step_seconds
            for sym in DEMO_SYMBOLS:
                mark, index = self._prices[sym.symbol]
                oi = (
                    path.open_interest[i]
                    if sym.oi_coins == 0.0
                    else (sym.oi_coins * path.open_interest[i] / path.open_interest[0])
                )
                ticks.append(
                    MarketTick(
                        symbol=sym.symbol,
                        timestamp=timestamp,
                        mark_price=float(mark[i]),
                        index_price=float(index[i]),
                        funding_rate=float(path.funding[i]) * sym.funding_interval_hours / 8.0,
                        funding_interval_hours=sym.funding_interval_hours,
                        # funding is exchanged on the interval's UTC boundaries, as on the venues
                        next_funding_time=next_funding_boundary(timestamp, sym.funding_interval_hours),
                        open_interest=float(oi * sym.scale) if sym.oi_coins == 0.0 else float(oi),
                        liq_long_usd=float(path.liq_long[i] * sym.scale),
                        liq_short_usd=float(path.liq_short[i] * sym.scale),
                        bid_depth_1pct_usd=float(path.depth_bid[i] * sym.scale),
                        ask_depth_1pct_usd=float(path.depth_ask[i] * sym.scale),
                        long_short_ratio=float(path.long_short_ratio[i]),
                    )
                )
        return ticks

    # ---- accounts ---------------------------------------------------------------------------
    def _position(self, spec: DemoPosition) -> Position:
        mark = self.mark(spec.instrument.symbol)
        contracts = float(f"{spec.notional / mark / spec.instrument.contract_size:.3g}")
        return Position(
            instrument=spec.instrument,
            side=spec.side,
            contracts=contracts,
            entry_price=float(f"{mark * spec.entry_factor:.5g}"),
            mark_price=mark,
            margin_mode=spec.margin_mode,
            collateral=spec.collateral,
            leverage=spec.leverage,
        )

    def _open(self, spec: DemoAccountSpec) -> Account:
        positions = tuple(self._position(p) for p in spec.positions)
        return Account(spec.venue, spec.wallet_balance, positions, spec.settle_currency)

    def read(self, account_id: str) -> Account:
        """The account at the current marks, after the venue's own liquidations."""
        self._advance()
        account = self.accounts[account_id]
        positions = tuple(
            dataclasses.replace(p, mark_price=self.mark(p.instrument.symbol)) for p in account.positions
        )
        account = dataclasses.replace(account, positions=positions)
        self._accrue_funding(account_id, account)
        account = self._liquidate(account, account_id)
        self.accounts[account_id] = account
        return self._with_venue_liquidation_prices(account)

    @staticmethod
    def _with_venue_liquidation_prices(account: Account) -> Account:
        """The account as a venue reports it: each position with the venue's own liquidation price, in the
        venue's rounding (Binance ``positionRisk.liquidationPrice``: 8 decimals; Hyperliquid
        ``liquidationPx``: 5 significant figures, its price precision), so the computed-vs-venue column is
        never empty in the demo."""
        if not account.positions:
            return account
        result = risk.assess(account)
        positions = tuple(
            dataclasses.replace(
                p,
                venue_liquidation_price=venue_rounding(account.venue, r.liquidation_price),
                venue_mark_price=p.mark_price,
            )
            for p, r in zip(account.positions, result.positions, strict=True)
        )
        return dataclasses.replace(account, positions=positions)

    def _scenario_seconds(self, row: int | None = None) -> float:
        return self.path.start + (self.row if row is None else row) * self.path.step_seconds

    def _accrue_funding(self, account_id: str, account: Account) -> None:
        """Book the funding each held position exchanged at every funding time of its symbol since the
        previous read: ``- side * size * mark * rate`` at that time (a long pays when the rate is
        positive), with the market's per-interval rate (the 8 h path rate x interval / 8)."""
        since, now = self._funded_at.get(account_id, self._scenario_seconds()), self._scenario_seconds()
        self._funded_at[account_id] = now
        specs = {sym.symbol: sym for sym in DEMO_SYMBOLS}
        ledger = self.funding_ledger.setdefault(account_id, [])
        for position in account.positions:
            sym = specs[position.instrument.symbol]
            interval = sym.funding_interval_hours * 3600.0
            boundary = next_funding_boundary(since, sym.funding_interval_hours)
            while boundary <= now:
                row = math.ceil((boundary - self.path.start) / self.path.step_seconds)
                mark = float(self._prices[sym.symbol][0][row])
                rate = float(self.path.funding[row]) * sym.funding_interval_hours / 8.0
                size = position.contracts * position.instrument.contract_size
                value = size / mark if position.instrument.inverse else size * mark
                sign = 1.0 if position.side == "long" else -1.0
                ledger.append((boundary, -sign * value * rate))
                boundary += interval

    def funding_paid_24h(self, account_id: str) -> float:
        """Funding booked over the 24 h before the scenario clock (settle currency, negative = paid)."""
        after = self._scenario_seconds() - 86_400.0
        return sum((amount for at, amount in self.funding_ledger.get(account_id, []) if at > after), 0.0)

    def scenario_time_ms(self) -> int:
        """The scenario clock now, epoch milliseconds."""
        return round((self.path.start + self.row * self.path.step_seconds) * 1000)

    def _liquidate(self, account: Account, account_id: str = "") -> Account:
        if not account.positions:
            return account
        result = risk.assess(account)
        keep: list[Position] = []
        wallet = account.wallet_balance
        cross_gone = result.maintenance_margin > 0 and result.margin_ratio >= 1.0
        for position, position_risk in zip(account.positions, result.positions, strict=True):
            isolated_gone = position.margin_mode == "isolated" and position_risk.margin_ratio >= 1.0
            if isolated_gone or (position.margin_mode == "cross" and cross_gone):
                self.liquidations.append(f"{account.venue} {position.instrument.symbol} {position.side}")
                self._record(account_id, position, position_risk.unrealized_pnl if cross_gone else None)
                continue
            keep.append(position)
        if cross_gone:
            wallet = max(0.0, result.margin_balance)
        return dataclasses.replace(account, wallet_balance=wallet, positions=tuple(keep))

    def _record(self, account_id: str, position: Position, cross_pnl: float | None) -> None:
        """Keep the venue's record of a forced close: an isolated position loses its collateral, a
        cross one books its PnL at the mark (the wallet becomes the margin balance)."""
        lost = -(position.collateral or 0.0) if cross_pnl is None else cross_pnl
        size = position.contracts * position.instrument.contract_size
        record = LiquidationRecord(
            symbol=position.instrument.symbol,
            side=position.side,
            contracts=position.contracts,
            price=position.mark_price,
            timestamp_ms=self.scenario_time_ms(),
            realized_pnl=lost,
            base_size=size,
        )
        self.liquidation_records.setdefault(account_id, []).append(record)


class DemoMarketReader:
    """Market data of every demo symbol (reader interface of :mod:`desktop.engine.feeds`)."""

    feed_id = "demo-market"
    label = "Demo market"
    venue = "demo"
    poll_interval = 0.25

    def __init__(self, venue: DemoVenue) -> None:
        self._venue = venue

    async def read_market(self) -> Sequence[MarketTick]:
        return self._venue.new_ticks()

    async def close(self) -> None:
        return None


class DemoAccountReader:
    """One demo account (reader interface of :mod:`desktop.engine.feeds`)."""

    poll_interval = 1.0

    def __init__(self, venue: DemoVenue, spec: DemoAccountSpec) -> None:
        self._venue = venue
        self.account_id = spec.account_id
        self.label = spec.label
        self.venue = spec.venue

    async def read_account(self) -> Account:
        return self._venue.read(self.account_id)

    @property
    def funding_paid_24h(self) -> float:
        """Funding this account paid (negative) or received over the last 24 h of the scenario."""
        return self._venue.funding_paid_24h(self.account_id)

    async def fetch_liquidations(
        self, symbol: str | None = None, since_ms: int | None = None
    ) -> list[LiquidationRecord]:
        """The venue's forced closes of this account (optionally of one symbol, at or after ``since_ms``),
        oldest first: what ``fetch_my_liquidations`` gives on a real venue."""
        return [
            r
            for r in self._venue.liquidation_records.get(self.account_id, [])
            if (symbol is None or r.symbol == symbol) and (since_ms is None or r.timestamp_ms >= since_ms)
        ]

    async def close(self) -> None:
        return None


def demo_readers(venue: DemoVenue) -> tuple[list[DemoAccountReader], list[DemoMarketReader]]:
    """The account readers and the market reader of a demo venue."""
    accounts = [DemoAccountReader(venue, spec) for spec in demo_accounts()]
    return accounts, [DemoMarketReader(venue)]
