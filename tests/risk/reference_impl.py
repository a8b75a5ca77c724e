"""An independent, deliberately plain-Python implementation of the margin equations.

It shares no code with ``risk`` beyond the input types: maintenance margin by scanning the tier list,
PnL per position, and liquidation prices found by bisection on "equity = maintenance requirement"
instead of the closed form. Tests compare ``risk`` against it; the benchmarks time it as the
per-position loop reference.
"""

from __future__ import annotations

import math
from dataclasses import replace

from risk.types import Account, Position

FEE_VENUES = {"okx", "gate", "bitget"}


def tier_of(position: Position, price: float) -> tuple[float, float]:
    """(rate, amount) of the tier that holds the position's tier basis at ``price``."""
    inst = position.instrument
    size = position.contracts * inst.contract_size
    if inst.venue == "okx":
        basis = position.contracts
    elif inst.inverse:
        basis = size / price
    else:
        basis = size * price
    chosen = inst.tiers[0]
    for tier in inst.tiers:
        if tier.notional_floor <= basis:
            chosen = tier
    return chosen.maintenance_rate, chosen.maintenance_amount


def notional(position: Position, price: float) -> float:
    size = position.contracts * position.instrument.contract_size
    return size / price if position.instrument.inverse else size * price


def pnl(position: Position, price: float) -> float:
    size = position.contracts * position.instrument.contract_size
    sign = 1.0 if position.side == "long" else -1.0
    if position.instrument.inverse:
        return sign * size * (1.0 / position.entry_price - 1.0 / price)
    return sign * size * (price - position.entry_price)


def requirement(position: Position, price: float) -> float:
    inst = position.instrument
    rate, amount = tier_of(position, price)
    fee = inst.taker_fee_rate if inst.venue in FEE_VENUES else 0.0
    return notional(position, price) * (rate + fee) - amount + bybit_close_fee(position)


def bybit_close_fee(position: Position) -> float:
    """Bybit estimated fee to close at the bankruptcy price (help centre, Initial Margin USDC, 2025-09)."""
    inst = position.instrument
    if inst.venue != "bybit" or not position.leverage or not inst.taker_fee_rate:
        return 0.0
    size = position.contracts * inst.contract_size
    sign = 1.0 if position.side == "long" else -1.0
    if inst.inverse:
        bankruptcy = position.entry_price / (1.0 + sign / position.leverage)
        return size / bankruptcy * inst.taker_fee_rate
    bankruptcy = position.entry_price * (1.0 - sign / position.leverage)
    return size * bankruptcy * inst.taker_fee_rate


def counted_collateral(position: Position) -> float:
    """Isolated margin as Bybit's liquidation price counts it: added margin scaled by 1/(1 -+ taker)."""
    collateral = float(position.collateral or 0.0)
    inst = position.instrument
    fee = bybit_close_fee(position)
    if fee == 0.0 or position.leverage is None:
        return collateral
    size = position.contracts * inst.contract_size
    sign = 1.0 if position.side == "long" else -1.0
    value = size / position.entry_price if inst.inverse else size * position.entry_price
    initial = value / position.leverage
    scale = 1.0 + sign * inst.taker_fee_rate if inst.inverse else 1.0 - sign * inst.taker_fee_rate
    return initial + fee + (collateral - initial - fee) / scale


def isolated_gap(position: Position, price: float) -> float:
    return counted_collateral(position) + pnl(position, price) - requirement(position, price)


def merged_cross_legs(account: Account) -> list[Position]:
    """Cross positions of one symbol and side merged into one (venues tier one position per side)."""
    merged: dict[tuple[str, str], Position] = {}
    for p in account.positions:
        if p.margin_mode != "cross":
            continue
        key = (p.instrument.symbol, p.side)
        if key in merged:
            m = merged[key]
            merged[key] = replace(m, contracts=m.contracts + p.contracts)
        else:
            merged[key] = p
    return list(merged.values())


def cross_gap(account: Account, symbol: str, price: float) -> float:
    """Cross equity minus requirement with ``symbol`` at ``price`` and every other mark fixed."""
    total = account.wallet_balance
    for p in account.positions:
        if p.margin_mode == "cross":
            total += pnl(p, price if p.instrument.symbol == symbol else p.mark_price)
    for p in merged_cross_legs(account):
        total -= requirement(p, price if p.instrument.symbol == symbol else p.mark_price)
    return total


def _bisect(gap, lo: float, hi: float) -> float:
    positive_lo = gap(lo) > 0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if (gap(mid) > 0) == positive_lo:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def bisect_root(gap, mark: float) -> float | None:
    """Root of ``gap`` nearest to ``mark`` (in log distance), from sign changes on a log grid."""
    grid = [mark * 10 ** (k / 200.0) for k in range(-1200, 1201, 8)]
    values = [gap(p) > 0 for p in grid]
    roots = [_bisect(gap, grid[i], grid[i + 1]) for i in range(len(grid) - 1) if values[i] != values[i + 1]]
    if not roots:
        return None
    return min(roots, key=lambda r: abs(math.log(r / mark)))


def liquidation_price(account: Account, position: Position) -> float | None:
    if position.margin_mode == "isolated":
        return bisect_root(lambda p: isolated_gap(position, p), position.mark_price)
    return bisect_root(lambda p: cross_gap(account, position.instrument.symbol, p), position.mark_price)


def cross_margin_ratio(account: Account, shock: float = 0.0) -> float:
    """Cross maintenance / cross margin balance with every mark moved by ``shock``."""
    mm = 0.0
    balance = account.wallet_balance
    for p in account.positions:
        if p.margin_mode == "cross":
            balance += pnl(p, p.mark_price * (1.0 + shock))
    for p in merged_cross_legs(account):
        mm += requirement(p, p.mark_price * (1.0 + shock))
    if balance <= 0:
        return math.inf
    return mm / balance
