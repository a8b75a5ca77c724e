"""Input and result types of the risk library.

Units, everywhere in ``risk``:

* prices are in quote currency per base unit (USDT per BTC for ``BTC/USDT:USDT``; USD per BTC for an
  inverse ``BTC/USD:BTC``);
* sizes are in **contracts**; ``Instrument.contract_size`` converts them: base units per contract for
  linear instruments, USD per contract for inverse ones;
* money (wallet balance, collateral, PnL, maintenance margin) is in the settle currency: the quote
  currency for linear instruments, the coin for inverse ones.

Sign conventions: sizes are positive, ``side`` says the direction. Unrealised PnL is positive when the
position is in profit: a long's linear PnL is ``q*(mark - entry)``, a short's ``q*(entry - mark)``.

Invalid input raises ``ValueError`` naming the field and the value. "No liquidation price" is ``None``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Side = Literal["long", "short"]
MarginMode = Literal["isolated", "cross"]

VENUES: tuple[str, ...] = (
    "binanceusdm",
    "binancecoinm",
    "bybit",
    "okx",
    "gate",
    "bitget",
    "hyperliquid",
    "demo",
)
"""ccxt ids of the venues whose margin rules ``risk`` knows (``demo`` follows Binance USD-M rules)."""


MAX_AMOUNT = 1e15
"""Largest notional, collateral or balance accepted (settle or quote currency, or coin for inverse): a
thousand times the open interest of the largest venue. Beyond it, products of size, price and rates
overflow or lose all precision, so such a number is a wrong input, not a position."""


def _bounded(name: str, value: float) -> float:
    if not abs(value) <= MAX_AMOUNT:
        raise ValueError(f"{name} must be within +-{MAX_AMOUNT:.0e}, got {value!r}")
    return value


def _position_notional(position: Position) -> float:
    """Size at the larger of entry and mark: quote currency (linear) or coin (inverse)."""
    units = position.contracts * position.instrument.contract_size
    if position.instrument.inverse:
        return units / min(position.entry_price, position.mark_price)
    return units * max(position.entry_price, position.mark_price)


def _finite(name: str, value: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _positive(name: str, value: float) -> float:
    number = _finite(name, value)
    if number <= 0.0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def _non_negative(name: str, value: float) -> float:
    number = _finite(name, value)
    if number < 0.0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return number


@dataclass(frozen=True, slots=True)
class MarginTier:
    """One maintenance-margin tier (Binance "bracket", Bybit "risk limit", OKX "position tier").

    Parameters
    ----------
    notional_floor, notional_cap
        Bounds of the tier, ``[floor, cap)``. Quote-currency notional for linear instruments, coin
        notional for inverse ones, and **contracts** for OKX (whose tiers are by position size).
        ``notional_cap`` may be ``math.inf`` for the last tier.
    maintenance_rate
        Maintenance-margin rate of the tier, a fraction (0.004 = 0.4 %).
    maintenance_amount
        Amount subtracted from ``notional * rate`` (Binance ``cum``, Bybit/Hyperliquid "deduction"),
        in the settle currency. Continuous tables satisfy
        ``amount_k = amount_{k-1} + floor_k * (rate_k - rate_{k-1})``.
    max_leverage
        The tier's maximum leverage, informational (Hyperliquid derives the rate from it).
    """

    notional_floor: float
    notional_cap: float
    maintenance_rate: float
    maintenance_amount: float = 0.0
    max_leverage: float | None = None

    def __post_init__(self) -> None:
        floor = _non_negative("MarginTier.notional_floor", self.notional_floor)
        cap = float(self.notional_cap)
        if math.isnan(cap) or cap <= floor:
            raise ValueError(
                f"MarginTier.notional_cap must be > notional_floor ({floor}), got {self.notional_cap!r}"
            )
        rate = _non_negative("MarginTier.maintenance_rate", self.maintenance_rate)
        if rate >= 1.0:
            raise ValueError(f"MarginTier.maintenance_rate must be < 1, got {self.maintenance_rate!r}")
        _finite("MarginTier.maintenance_amount", self.maintenance_amount)
        if self.max_leverage is not None:
            _positive("MarginTier.max_leverage", self.max_leverage)


@dataclass(frozen=True, slots=True)
class Instrument:
    """A derivatives contract as the risk library needs it.

    Parameters
    ----------
    symbol
        ccxt unified symbol, e.g. ``"BTC/USDT:USDT"`` (linear) or ``"BTC/USD:BTC"`` (inverse).
    venue
        ccxt exchange id, one of :data:`VENUES`.
    contract_size
        Base units per contract (linear) or USD per contract (inverse).
    inverse
        True for coin-margined contracts denominated in USD.
    tiers
        Maintenance tiers in ascending order, contiguous, starting at 0. Required for any
        computation of maintenance margin.
    taker_fee_rate
        Taker fee as a fraction; enters the liquidation condition only on venues that include a
        close fee (OKX, Gate, Bitget).
    """

    symbol: str
    venue: str
    contract_size: float = 1.0
    inverse: bool = False
    tiers: tuple[MarginTier, ...] = ()
    taker_fee_rate: float = 0.0

    def __post_init__(self) -> None:
        if not isinstance(self.symbol, str) or not self.symbol:
            raise ValueError(f"Instrument.symbol must be a non-empty string, got {self.symbol!r}")
        if self.venue not in VENUES:
            raise ValueError(f"Instrument.venue: unknown venue {self.venue!r}; known: {', '.join(VENUES)}")
        _positive("Instrument.contract_size", self.contract_size)
        _non_negative("Instrument.taker_fee_rate", self.taker_fee_rate)
        if not isinstance(self.tiers, tuple):
            object.__setattr__(self, "tiers", tuple(self.tiers))
        previous_cap = 0.0
        for index, tier in enumerate(self.tiers):
            if not isinstance(tier, MarginTier):
                raise ValueError(f"Instrument.tiers[{index}] must be a MarginTier, got {tier!r}")
            if not math.isclose(tier.notional_floor, previous_cap, rel_tol=1e-9, abs_tol=1e-9):
                raise ValueError(
                    f"Instrument.tiers[{index}].notional_floor must equal the previous cap "
                    f"({previous_cap}), got {tier.notional_floor!r} ({self.symbol})"
                )
            previous_cap = tier.notional_cap


@dataclass(frozen=True, slots=True)
class Position:
    """An open position.

    Parameters
    ----------
    instrument
        What is held.
    side
        ``"long"`` or ``"short"``.
    contracts
        Size in contracts, > 0.
    entry_price, mark_price
        Quote currency per base unit, > 0.
    margin_mode
        ``"isolated"`` or ``"cross"``.
    collateral
        Isolated margin assigned to the position (settle currency), required in isolated mode;
        ignored in cross mode.
    leverage
        The leverage setting, informational (Bybit isolated margin is derived from it by readers).
    venue_liquidation_price
        The liquidation price the venue reports, if any, for display next to the computed one.
    venue_mark_price
        The mark price at which the venue computed ``venue_liquidation_price`` (its payload's mark), so a
        comparison can tell a model difference from marks that moved since; ``None`` if unknown.
    adl_rank
        The venue's auto-deleveraging rank, if it reports one, on the venue's scale (Binance quantile
        0-4, Bybit ``adlRankIndicator`` 0-5, OKX ``adl`` 1-5); higher is nearer the front of the queue.
    """

    instrument: Instrument
    side: str
    contracts: float
    entry_price: float
    mark_price: float
    margin_mode: str
    collateral: float | None = None
    leverage: float | None = None
    venue_liquidation_price: float | None = None
    adl_rank: int | None = None
    venue_mark_price: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.instrument, Instrument):
            raise ValueError(f"Position.instrument must be an Instrument, got {self.instrument!r}")
        if self.side not in ("long", "short"):
            raise ValueError(f"Position.side must be 'long' or 'short', got {self.side!r}")
        if self.margin_mode not in ("isolated", "cross"):
            raise ValueError(f"Position.margin_mode must be 'isolated' or 'cross', got {self.margin_mode!r}")
        _positive("Position.contracts", self.contracts)
        _positive("Position.entry_price", self.entry_price)
        _positive("Position.mark_price", self.mark_price)
        notional = _position_notional(self)
        if not notional <= MAX_AMOUNT:
            unit = "coin" if self.instrument.inverse else "quote"
            raise ValueError(
                f"Position.contracts x price is {notional:.3g} {unit} for {self.instrument.symbol}: "
                f"above {MAX_AMOUNT:.0e}, not a real position (size or price wrong)"
            )
        if self.margin_mode == "isolated":
            if self.collateral is None:
                raise ValueError(
                    f"Position.collateral is required in isolated mode ({self.instrument.symbol})"
                )
            _non_negative("Position.collateral", self.collateral)
        elif self.collateral is not None:
            _finite("Position.collateral", self.collateral)
        if self.collateral is not None:
            _bounded("Position.collateral", self.collateral)
        if self.leverage is not None:
            _positive("Position.leverage", self.leverage)
        if self.venue_liquidation_price is not None:
            _finite("Position.venue_liquidation_price", self.venue_liquidation_price)
        if self.adl_rank is not None and not (isinstance(self.adl_rank, int) and 0 <= self.adl_rank <= 5):
            raise ValueError(f"Position.adl_rank must be an integer 0-5, got {self.adl_rank!r}")

    @property
    def sign(self) -> int:
        """+1 for a long, -1 for a short."""
        return 1 if self.side == "long" else -1

    @property
    def size(self) -> float:
        """Base units (linear) or USD face value (inverse): ``contracts * contract_size``."""
        return self.contracts * self.instrument.contract_size


@dataclass(frozen=True, slots=True)
class Account:
    """One margin account at one venue, in one settle currency.

    Parameters
    ----------
    venue
        ccxt exchange id, one of :data:`VENUES`.
    wallet_balance
        Cross wallet balance in the settle currency, excluding unrealised PnL and excluding the
        collateral of isolated positions.
    positions
        Open positions; all must share the account's venue.
    settle_currency
        Currency of all money amounts (``"USDT"``, ``"USDC"``, ``"BTC"``...).
    pooled_maintenance, pooled_pnl
        Pooled multi-asset accounts (:func:`risk.collateral.pool`): the maintenance margin and the
        unrealised PnL of the pool's cross positions that are not in ``positions`` (other settle
        currencies), in this settle currency, held at their current marks. 0 for a plain account.
    margin_mode
        How the venue margins this account, for display: ``""`` (one settle currency), ``"pooled
        multi-asset margin"``, ``"portfolio margin"``...
    venue_figures
        The venue's mode cannot be computed from what its API returns (portfolio margin, OKX cross
        tiers summed across expiries, Bitget hedge "larger side"): :func:`risk.assess` then reports
        each position's venue-reported liquidation price and the venue's own account ratio instead of
        a wrong number of its own.
    venue_margin_ratio
        The venue's account ratio as maintenance / margin balance (>= 1 liquidates), when known; used
        with ``venue_figures``.
    """

    venue: str
    wallet_balance: float
    positions: Sequence[Position] = field(default_factory=tuple)
    settle_currency: str = "USDT"
    pooled_maintenance: float = 0.0
    pooled_pnl: float = 0.0
    margin_mode: str = ""
    venue_figures: bool = False
    venue_margin_ratio: float | None = None

    def __post_init__(self) -> None:
        if self.venue not in VENUES:
            raise ValueError(f"Account.venue: unknown venue {self.venue!r}; known: {', '.join(VENUES)}")
        _finite("Account.wallet_balance", self.wallet_balance)
        _bounded("Account.wallet_balance", self.wallet_balance)
        _non_negative("Account.pooled_maintenance", self.pooled_maintenance)
        _finite("Account.pooled_pnl", self.pooled_pnl)
        if self.venue_margin_ratio is not None:
            _non_negative("Account.venue_margin_ratio", self.venue_margin_ratio)
        if not isinstance(self.positions, tuple):
            object.__setattr__(self, "positions", tuple(self.positions))
        for index, position in enumerate(self.positions):
            if not isinstance(position, Position):
                raise ValueError(f"Account.positions[{index}] must be a Position, got {position!r}")
            if position.instrument.venue != self.venue:
                raise ValueError(
                    f"Account.positions[{index}].instrument.venue is "
                    f"{position.instrument.venue!r}, but the account's venue is {self.venue!r}"
                )
