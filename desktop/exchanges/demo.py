"""The demo venue: two demo accounts and a market replaying a cascade scenario, no network, no keys.

:class:`DemoVenue` owns the scenario clock (simulated seconds advance at ``speed`` times wall time)
and the market path; :class:`DemoMarketReader` and :class:`DemoAccountReader` implement the same
reader interface as real accounts (:mod:`desktop.feeds`), so everything downstream runs for real.
All methods run on the engine's loop thread; the GUI changes speed or scenario through
``Engine.call_soon``.

The venue liquidates like a real one: an isolated position whose margin ratio reaches 1 is closed
and its collateral lost; a cross account whose ratio reaches 1 loses all its cross positions.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import risk
from desktop.exchanges.demo_market import SCENARIOS, MarketPath, market_path
from desktop.snapshots import DemoStatus, MarketTick
from risk import Account, Instrument, MarginTier, Position

SPEEDS: tuple[float, ...] = (1.0, 10.0, 60.0)
DEFAULT_SPEED = 10.0
HISTORY_SECONDS = 900
"""Scenario seconds already behind the clock when the demo opens (the charts start filled)."""


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
# Hyperliquid: maintenance rate = 1 / (2 * max leverage); docs/exchange-margin-rules.md §8.1.
_HL_BTC = _tiers([(0, 150e6, 0.0125, 0, 40), (150e6, math.inf, 0.025, 1_875_000, 20)])
_HL_ETH = _tiers([(0, 100e6, 0.02, 0, 25), (100e6, math.inf, 1 / 30, 1_333_333.33, 15)])
_HL_SOL = _tiers([(0, 70e6, 0.025, 0, 20), (70e6, math.inf, 0.05, 1_750_000, 10)])


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
    """A position of a demo account as opened (its mark is filled in from the market)."""

    instrument: Instrument
    side: str
    contracts: float
    entry_price: float
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
    """The demo's accounts: a Binance USD-M cross book and a Hyperliquid isolated one.

    Sizes are chosen so that at the start one Hyperliquid position is ~5 % from liquidation and the
    Binance account's margin ratio climbs towards 100 % during the Oct 10 cascade.
    """

    def binance(symbol: str, tiers: tuple[MarginTier, ...]) -> Instrument:
        return Instrument(symbol, "binanceusdm", tiers=tiers, taker_fee_rate=0.0005)

    def hyperliquid(symbol: str, tiers: tuple[MarginTier, ...]) -> Instrument:
        return Instrument(symbol, "hyperliquid", tiers=tiers, taker_fee_rate=0.00045)

    return (
        DemoAccountSpec(
            "demo-binance",
            "Binance USD-M · cross",
            "binanceusdm",
            32_000.0,
            "USDT",
            (
                DemoPosition(
                    binance("BTC/USDT:USDT", _BINANCE_BTC), "long", 1.6, 119_200.0, "cross", leverage=10
                ),
                DemoPosition(
                    binance("ETH/USDT:USDT", _BINANCE_ETH), "long", 28.0, 4_310.0, "cross", leverage=10
                ),
                DemoPosition(
                    binance("SOL/USDT:USDT", _BINANCE_SOL), "short", 420.0, 222.5, "cross", leverage=10
                ),
            ),
        ),
        DemoAccountSpec(
            "demo-hyperliquid",
            "Hyperliquid · isolated",
            "hyperliquid",
            6_000.0,
            "USDC",
            (
                DemoPosition(
                    hyperliquid("BTC/USDC:USDC", _HL_BTC), "long", 2.0, 121_400.0, "isolated", 14_500.0, 17
                ),
                DemoPosition(
                    hyperliquid("ETH/USDC:USDC", _HL_ETH), "short", 30.0, 4_420.0, "isolated", 20_000.0, 7
                ),
                DemoPosition(
                    hyperliquid("SOL/USDC:USDC", _HL_SOL), "long", 520.0, 214.0, "isolated", 13_000.0, 9
                ),
            ),
        ),
    )


class DemoVenue:
    """The scenario clock and market shared by every demo reader (loop thread only).

    ``clock`` returns wall seconds (monotonic); simulated time advances by ``speed`` times its change.
    """

    def __init__(
        self,
        scenario: str = "oct-10-2025",
        speed: float = DEFAULT_SPEED,
        clock: Callable[[], float] = time.monotonic,
        history_seconds: int = HISTORY_SECONDS,
    ) -> None:
        self._clock = clock
        self._history_seconds = history_seconds
        self.speed = speed
        self.scenario = scenario
        self.accounts: dict[str, Account] = {}
        self.liquidations: list[str] = []
        self.reset(scenario)

    # ---- control (called through Engine.call_soon) --------------------------------------
    def reset(self, scenario: str) -> None:
        """Start ``scenario`` from the beginning with fresh demo accounts."""
        if scenario not in SCENARIOS:
            raise ValueError(f"scenario: unknown {scenario!r}; known: {', '.join(SCENARIOS)}")
        self.scenario = scenario
        self.path: MarketPath = market_path(scenario)
        self._elapsed = float(self._history_seconds)
        self._emitted = 0  # seconds of the path already returned as ticks
        self._last_wall = self._clock()
        self.liquidations = []
        self._prices = self._symbol_prices()
        self.accounts = {spec.account_id: self._open(spec) for spec in demo_accounts()}

    def set_speed(self, speed: float) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be > 0, got {speed!r}")
        self._advance()
        self.speed = float(speed)

    def advance_by(self, seconds: float) -> None:
        """Move the scenario clock forward by ``seconds`` of simulated time (tests, screenshots)."""
        self._advance()
        self._elapsed = min(self._elapsed + seconds, float(self.path.seconds - 1))

    def status(self) -> DemoStatus:
        return DemoStatus(self.scenario, self.speed, self._elapsed, float(self.path.seconds))

    # ---- market ---------------------------------------------------------------------------
    def _advance(self) -> None:
        now = self._clock()
        self._elapsed = min(
            self._elapsed + (now - self._last_wall) * self.speed, float(self.path.seconds - 1)
        )
        self._last_wall = now

    @property
    def second(self) -> int:
        """Index of the current scenario second."""
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
        return float(self._prices[symbol][0][self.second])

    def new_ticks(self) -> list[MarketTick]:
        """Ticks for every scenario second since the previous call, for every symbol, oldest first."""
        self._advance()
        end = self.second + 1
        start = self._emitted
        self._emitted = end
        path = self.path
        ticks: list[MarketTick] = []
        for i in range(start, end):
            timestamp = path.start + i
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
        return Position(
            instrument=spec.instrument,
            side=spec.side,
            contracts=spec.contracts,
            entry_price=spec.entry_price,
            mark_price=self.mark(spec.instrument.symbol),
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
        account = self._liquidate(dataclasses.replace(account, positions=positions))
        self.accounts[account_id] = account
        return account

    def _liquidate(self, account: Account) -> Account:
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
                continue
            keep.append(position)
        if cross_gone:
            wallet = max(0.0, result.margin_balance)
        return dataclasses.replace(account, wallet_balance=wallet, positions=tuple(keep))


class DemoMarketReader:
    """Market data of every demo symbol (reader interface of :mod:`desktop.feeds`)."""

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
    """One demo account (reader interface of :mod:`desktop.feeds`)."""

    poll_interval = 1.0

    def __init__(self, venue: DemoVenue, spec: DemoAccountSpec) -> None:
        self._venue = venue
        self.account_id = spec.account_id
        self.label = spec.label
        self.venue = spec.venue

    async def read_account(self) -> Account:
        return self._venue.read(self.account_id)

    async def close(self) -> None:
        return None


def demo_readers(venue: DemoVenue) -> tuple[list[DemoAccountReader], list[DemoMarketReader]]:
    """The account readers and the market reader of a demo venue."""
    accounts = [DemoAccountReader(venue, spec) for spec in demo_accounts()]
    return accounts, [DemoMarketReader(venue)]
