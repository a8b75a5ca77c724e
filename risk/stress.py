"""Account state under uniform relative shocks of every mark: :func:`stress`.

Cost is ``O(S + N*K)`` for the account's curves plus ``O(S*N)`` for the ``liquidated`` matrix
(``S`` shocks, ``N`` positions, ``K`` tiers), not ``O(S*N*K)``:

* a uniform shock scales each linear notional by ``1 + x`` (inverse by ``1/(1 + x)``), so a leg's tier
  is a step function of the shock whose steps sit at ``floor_k/(q*mark) - 1``; the account's summed
  rate-weighted notional and maintenance amounts are built from those steps with one difference array;
* an isolated leg's equity minus maintenance is monotone in its price (rates < 1), so it is liquidated
  exactly on the far side of its liquidation price.
"""

from __future__ import annotations

import numpy as np

from risk.assess import _ratio
from risk.book import PositionBook, build_book
from risk.liquidation import solve_groups
from risk.results import StressResult
from risk.types import Account


def _validate_shocks(shocks: np.ndarray) -> np.ndarray:
    values = np.asarray(shocks, dtype=float)
    if values.ndim != 1:
        raise ValueError(f"shocks must be a 1-D array, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        bad = float(values[~np.isfinite(values)][0])
        raise ValueError(f"shocks must be finite, got {bad!r}")
    if np.any(values <= -1.0):
        bad = float(values[values <= -1.0][0])
        raise ValueError(f"shocks must be > -1 (a price cannot fall to zero or below), got {bad!r}")
    return values


def _summed_requirement(book: PositionBook, legs: np.ndarray, sorted_shocks: np.ndarray) -> np.ndarray:
    """``(S,)`` total maintenance requirement of ``legs`` at each (ascending) shock."""
    n_shocks = len(sorted_shocks)
    growth = 1.0 + sorted_shocks
    if len(legs) == 0:
        return np.zeros(n_shocks)
    size = book.size[legs]
    mark = book.mark[legs]
    inverse = book.inverse[legs]
    rows = book.tier_row[legs]
    floors = book.tiers.floors[rows]
    rates = book.tiers.rates[rows]
    amounts = book.tiers.amounts[rows]
    # Notional at zero shock in settle currency; it scales by growth (linear) or 1/growth (inverse).
    base_notional = np.where(inverse, size / mark, size * mark)
    fixed_tier = book.contracts_basis[legs]
    start_tier = book.requirement(mark * (1.0 + sorted_shocks[0]), legs)[1]
    start_rate = rates[np.arange(len(legs)), start_tier]
    start_amount = amounts[np.arange(len(legs)), start_tier]

    d_rate_lin = np.zeros(n_shocks + 1)
    d_rate_inv = np.zeros(n_shocks + 1)
    d_amount = np.zeros(n_shocks + 1)
    moving = ~fixed_tier
    if moving.any() and floors.shape[1] > 1:
        step_rate = (rates[:, 1:] - rates[:, :-1]) * base_notional[:, None]
        step_amount = amounts[:, 1:] - amounts[:, :-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            # Linear: tier k is reached for growth >= floor_k/notional0 (ascending in shock).
            # Inverse: tier k holds while growth <= notional0/floor_k (descending in shock).
            threshold = np.where(
                inverse[:, None],
                base_notional[:, None] / floors[:, 1:] - 1.0,
                floors[:, 1:] / base_notional[:, None] - 1.0,
            )
        finite = np.isfinite(threshold) & moving[:, None]
        lin = finite & ~inverse[:, None]
        inv = finite & inverse[:, None]
        # Linear steps switch on at the first shock >= threshold; the start tier already counts the
        # steps at or below the first shock, so those are skipped.
        lin_idx = np.searchsorted(sorted_shocks, threshold[lin], side="left")
        keep = lin_idx > 0
        d_rate_lin += np.bincount(lin_idx[keep], step_rate[lin][keep], n_shocks + 1)
        d_amount += np.bincount(lin_idx[keep], step_amount[lin][keep], n_shocks + 1)
        # Inverse steps switch off after the last shock <= threshold.
        inv_idx = np.searchsorted(sorted_shocks, threshold[inv], side="right")
        active_at_start = inv_idx > 0
        d_rate_inv -= np.bincount(inv_idx[active_at_start], step_rate[inv][active_at_start], n_shocks + 1)
        d_amount -= np.bincount(inv_idx[active_at_start], step_amount[inv][active_at_start], n_shocks + 1)

    fee_notional = book.fee[legs] * base_notional
    weight_lin = np.where(~inverse, base_notional * start_rate, 0.0).sum()
    weight_inv = np.where(inverse, base_notional * start_rate, 0.0).sum()
    amount0 = start_amount.sum()
    rate_lin = weight_lin + np.cumsum(d_rate_lin)[:n_shocks]
    rate_inv = weight_inv + np.cumsum(d_rate_inv)[:n_shocks]
    amount = amount0 + np.cumsum(d_amount)[:n_shocks]
    fee_lin = np.where(~inverse, fee_notional, 0.0).sum()
    fee_inv = np.where(inverse, fee_notional, 0.0).sum()
    # Bybit's estimated close fee is fixed at the bankruptcy price: it does not move with the shock.
    close_fee = book.close_fee[legs].sum()
    return growth * (rate_lin + fee_lin) + (rate_inv + fee_inv) / growth - amount + close_fee


def _summed_pnl(book: PositionBook, legs: np.ndarray, shocks: np.ndarray) -> np.ndarray:
    """``(S,)`` total unrealised PnL of ``legs`` at each shock (any order)."""
    if len(legs) == 0:
        return np.zeros(len(shocks))
    signed = book.sign[legs] * book.size[legs]
    mark = book.mark[legs]
    entry = book.entry[legs]
    inverse = book.inverse[legs]
    lin_mark = np.where(inverse, 0.0, signed * mark).sum()
    lin_entry = np.where(inverse, 0.0, signed * entry).sum()
    inv_entry = np.where(inverse, signed / entry, 0.0).sum()
    inv_mark = np.where(inverse, signed / mark, 0.0).sum()
    growth = 1.0 + shocks
    return lin_mark * growth - lin_entry + inv_entry - inv_mark / growth


def stress(account: Account, shocks: np.ndarray) -> StressResult:
    """Equity, cross margin ratio and liquidated positions under uniform relative shocks of all marks.

    Parameters
    ----------
    account
        The account; every mark is multiplied by ``1 + shock``.
    shocks
        ``(S,)`` relative moves, each > -1 and finite, e.g. ``np.linspace(-0.5, 0.5, 1001)``.

    Returns
    -------
    StressResult
        ``equity (S,)``, ``margin_ratio (S,)`` and ``liquidated (S, N)`` in the input orders.
    """
    if not isinstance(account, Account):
        raise ValueError(f"account must be a risk.Account, got {type(account).__name__}")
    values = _validate_shocks(shocks)
    book = build_book([account])
    n_legs = len(book.size)
    order = np.argsort(values, kind="stable")
    sorted_shocks = values[order]

    cross_legs = np.nonzero(~book.isolated)[0]
    iso_legs = np.nonzero(book.isolated)[0]
    cross_req_sorted = _summed_requirement(book, cross_legs, sorted_shocks)
    cross_req = np.empty_like(cross_req_sorted)
    cross_req[order] = cross_req_sorted
    # pooled accounts: the other settle currencies' MM is held, on both sides (see risk.book.build_book)
    pooled_mm = float(book.pooled_mm[0])
    cross_balance = float(book.wallet[0]) + pooled_mm + _summed_pnl(book, cross_legs, values)
    margin_ratio = _ratio(cross_req + pooled_mm, cross_balance)
    all_legs = np.arange(n_legs)
    equity = (
        float(book.wallet[0]) + pooled_mm + book.collateral_held.sum() + _summed_pnl(book, all_legs, values)
    )

    # Isolated legs: the liquidation shock of each, from its own liquidation price.
    threshold = np.full(n_legs, np.nan)
    if len(iso_legs):
        groups = np.arange(len(iso_legs))
        z = solve_groups(
            book,
            iso_legs,
            groups,
            len(iso_legs),
            np.ones(len(iso_legs)),
            book.collateral[iso_legs],
            book.mark[iso_legs],
        )
        threshold[iso_legs] = z / book.mark[iso_legs] - 1.0
    origin = book.origin
    o_iso = book.isolated[origin]
    o_threshold = threshold[origin]
    o_long = book.sign[origin] > 0
    liquidated = np.empty((len(values), len(origin)), dtype=bool)
    if o_iso.any():
        thr = o_threshold[o_iso]
        column = values[:, None]
        with np.errstate(invalid="ignore"):
            hit = np.where(o_long[o_iso], column <= thr, column >= thr)
        liquidated[:, o_iso] = hit & np.isfinite(thr)
    if (~o_iso).any():
        liquidated[:, ~o_iso] = (margin_ratio >= 1.0)[:, None]
    return StressResult(shocks=values, equity=equity, margin_ratio=margin_ratio, liquidated=liquidated)
