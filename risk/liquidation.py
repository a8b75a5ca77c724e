"""The one liquidation solver every venue uses.

A *group* of legs moves with one scalar ``z``: leg ``j`` is priced at ``P_j = alpha_j * z``. The
group's equity is ``C + sum_j PnL_j(P_j)`` and it is liquidated where that equals
``sum_j MM_j(P_j)`` (+ the venue's fee term). With every leg's tier fixed the equation is linear in
``z`` (linear contracts) or in ``1/z`` (inverse), so it solves in closed form; the tier is then looked
up again at the solution and the step repeated until no tier changes ("tier at the liquidation price",
Binance FAQ; exchange-margin-rules.md §1.4). Maintenance margin is continuous and convex in notional
for tables that follow the tier rule, so the iteration settles in at most ``len(tiers)`` steps; tables
that break the rule fall back to bracketing and bisection on the exact equation.

Uses:

* liquidation price of an isolated leg: group = the leg, ``alpha = 1``, ``C`` = its collateral;
* cross liquidation price of one instrument: group = that instrument's legs (hedge mode: long and
  short together), ``alpha = 1``, ``C`` = wallet + the other cross legs' (PnL - MM) at their marks;
* break move of a cross account: group = all its cross legs, ``alpha_j`` = each mark, ``z`` = the
  common factor ``1 + move``, ``C`` = wallet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from risk.book import PositionBook


def _closed_form(
    book: PositionBook,
    legs: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    alpha: np.ndarray,
    constant: np.ndarray,
    tier: np.ndarray,
) -> np.ndarray:
    """``z`` of each group with the legs' tiers fixed; NaN where no positive finite solution."""
    s = book.sign[legs]
    q = book.size[legs]
    entry = book.entry[legs]
    fee = book.fee[legs]
    close_fee = book.close_fee[legs]
    inverse = book.inverse[legs]
    rows = book.tier_row[legs]
    rate = book.tiers.rates[rows, tier]
    amount = book.tiers.amounts[rows, tier]

    # Linear: C + sum s q (a z - E) = sum (q a z (r + f) - A + K)    (K: the fixed close fee)
    lin_num = s * q * entry - amount + close_fee
    lin_den = q * alpha * (s - rate - fee)
    # Inverse: C + sum s q (1/E - 1/(a z)) = sum (q/(a z) (r + f) - A + K)
    #          =>  (1/z) sum (q/a)(s + r + f) = C + sum (s q/E + A - K)
    inv_num = (q / alpha) * (s + rate + fee)
    inv_den = s * q / entry + amount - close_fee

    zero = np.zeros_like(q)
    lin_n = np.bincount(groups, np.where(inverse, zero, lin_num), n_groups)
    lin_d = np.bincount(groups, np.where(inverse, zero, lin_den), n_groups)
    inv_n = np.bincount(groups, np.where(inverse, inv_num, zero), n_groups)
    inv_d = np.bincount(groups, np.where(inverse, inv_den, zero), n_groups)
    group_inverse = np.bincount(groups, inverse.astype(float), n_groups) > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(group_inverse, inv_n / (constant + inv_d), (lin_n - constant) / lin_d)
    return np.where(np.isfinite(z) & (z > 0.0), z, np.nan)


def _tiers_at(book: PositionBook, legs: np.ndarray, price: np.ndarray) -> np.ndarray:
    return book.requirement(price, legs)[1]


def group_gaps(
    book: PositionBook,
    legs: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    alpha: np.ndarray,
    constant: np.ndarray,
    z: np.ndarray,
) -> np.ndarray:
    """Exact ``equity - requirement`` of every group at its ``z`` (settle currency)."""
    price = alpha * z[groups]
    req, _ = book.requirement(price, legs)
    return constant + np.bincount(groups, book.pnl(price, legs) - req, n_groups)


def group_gap(book: PositionBook, legs: np.ndarray, alpha: np.ndarray, constant: float, z: float) -> float:
    """Exact ``equity - requirement`` of one group (its ``legs``) at ``z``."""
    zero = np.zeros(len(legs), dtype=np.intp)
    return float(group_gaps(book, legs, zero, 1, alpha, np.array([constant]), np.array([z]))[0])


@dataclass(frozen=True, slots=True)
class _Subset:
    """The legs of some groups, with the groups renumbered ``0..len(ids)-1``."""

    legs: np.ndarray
    groups: np.ndarray
    alpha: np.ndarray
    constant: np.ndarray
    ids: np.ndarray

    @staticmethod
    def of(
        legs: np.ndarray, groups: np.ndarray, n_groups: int, alpha: np.ndarray, constant: np.ndarray, wanted
    ) -> _Subset:
        ids = np.nonzero(wanted)[0]
        leg_mask = wanted[groups]
        remap = np.full(n_groups, -1, dtype=np.intp)
        remap[ids] = np.arange(len(ids))
        return _Subset(legs[leg_mask], remap[groups[leg_mask]], alpha[leg_mask], constant[ids], ids)


def _fixed_point(book: PositionBook, sub: _Subset, z_from: np.ndarray) -> np.ndarray:
    """Closed form with tiers iterated from the tiers at ``z_from`` until none changes; NaN if it cycles.

    From the current price this converges to a root on the side its tangent points to; from a point
    where the group is already liquidated it converges to the root between that point and the
    current price (equity is concave in price, so tangent lines never cut below it).
    """
    n = len(sub.ids)
    tier = _tiers_at(book, sub.legs, sub.alpha * z_from[sub.groups])
    for _ in range(book.tiers.floors.shape[1] + 2):
        z = _closed_form(book, sub.legs, sub.groups, n, sub.alpha, sub.constant, tier)
        z_leg = z[sub.groups]
        valid = np.isfinite(z_leg)
        new_tier = np.where(valid, _tiers_at(book, sub.legs, sub.alpha * np.where(valid, z_leg, 1.0)), tier)
        changed = new_tier != tier
        if not changed.any():
            return z
        tier = new_tier
    # Groups whose tiers still move cycle between tiers (a table that breaks the tier rule).
    unsettled = np.bincount(sub.groups, changed, n) > 0
    return np.where(unsettled, np.nan, z)


def _bisect(book: PositionBook, sub: _Subset, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Sign change of the exact gap between ``low`` and ``high`` (per subset group), in log space."""
    n = len(sub.ids)
    lo, hi = np.log(low), np.log(high)
    alive_lo = group_gaps(book, sub.legs, sub.groups, n, sub.alpha, sub.constant, np.exp(lo)) > 0.0
    for _ in range(100):
        mid = 0.5 * (lo + hi)
        alive_mid = group_gaps(book, sub.legs, sub.groups, n, sub.alpha, sub.constant, np.exp(mid)) > 0.0
        same = alive_mid == alive_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return np.exp(0.5 * (lo + hi))


def _root_on_side(
    book: PositionBook,
    legs: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    alpha: np.ndarray,
    constant: np.ndarray,
    near: np.ndarray,
    far: np.ndarray,
    wanted: np.ndarray,
) -> np.ndarray:
    """Root between ``near`` (current) and ``far`` for the ``wanted`` groups; NaN elsewhere."""
    result = np.full(n_groups, np.nan)
    if not wanted.any():
        return result
    sub = _Subset.of(legs, groups, n_groups, alpha, constant, wanted)
    lo_b, hi_b = np.minimum(near, far)[sub.ids], np.maximum(near, far)[sub.ids]
    z = _fixed_point(book, sub, far[sub.ids])
    with np.errstate(invalid="ignore"):
        ok = (z >= lo_b) & (z <= hi_b)
    if not ok.all():  # a table that breaks the tier rule: bisect the exact equation
        bad = ~ok
        sub_bad = _Subset(
            sub.legs[bad[sub.groups]],
            np.cumsum(bad)[sub.groups[bad[sub.groups]]] - 1,
            sub.alpha[bad[sub.groups]],
            sub.constant[bad],
            sub.ids[bad],
        )
        z[bad] = _bisect(book, sub_bad, lo_b[bad], hi_b[bad])
    result[sub.ids] = z
    return result


def solve_groups(
    book: PositionBook,
    legs: np.ndarray,
    groups: np.ndarray,
    n_groups: int,
    alpha: np.ndarray,
    constant: np.ndarray,
    start: np.ndarray,
    low: float = 1e-9,
    high: float = 1e9,
    metric: str = "log",
) -> np.ndarray:
    """Solve every group for ``z`` (see module docstring).

    Parameters
    ----------
    legs
        ``(L,)`` indices into ``book``.
    groups
        ``(L,)`` group of each leg, ``0..n_groups-1``.
    alpha
        ``(L,)`` price of each leg per unit of ``z``.
    constant
        ``(n_groups,)`` the part of each group's equity that does not move with ``z`` (settle
        currency): collateral, or wallet plus the fixed legs' PnL minus their maintenance.
    start
        ``(n_groups,)`` the current ``z`` (tiers start there).
    low, high
        Search range as factors of ``start``: roots outside ``[start*low, start*high]`` are ignored.
    metric
        ``"log"`` or ``"linear"``: how "nearest to start" is measured when a group can be
        liquidated on both sides (hedged or nearly hedged legs).

    Returns
    -------
    ``(n_groups,)`` float: the root nearest to ``start``, NaN where no price in range liquidates the
    group.
    """
    z_low, z_high = start * low, start * high
    gap_now = group_gaps(book, legs, groups, n_groups, alpha, constant, start)
    alive_now = gap_now > 0.0
    below = (group_gaps(book, legs, groups, n_groups, alpha, constant, z_low) > 0.0) != alive_now
    above = (group_gaps(book, legs, groups, n_groups, alpha, constant, z_high) > 0.0) != alive_now

    # Fast path: the fixed point from the current tiers lands on the side its tangent points to.
    everyone = _Subset(legs, groups, alpha, constant, np.arange(n_groups))
    z = _fixed_point(book, everyone, start)
    # Equity is concave in price (maintenance convex), so each side of the current price holds at most
    # one root: keep the fixed point where it lies on a side that has one, solve the other sides from
    # their far end.
    with np.errstate(invalid="ignore"):
        on_below = below & (z >= z_low) & (z <= start)
        on_above = above & (z >= start) & (z <= z_high)
    root_below = np.where(on_below, z, np.nan)
    root_above = np.where(on_above, z, np.nan)
    need_below, need_above = below & ~on_below, above & ~on_above
    args = (book, legs, groups, n_groups, alpha, constant, start)
    root_below = np.where(need_below, _root_on_side(*args, z_low, need_below), root_below)
    root_above = np.where(need_above, _root_on_side(*args, z_high, need_above), root_above)
    if metric == "log":
        d_below, d_above = np.log(start / root_below), np.log(root_above / start)
    else:
        d_below, d_above = start - root_below, root_above - start
    take_above = np.isnan(root_below) | (np.nan_to_num(d_above, nan=np.inf) < d_below)
    return np.where(take_above, root_above, root_below)
