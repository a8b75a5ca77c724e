"""Result types of :func:`risk.assess` and :func:`risk.stress`.

Money is in the account's settle currency; prices in quote currency per base unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

MARGIN_RATIO_MM_OVER_EQUITY = "mm/equity"
"""Binance, Bybit, Bitget, Hyperliquid: maintenance / margin balance; >= 1 liquidates."""
MARGIN_RATIO_EQUITY_OVER_MM = "equity/mm"
"""OKX, Gate: margin balance / (maintenance + fees); <= 1 liquidates."""


class PositionRisk(NamedTuple):
    """Risk of one position at the current marks (an immutable named tuple: cheap to build by the
    ten thousand, safe to hand to another thread).

    Attributes
    ----------
    liquidation_price
        Mark price of this instrument at which the position (isolated) or the account (cross, every
        other instrument held at its mark) reaches its maintenance requirement; ``None`` when no
        positive price does.
    maintenance_margin
        Maintenance margin at the current mark (settle currency), tier applied; includes the
        venue's close-fee term where the venue's liquidation condition has one.
    distance
        Fraction of the mark: ``(mark - liq)/mark`` for a long, ``(liq - mark)/mark`` for a short;
        ``None`` without a liquidation price. Negative means "past the liquidation price" (margin
        ratio >= 1). A hedged cross leg can be liquidated on its favourable side (a long whose
        liquidation price is above the mark); its distance is then ``|mark - liq|/mark``, positive
        while the leg is alive.
    notional
        ``contracts * contract_size * mark`` (quote) for linear, ``contracts * contract_size / mark``
        (coin) for inverse.
    unrealized_pnl
        Settle currency, positive in profit.
    margin_balance
        Isolated: collateral + PnL; cross: the account's margin balance.
    margin_ratio
        Isolated: maintenance / (collateral + PnL); cross: the account's ratio. >= 1 liquidates.
        ``inf`` when the margin balance is <= 0.
    venue_margin_ratio
        The same quantity as the venue displays it (see ``AccountRisk.venue_margin_ratio_kind``).
    tier_index
        Index of the maintenance tier at the current mark.
    venue_liquidation_price
        What the venue reported, if anything.
    liquidation_price_gap
        Relative difference ``(computed - venue)/venue`` when both exist, else ``None``.
    """

    liquidation_price: float | None
    maintenance_margin: float
    distance: float | None
    notional: float
    unrealized_pnl: float
    margin_balance: float
    margin_ratio: float
    venue_margin_ratio: float
    tier_index: int
    venue_liquidation_price: float | None = None
    liquidation_price_gap: float | None = None


@dataclass(frozen=True, slots=True)
class AccountRisk:
    """Risk of one account at the current marks.

    Attributes
    ----------
    positions
        One :class:`PositionRisk` per input position, in the same order.
    maintenance_margin
        Sum over **cross** positions at current marks (settle currency).
    margin_balance
        Wallet balance + unrealised PnL of cross positions.
    margin_ratio
        ``maintenance_margin / margin_balance``; >= 1 means liquidation; ``inf`` when the margin
        balance is <= 0 with maintenance > 0, 0 when there is nothing in cross.
    venue_margin_ratio, venue_margin_ratio_kind
        The ratio as the venue shows it and which way it points (``"mm/equity"``: >= 1 liquidates;
        ``"equity/mm"``: <= 1 liquidates).
    equity
        Wallet + collateral of isolated positions + PnL of all positions.
    unrealized_pnl
        Sum over all positions.
    break_move
        Uniform relative move of every mark (e.g. -0.23 = all marks 23 % lower) at which the cross
        part of the account is liquidated; the move of smallest magnitude within -99 %..+1000 %,
        ``None`` if none.
    margin_mode, venue_figures
        The account's :attr:`risk.Account.margin_mode`; ``venue_figures`` True when the liquidation
        prices, distances and ratio are the venue's (a mode that cannot be computed exactly).
    """

    positions: list[PositionRisk]
    maintenance_margin: float
    margin_balance: float
    margin_ratio: float
    venue_margin_ratio: float
    venue_margin_ratio_kind: str
    equity: float
    unrealized_pnl: float
    break_move: float | None
    settle_currency: str = "USDT"
    margin_mode: str = ""
    venue_figures: bool = False


@dataclass(frozen=True, slots=True)
class StressResult:
    """Account state under uniform relative shocks of every mark.

    Attributes
    ----------
    shocks
        ``(S,)`` the relative moves applied (0.1 = every mark 10 % higher).
    equity
        ``(S,)`` wallet + isolated collateral + PnL of all positions, settle currency.
    margin_ratio
        ``(S,)`` cross maintenance / cross margin balance (>= 1 liquidates; ``inf`` when the
        balance is <= 0; 0 with no cross position).
    liquidated
        ``(S, N)`` bool: isolated positions when their margin <= their maintenance; every cross
        position when the account's cross margin ratio >= 1.
    """

    shocks: np.ndarray
    equity: np.ndarray
    margin_ratio: np.ndarray
    liquidated: np.ndarray
