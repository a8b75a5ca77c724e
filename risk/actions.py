"""What to do about a position too close to liquidation, in numbers (pure; numpy and risk only).

:func:`distance_action` answers two questions for one position of an account:

* **add margin**: how much settle currency added to the position's isolated collateral (isolated) or to
  the account's wallet (cross) puts its liquidation price ``target_distance`` away from the mark;
* **cut**: to how many contracts the position must be reduced for the same (cross only: closing part of
  a cross position books its unrealised PnL into the wallet, keeping equity, while the maintenance
  requirement falls; an isolated position releases its margin in proportion, so its liquidation price
  does not move, and cutting is no answer there).

Both are found with the venue's own liquidation solver (:func:`risk.assess_many`), every candidate of a
round assessed in one vectorised call: a grid of :data:`GRID` candidates, narrowed :data:`ROUNDS` times
(relative precision ``GRID ** -ROUNDS``). Amounts are rounded to the safe side (margin up, size down).

Units: money in the account's settle currency; contracts as in :class:`risk.Position`; distances as
fractions of the mark (``PositionRisk.distance``: positive = safe side).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass

import numpy as np

from risk.assess import assess, assess_many
from risk.types import Account

# 16 points x 4 rounds narrow [0, high] (high within 2x of the answer) to 1/65,536: ~3e-5 relative,
# well under the 3 significant digits shown, at a quarter of the assessments of a 64-point grid.
GRID = 16
ROUNDS = 4
MAX_DOUBLINGS = 40


@dataclass(frozen=True, slots=True)
class DistanceAction:
    """How to get position ``index`` back to ``target_distance``.

    ``distance`` is where it is now (``None``: no liquidation price, nothing to do). ``add_margin`` is
    the settle-currency amount to add (0 when already there; ``None`` when no amount reaches the target).
    ``cut_to_contracts`` is the size to reduce to (cross only; ``None`` for isolated positions, or when
    even a tiny position stays too close because of the rest of the account).
    """

    index: int
    target_distance: float
    distance: float | None
    add_margin: float | None
    cut_to_contracts: float | None
    settle_currency: str

    @property
    def needed(self) -> bool:
        return self.distance is not None and self.distance < self.target_distance


def _distances(accounts: list[Account], index: int) -> np.ndarray:
    found = []
    for result in assess_many(accounts):
        distance = result.positions[index].distance
        found.append(math.inf if distance is None else distance)
    return np.asarray(found, dtype=np.float64)


def _with_margin(account: Account, index: int, amount: float) -> Account:
    position = account.positions[index]
    if position.margin_mode == "isolated":
        positions = list(account.positions)
        positions[index] = dataclasses.replace(position, collateral=(position.collateral or 0.0) + amount)
        return dataclasses.replace(account, positions=tuple(positions))
    return dataclasses.replace(account, wallet_balance=account.wallet_balance + amount)


def _with_size(account: Account, index: int, fraction: float, pnl: float) -> Account:
    """The position cut to ``fraction`` of its contracts, its unrealised ``pnl`` on the closed part
    booked into the wallet (equity unchanged)."""
    position = account.positions[index]
    positions = list(account.positions)
    positions[index] = dataclasses.replace(position, contracts=position.contracts * fraction)
    wallet = account.wallet_balance + pnl * (1.0 - fraction)
    return dataclasses.replace(account, positions=tuple(positions), wallet_balance=wallet)


def _round_up(value: float, digits: int = 3) -> float:
    if value <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(value)) - digits + 1)
    return math.ceil(value / scale - 1e-9) * scale


def _round_down(value: float, digits: int = 3) -> float:
    if value <= 0:
        return 0.0
    scale = 10 ** (math.floor(math.log10(value)) - digits + 1)
    return math.floor(value / scale + 1e-9) * scale


def _margin_needed(account: Account, index: int, target: float) -> float | None:
    position = account.positions[index]
    high = max(position.contracts * position.mark_price * position.instrument.contract_size, 1.0)
    if position.instrument.inverse:
        high = max(position.contracts * position.instrument.contract_size / position.mark_price, 1e-6)
    for _ in range(MAX_DOUBLINGS):
        if _distances([_with_margin(account, index, high)], index)[0] >= target:
            break
        high *= 2.0
    else:
        return None
    low = 0.0
    for _ in range(ROUNDS):
        grid = np.linspace(low, high, GRID + 1)
        reached = _distances([_with_margin(account, index, float(x)) for x in grid], index) >= target
        first = int(np.argmax(reached))  # reached[-1] is True
        low, high = float(grid[max(first - 1, 0)]), float(grid[first])
        if first == 0:
            return 0.0
    return high


def _cut_needed(account: Account, index: int, target: float, pnl: float) -> float | None:
    """The largest fraction of the contracts that keeps ``target`` (None if none does)."""
    low, high = 0.0, 1.0
    for _ in range(ROUNDS):
        grid = np.linspace(high, low, GRID + 1)[:-1]  # from the whole position down, never 0
        reached = _distances([_with_size(account, index, float(f), pnl) for f in grid], index) >= target
        if not reached.any():
            if low == 0.0 and high == 1.0:
                return None
            return low
        first = int(np.argmax(reached))
        if first == 0:
            return float(grid[0])
        high, low = float(grid[first - 1]), float(grid[first])
    return low


def distance_action(account: Account, index: int, target_distance: float) -> DistanceAction:
    """Add-margin and cut-size answers for position ``index`` of ``account`` (see the module docstring).
    ValueError for an index out of range or a target that is not a finite fraction in (0, 1)."""
    if not 0 <= index < len(account.positions):
        raise ValueError(
            f"index must be a position of the account (0..{len(account.positions) - 1}), got {index}"
        )
    if not (isinstance(target_distance, (int, float)) and 0.0 < target_distance < 1.0):
        raise ValueError(f"target_distance must be a fraction in (0, 1), got {target_distance!r}")
    now = assess(account).positions[index]
    settle = account.settle_currency
    if now.distance is None or now.distance >= target_distance:
        return DistanceAction(index, target_distance, now.distance, 0.0, None, settle)
    margin = _margin_needed(account, index, target_distance)
    position = account.positions[index]
    cut: float | None = None
    if position.margin_mode == "cross":
        fraction = _cut_needed(account, index, target_distance, now.unrealized_pnl)
        if fraction is not None and fraction > 0:
            cut = _round_down(position.contracts * fraction)
    return DistanceAction(
        index,
        target_distance,
        now.distance,
        None if margin is None else _round_up(margin),
        cut,
        settle,
    )


__all__ = ["DistanceAction", "distance_action"]
