"""Turns an account and the market history into what the window shows (loop thread).

This is the one place where the desktop calls the risk library for an account: ``risk.assess``,
``risk.stress``, the distance measures and the stop suggester. Everything it returns is immutable.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

import risk
from desktop.settings import AppConfig
from desktop.snapshots import AccountSnapshot, FeedStatus, MarketSeries, PositionRow, Severity, StopView
from risk import Account, AccountRisk, Position, PositionRisk
from risk.distance import HORIZON_24H, sigma_distance, touch_probability
from risk.slippage import DepthCurve
from risk.stops import suggest_stop

STRESS_SHOCKS = np.linspace(-0.5, 0.5, 201)
"""Relative moves of every mark for the stress panel (-50 % .. +50 %, 0.5 % steps)."""


@dataclass(frozen=True, slots=True)
class RiskThresholds:
    """Tiers that colour rows and accounts (the issue's defaults).

    ``distance_tiers``: fractions of the mark (info, warning, critical), e.g. 0.20 / 0.10 / 0.05.
    ``margin_ratio_tiers``: maintenance / margin balance (info, warning, critical).
    """

    distance_tiers: tuple[float, ...] = (0.20, 0.10, 0.05)
    margin_ratio_tiers: tuple[float, ...] = (0.70, 0.80, 0.90)


def thresholds_from(config: AppConfig) -> RiskThresholds:
    """The colouring tiers of the user's settings (the same tiers the alerts use)."""
    return RiskThresholds(tuple(config.distance_tiers), tuple(config.margin_ratio_tiers))


def _tiers_crossed(value: float, limits: tuple[float, ...], higher_is_worse: bool) -> int:
    """Severity level 0..3 of ``value``: crossing the last (worst) tier is always critical."""
    crossed = sum(1 for limit in limits if (value >= limit if higher_is_worse else value <= limit))
    if not limits or crossed == 0:
        return 0
    return max(1, math.ceil(crossed * int(Severity.CRITICAL) / len(limits)))


def severity_of(distance: float | None, margin_ratio: float | None, thresholds: RiskThresholds) -> Severity:
    """The worse of the distance tier and the margin-ratio tier (``inf`` ratio: critical)."""
    level = 0
    if distance is not None:
        level = _tiers_crossed(distance, thresholds.distance_tiers, higher_is_worse=False)
    if margin_ratio is not None:
        if not math.isfinite(margin_ratio):
            return Severity.CRITICAL
        level = max(level, _tiers_crossed(margin_ratio, thresholds.margin_ratio_tiers, higher_is_worse=True))
    return Severity(level)


def remark(account: Account, marks: Mapping[str, float]) -> Account:
    """The account with each position's mark replaced by the latest market mark, where known."""
    positions = [
        dataclasses.replace(p, mark_price=marks[p.instrument.symbol])
        if marks.get(p.instrument.symbol, 0.0) > 0
        else p
        for p in account.positions
    ]
    return dataclasses.replace(account, positions=tuple(positions))


def _sigma_and_touch(
    position: Position, result: PositionRisk | None, volatility_24h: float | None
) -> tuple[float | None, float | None]:
    """Distance in 24 h sigmas and the probability of touching liquidation within 24 h.

    ``volatility_24h`` is the standard deviation of the mark's log return over 24 h (fraction).
    """
    if result is None or result.liquidation_price is None or not volatility_24h:
        return None, None
    sigma_annual = volatility_24h * math.sqrt(365.0)
    sigma = sigma_distance(
        position.side, position.mark_price, result.liquidation_price, sigma_annual, HORIZON_24H
    )
    touch = touch_probability(
        position.mark_price, result.liquidation_price, sigma_annual, HORIZON_24H, side=position.side
    )
    return sigma, touch


def _depth_curve(depth_usd: float, mark: float, contract_size: float, inverse: bool) -> DepthCurve | None:
    """The book side within 1 % of mid as a straight cumulative curve, in contracts."""
    if not math.isfinite(depth_usd) or depth_usd <= 0:
        return None
    contracts = depth_usd / contract_size if inverse else depth_usd / (mark * contract_size)
    return DepthCurve(np.array([0.0, 0.01]), np.array([0.0, contracts]))


def _stop(
    position: Position, result: PositionRisk | None, equity: float | None, series: MarketSeries | None
) -> StopView | None:
    """The stop suggester's answer for one position, with the live book and volatility when known.

    The book side a stop hits: bids for a long, asks for a short. Stops trigger on the last price
    while liquidation triggers on mark, so the current basis (plus 0.5 %) is allowed for.
    """
    if result is None or equity is None or equity <= 0:
        return None
    instrument = position.instrument
    depth = None
    allowance = 0.005
    sigma_annual = None
    if series is not None and len(series.mark):
        book = series.depth_bid if position.side == "long" else series.depth_ask
        depth = _depth_curve(
            float(book[-1]), position.mark_price, instrument.contract_size, instrument.inverse
        )
        basis = float(series.basis[-1])
        allowance = min(0.2, allowance + (abs(basis) if math.isfinite(basis) else 0.0))
        if series.volatility_24h:
            sigma_annual = series.volatility_24h * math.sqrt(365.0)
    notional = abs(result.notional)
    try:
        suggestion = suggest_stop(
            side=position.side,
            entry_price=position.entry_price,
            mark_price=position.mark_price,
            liquidation_price=result.liquidation_price,
            contracts=position.contracts,
            equity=equity,
            taker_fee_rate=instrument.taker_fee_rate,
            contract_size=instrument.contract_size,
            inverse=instrument.inverse,
            depth=depth,
            mark_last_allowance=allowance,
            sigma_annual=sigma_annual,
            horizon_years=HORIZON_24H if sigma_annual else None,
            maintenance_rate=min(0.99, result.maintenance_margin / notional) if notional > 0 else 0.0,
        )
    except ValueError as exc:
        return StopView(price=None, binding="unavailable", reasons=(str(exc),))
    return StopView(
        price=suggestion.stop_price, binding=suggestion.binding or "none", reasons=tuple(suggestion.reasons)
    )


def build_rows(
    account_id: str,
    label: str,
    account: Account,
    result: AccountRisk | None,
    markets: Mapping[str, MarketSeries],
    thresholds: RiskThresholds,
) -> tuple[PositionRow, ...]:
    """One table row per position, in the account's order."""
    rows = []
    for index, position in enumerate(account.positions):
        position_risk = result.positions[index] if result is not None else None
        symbol = position.instrument.symbol
        series = markets.get(symbol)
        sigma, touch = _sigma_and_touch(position, position_risk, series.volatility_24h if series else None)
        if position_risk is not None:
            pnl = position_risk.unrealized_pnl
            margin_ratio = position_risk.margin_ratio
        else:
            pnl = position.sign * position.size * (position.mark_price - position.entry_price)
            margin_ratio = math.nan
        distance = position_risk.distance if position_risk else None
        rows.append(
            PositionRow(
                account_id=account_id,
                account_label=label,
                venue=account.venue,
                symbol=symbol,
                side=position.side,
                margin_mode=position.margin_mode,
                contracts=position.contracts,
                size=position.size,
                entry_price=position.entry_price,
                mark_price=position.mark_price,
                liquidation_price=position_risk.liquidation_price if position_risk else None,
                venue_liquidation_price=position.venue_liquidation_price,
                distance=distance,
                sigma_distance=sigma,
                touch_probability=touch,
                margin_ratio=margin_ratio,
                stop=_stop(position, position_risk, result.equity if result else None, series),
                unrealized_pnl=pnl,
                settle_currency=account.settle_currency,
                leverage=position.leverage,
                severity=severity_of(
                    distance, None if math.isnan(margin_ratio) else margin_ratio, thresholds
                ),
            )
        )
    return tuple(rows)


def assess_account(
    account_id: str,
    label: str,
    account: Account,
    feed: FeedStatus,
    markets: Mapping[str, MarketSeries],
    thresholds: RiskThresholds,
) -> AccountSnapshot:
    """Assess one account and build its snapshot; a risk error becomes the feed's error text."""
    result: AccountRisk | None = None
    stress = None
    try:
        result = risk.assess(account)
        stress = risk.stress(account, STRESS_SHOCKS)
    except ValueError as exc:
        feed = dataclasses.replace(feed, error=f"risk: {exc}")
    rows = build_rows(account_id, label, account, result, markets, thresholds)
    severity = max((row.severity for row in rows), default=Severity.OK)
    if result is not None and result.positions:
        severity = max(severity, severity_of(None, result.margin_ratio, thresholds))
    return AccountSnapshot(
        account_id=account_id,
        label=label,
        venue=account.venue,
        feed=feed,
        account=account,
        risk=result,
        stress=stress,
        rows=rows,
        severity=Severity(severity),
    )
