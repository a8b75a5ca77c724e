"""Account and position risk at the current marks: :func:`assess` and :func:`assess_many`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from risk.book import PositionBook, build_book
from risk.liquidation import group_gaps, solve_groups
from risk.results import MARGIN_RATIO_EQUITY_OVER_MM, AccountRisk, PositionRisk
from risk.types import Account

BREAK_MOVE_MIN = -0.99
BREAK_MOVE_MAX = 10.0


def _ratio(requirement: np.ndarray, balance: np.ndarray) -> np.ndarray:
    """``requirement / balance`` with the policy: 0 when nothing is required, inf when balance <= 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = requirement / balance
    ratio = np.where(balance <= 0.0, np.inf, ratio)
    return np.where(requirement <= 0.0, np.where(balance <= 0.0, np.inf, 0.0), ratio)


def _venue_ratio(ratio: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The ratio in the venue's direction: ``1/ratio`` where the venue shows equity / maintenance."""
    with np.errstate(divide="ignore"):
        inverted = np.where(ratio == 0.0, np.inf, 1.0 / np.where(ratio == 0.0, 1.0, ratio))
    inverted = np.where(np.isinf(ratio), 0.0, inverted)
    return np.where(kinds, inverted, ratio)


@dataclass(frozen=True, slots=True)
class BookRisk:
    """Risk of every merged leg and account of a :class:`PositionBook`, as arrays.

    Leg arrays have length ``N`` (merged legs), account arrays length ``A``. Liquidation prices and
    distances are NaN where none exists. Money in each account's settle currency.
    """

    liquidation_price: np.ndarray
    distance: np.ndarray
    maintenance: np.ndarray
    tier: np.ndarray
    pnl: np.ndarray
    notional: np.ndarray
    leg_margin_balance: np.ndarray
    leg_margin_ratio: np.ndarray
    account_maintenance: np.ndarray
    account_margin_balance: np.ndarray
    account_margin_ratio: np.ndarray
    account_equity: np.ndarray
    account_pnl: np.ndarray
    break_move: np.ndarray


def _liquidation_prices(
    book: PositionBook, pnl: np.ndarray, req: np.ndarray, acc_pnl: np.ndarray, acc_req: np.ndarray
) -> np.ndarray:
    n_groups = book.n_groups
    cross = ~book.isolated
    group_pnl = np.bincount(book.symbol_group, np.where(cross, pnl, 0.0), n_groups)
    group_req = np.bincount(book.symbol_group, np.where(cross, req, 0.0), n_groups)
    first_leg = np.full(n_groups, -1, dtype=np.intp)
    first_leg[book.symbol_group[::-1]] = np.arange(len(book.symbol_group))[::-1]
    group_account = book.account[first_leg]
    group_isolated = book.isolated[first_leg]
    group_collateral = book.collateral[first_leg]
    others = book.wallet[group_account] + (acc_pnl[group_account] - group_pnl)
    others -= acc_req[group_account] - group_req
    constant = np.where(group_isolated, group_collateral, others)
    legs = np.arange(len(book.size))
    z = solve_groups(
        book, legs, book.symbol_group, n_groups, np.ones(len(legs)), constant, book.mark[first_leg]
    )
    return z[book.symbol_group]


def _break_moves(book: PositionBook) -> np.ndarray:
    """Uniform relative move of all marks that liquidates each account's cross part; NaN if none.

    0 when the account is already liquidated; otherwise the move of smallest magnitude within
    ``[BREAK_MOVE_MIN, BREAK_MOVE_MAX]``.
    """
    n_accounts = len(book.wallet)
    legs = np.nonzero(~book.isolated)[0]
    if len(legs) == 0:
        return np.full(n_accounts, np.nan)
    groups = book.account[legs]
    alpha = book.mark[legs]
    start = np.ones(n_accounts)
    gap_now = group_gaps(book, legs, groups, n_accounts, alpha, book.wallet, start)
    y = solve_groups(
        book,
        legs,
        groups,
        n_accounts,
        alpha,
        book.wallet,
        start,
        low=1.0 + BREAK_MOVE_MIN,
        high=1.0 + BREAK_MOVE_MAX,
        metric="linear",
    )
    has_cross = np.bincount(groups, minlength=n_accounts) > 0
    moves = np.where(gap_now <= 0.0, 0.0, y - 1.0)
    return np.where(has_cross, moves, np.nan)


def assess_book(book: PositionBook) -> BookRisk:
    """Vectorised risk of every leg and account in ``book`` (the batch path behind :func:`assess`)."""
    n_accounts = len(book.wallet)
    mark = book.mark
    pnl = book.pnl(mark)
    req, tier = book.requirement(mark)
    cross = ~book.isolated
    acc_req = np.bincount(book.account, np.where(cross, req, 0.0), n_accounts)
    acc_pnl_cross = np.bincount(book.account, np.where(cross, pnl, 0.0), n_accounts)
    acc_pnl = np.bincount(book.account, pnl, n_accounts)
    acc_collateral = np.bincount(book.account, book.collateral_held, n_accounts)
    acc_balance = book.wallet + acc_pnl_cross
    # a pooled account's ratio counts the other settle currencies' MM on both sides of the wallet term
    acc_ratio = _ratio(acc_req + book.pooled_mm, acc_balance + book.pooled_mm)

    liq = _liquidation_prices(book, pnl, req, acc_pnl_cross, acc_req)
    leg_balance = np.where(book.isolated, book.collateral + pnl, (acc_balance + book.pooled_mm)[book.account])
    leg_ratio = np.where(book.isolated, _ratio(req, leg_balance), acc_ratio[book.account])
    # (mark - liq)/mark for a long, (liq - mark)/mark for a short; a hedged leg can be liquidated on
    # its favourable side, so the sign says whether the leg is alive, not which side the price is on.
    distance = np.abs(mark - liq) / mark * np.where(leg_ratio < 1.0, 1.0, -1.0)
    return BookRisk(
        liquidation_price=liq,
        distance=distance,
        maintenance=req,
        tier=tier,
        pnl=pnl,
        notional=book.notional(mark),
        leg_margin_balance=leg_balance,
        leg_margin_ratio=leg_ratio,
        account_maintenance=acc_req + book.pooled_mm,
        account_margin_balance=acc_balance + book.pooled_mm,
        account_margin_ratio=acc_ratio,
        account_equity=book.wallet + book.pooled_mm + acc_collateral + acc_pnl,
        account_pnl=acc_pnl,
        break_move=_break_moves(book),
    )


def _none_for_nan(values: np.ndarray) -> list[float | None]:
    """``values.tolist()`` with ``None`` where a value is NaN ("no such price")."""
    boxed = values.astype(object)
    boxed[np.isnan(values)] = None
    return boxed.tolist()


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def assess_many(accounts: Sequence[Account]) -> list[AccountRisk]:
    """:func:`assess` for several accounts at once, vectorised across all their positions."""
    book = build_book(accounts)
    risk = assess_book(book)
    kinds = np.array([k == MARGIN_RATIO_EQUITY_OVER_MM for k in book.margin_ratio_kind], dtype=bool)

    origin = book.origin
    share = book.share
    # Per caller position: the merged leg's values, money scaled by the position's share of it.
    o_account = book.account_of_origin
    o_sign = book.sign[origin]
    o_size = book.size[origin] * share
    o_entry = book.origin_entry
    o_mark = book.mark[origin]
    o_pnl = np.where(
        book.inverse[origin],
        o_sign * o_size * (1.0 / o_entry - 1.0 / o_mark),
        o_sign * o_size * (o_mark - o_entry),
    )
    o_liq = risk.liquidation_price[origin]
    venue_liq = book.venue_liquidation
    # Modes that cannot be computed exactly: the venue's own liquidation price and ratio, not ours.
    venue_only = np.array([a.venue_figures for a in accounts], dtype=bool)
    o_venue_only = venue_only[o_account] if len(o_account) else np.zeros(0, dtype=bool)
    o_distance = risk.distance[origin]
    if o_venue_only.any():
        o_liq = np.where(o_venue_only, venue_liq, o_liq)
        with np.errstate(invalid="ignore"):
            venue_distance = np.where(o_sign > 0, o_mark - venue_liq, venue_liq - o_mark) / o_mark
        o_distance = np.where(o_venue_only, venue_distance, o_distance)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.where(o_venue_only, np.nan, (o_liq - venue_liq) / venue_liq)
    acc_ratio = risk.account_margin_ratio.copy()
    for a, account in enumerate(accounts):
        if account.venue_figures and account.venue_margin_ratio is not None:
            acc_ratio[a] = account.venue_margin_ratio
    o_ratio = np.where(
        o_venue_only & ~book.isolated[origin], acc_ratio[o_account], risk.leg_margin_ratio[origin]
    )
    o_venue_ratio = _venue_ratio(o_ratio, kinds[o_account])
    acc_venue_ratio = _venue_ratio(acc_ratio, kinds)
    # tuple.__new__ straight from C: the named tuple's Python-level __new__ costs ~0.3 us a row.
    make_row = partial(tuple.__new__, PositionRisk)
    position_risks = list(
        map(
            make_row,
            zip(
                _none_for_nan(o_liq),
                (risk.maintenance[origin] * share).tolist(),
                _none_for_nan(o_distance),
                (risk.notional[origin] * share).tolist(),
                o_pnl.tolist(),
                risk.leg_margin_balance[origin].tolist(),
                o_ratio.tolist(),
                o_venue_ratio.tolist(),
                risk.tier[origin].tolist(),
                _none_for_nan(venue_liq),
                _none_for_nan(gap),
                strict=True,
            ),
        )
    )
    results: list[AccountRisk] = []
    start = 0
    for a, account in enumerate(accounts):
        count = len(account.positions)
        results.append(
            AccountRisk(
                positions=position_risks[start : start + count],
                maintenance_margin=float(risk.account_maintenance[a]),
                margin_balance=float(risk.account_margin_balance[a]),
                margin_ratio=float(acc_ratio[a]),
                venue_margin_ratio=float(acc_venue_ratio[a]),
                venue_margin_ratio_kind=book.margin_ratio_kind[a],
                equity=float(risk.account_equity[a]),
                unrealized_pnl=float(risk.account_pnl[a]),
                break_move=_optional(float(risk.break_move[a])),
                settle_currency=account.settle_currency,
                margin_mode=account.margin_mode,
                venue_figures=account.venue_figures,
            )
        )
        start += count
    return results


def assess(account: Account) -> AccountRisk:
    """Risk of one account at the current marks (see :class:`risk.results.AccountRisk`).

    Raises
    ------
    ValueError
        When an instrument has no tiers, or the account mixes linear and inverse instruments.
    """
    if not isinstance(account, Account):
        raise ValueError(f"account must be a risk.Account, got {type(account).__name__}")
    return assess_many([account])[0]
