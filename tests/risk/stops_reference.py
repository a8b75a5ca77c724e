"""A plain-Python reference for the stop rules, sharing no code with ``risk.stops``.

It follows the rules as stated in words, not the closed forms: slippage by walking the bands in a
loop (trapezoid per band), the budget stop by bisection on "loss at the stop = budget" with the loss
computed from the position's PnL, the liquidation price after a size cut by bisection on "equity =
maintenance", and the size that fits by bisection on the whole rule set. Tests compare ``risk.stops``
against it; the benchmark times it as the per-position loop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    side: str
    mark: float
    liquidation: float | None
    contracts: float
    contract_size: float
    inverse: bool
    equity: float
    fee: float
    gap: float
    max_loss_fraction: float | None
    atr_reach: float | None  # k·ATR
    sigma_reach: float | None  # z·σ·√h
    levels: tuple[tuple[float, float], ...]  # (distance, cumulative contracts)
    maintenance_rate: float = 0.0


@dataclass(frozen=True)
class Answer:
    feasible: bool
    stop: float | None
    binding: str | None
    liquidation_stop: float | None
    budget_stop: float | None
    noise_floor: float | None
    slippage: float
    loss: float | None


def slippage(levels: tuple[tuple[float, float], ...], contracts: float) -> float:
    """Average fill distance on the piecewise-linear cumulative curve (the first point a step).

    Each band is filled from its near edge; a partial fill of ``x`` out of the band's ``n`` contracts
    reaches the distance interpolated at ``x/n`` and averages the two ends (trapezoid).
    """
    if not levels:
        return 0.0
    left, paid = contracts, 0.0
    near, before = levels[0][0], 0.0
    for far, cumulative in levels:
        band = cumulative - before
        take = min(left, band)
        if take > 0:
            reached = near + (far - near) * take / band
            paid += take * (near + reached) / 2.0
            left -= take
        near, before = far, cumulative
    paid += left * levels[-1][0]
    return paid / contracts


def loss_from_mark(case: Case, stop: float, slip: float, contracts: float) -> float:
    """Equity now minus equity after closing at the stop (fill moved by slippage), fee included."""
    size = contracts * case.contract_size
    direction = 1.0 if case.side == "long" else -1.0
    fill = stop * (1.0 - slip) if case.side == "long" else stop * (1.0 + slip)
    if case.inverse:
        value_now = direction * size * (-1.0 / case.mark)  # PnL against an arbitrary entry cancels out
        value_then = direction * size * (-1.0 / fill)
        fee = case.fee * size / fill
    else:
        value_now = direction * size * case.mark
        value_then = direction * size * fill
        fee = case.fee * size * fill
    return value_now - value_then + fee


def _bisect(predicate, low: float, high: float, steps: int = 200) -> float:
    """The boundary between ``predicate(low)`` and ``not predicate(high)``."""
    for _ in range(steps):
        middle = 0.5 * (low + high)
        if predicate(middle):
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def budget_stop(case: Case, slip: float, contracts: float) -> float | None:
    if case.max_loss_fraction is None:
        return None
    budget = case.max_loss_fraction * case.equity
    if case.side == "long":
        # Loss grows as the stop falls; find where it crosses the budget between 0 and far above the mark.
        if loss_from_mark(case, 1e-300, slip, contracts) <= budget:
            return None
        return _bisect(lambda s: loss_from_mark(case, s, slip, contracts) > budget, 1e-300, case.mark * 1e6)
    high = case.mark * 1e12
    if loss_from_mark(case, high, slip, contracts) <= budget:
        return None
    return _bisect(lambda s: loss_from_mark(case, s, slip, contracts) <= budget, 1e-300, high)


def liquidation_after_cut(case: Case, contracts: float) -> float | None:
    """Liquidation price of the cut position: equity at the mark kept, single maintenance rate."""
    if case.liquidation is None:
        return None
    direction = 1.0 if case.side == "long" else -1.0
    mmr = case.maintenance_rate

    def pnl(price: float, size: float) -> float:
        if case.inverse:
            return direction * size * (1.0 / case.mark - 1.0 / price)
        return direction * size * (price - case.mark)

    def maintenance(price: float, size: float) -> float:
        return mmr * (size / price if case.inverse else size * price)

    size_now = case.contracts * case.contract_size
    equity = maintenance(case.liquidation, size_now) - pnl(case.liquidation, size_now)
    size = contracts * case.contract_size
    if contracts == case.contracts:
        return case.liquidation

    def safe(price: float) -> bool:
        return equity + pnl(price, size) > maintenance(price, size)

    if case.side == "long":
        if safe(1e-12):
            return None
        return _bisect(lambda p: not safe(p), 1e-12, case.mark)
    if safe(case.mark * 1e9):
        return None
    return _bisect(safe, case.mark, case.mark * 1e9)


def solve(case: Case, contracts: float | None = None) -> Answer:
    contracts = case.contracts if contracts is None else contracts
    long = case.side == "long"
    slip = slippage(case.levels, contracts)
    buffer = case.fee + slip + case.gap
    liquidation = liquidation_after_cut(case, contracts)
    liquidation_stop = None
    if liquidation is not None:
        if long:
            liquidation_stop = liquidation / (1.0 - buffer) if buffer < 1.0 else math.inf
        else:
            liquidation_stop = liquidation / (1.0 + buffer)
    budget = budget_stop(case, slip, contracts)
    floors = []
    if case.atr_reach is not None:
        floors.append(case.mark - case.atr_reach if long else case.mark + case.atr_reach)
    if case.sigma_reach is not None:
        floors.append(case.mark * math.exp(-case.sigma_reach if long else case.sigma_reach))
    noise = (min(floors) if long else max(floors)) if floors else None

    limits = [
        (v, name)
        for v, name in ((liquidation_stop, "liquidation_buffer"), (budget, "risk_budget"))
        if v is not None
    ]
    if not limits:
        if noise is not None and noise > 0:
            return Answer(
                True,
                noise,
                "noise_floor",
                liquidation_stop,
                budget,
                noise,
                slip,
                loss_from_mark(case, noise, slip, contracts),
            )
        return Answer(True, None, None, liquidation_stop, budget, noise, slip, None)
    guard, rule = max(limits, key=lambda item: item[0]) if long else min(limits, key=lambda item: item[0])
    before_mark = guard < case.mark if long else guard > case.mark
    outside_noise = noise is None or (guard <= noise if long else guard >= noise)
    if before_mark and outside_noise:
        return Answer(
            True,
            guard,
            rule,
            liquidation_stop,
            budget,
            noise,
            slip,
            loss_from_mark(case, guard, slip, contracts),
        )
    return Answer(False, None, rule, liquidation_stop, budget, noise, slip, None)


def feasible_size(case: Case) -> float | None:
    """Largest size for which ``solve`` is feasible (bisection on contracts)."""
    tiny = case.contracts * 2.0**-40
    if not solve(case, tiny).feasible:
        return None
    return _bisect(lambda q: solve(case, q).feasible, tiny, case.contracts, steps=80)
