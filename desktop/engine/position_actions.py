"""The action for a position, from an engine snapshot (no Qt): which distance to get back to, and the
:class:`risk.actions.DistanceAction` that does it (add margin / cut size) with the row's suggested stop.

The target is the distance tier two steps safer than the one in force (with tiers 20 / 10 / 5 %: a
position inside 5 % is sent back to 10 %, one inside 10 % or 20 % back to 20 %), i.e. out of the warning
zone, not just over the line it crossed.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.engine.snapshots import AccountSnapshot, PositionRow
from risk.actions import DistanceAction, distance_action


def target_distance(distance: float | None, tiers: Sequence[float]) -> float | None:
    """Distance to get back to (fraction of mark), ``None`` when no tier is in force."""
    if distance is None or not tiers:
        return None
    tier = sum(1 for threshold in tiers if distance <= threshold)
    return None if tier == 0 else tiers[max(tier - 2, 0)]


def position_index(account: AccountSnapshot, row: PositionRow) -> int | None:
    if account.account is None:
        return None
    for index, position in enumerate(account.account.positions):
        if position.instrument.symbol == row.symbol and position.side == row.side:
            return index
    return None


def action_for(account: AccountSnapshot, row: PositionRow, tiers: Sequence[float]) -> DistanceAction | None:
    """What to do about ``row`` of ``account`` (``None`` when it is outside every tier or not found)."""
    target = target_distance(row.distance, tiers)
    index = position_index(account, row)
    if target is None or index is None or account.account is None:
        return None
    try:
        return distance_action(account.account, index, target)
    except ValueError:
        return None  # an input the solver refuses: no suggestion rather than a wrong one
