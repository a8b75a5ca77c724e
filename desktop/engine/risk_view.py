"""Turns accounts and the market history into what the window shows (loop thread).

This is the one place where the desktop calls the risk library for accounts: ``risk.assess_many``,
``risk.stress``, the distance measures and the stop suggester, each **once for all positions of all
accounts** (vectorised: 10,000 positions must fit in a frame). Everything it returns is immutable; the
stop's reasons are worded on demand (only for the row the user looks at).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

import risk
from desktop.engine.snapshots import (
    AccountSnapshot,
    FeedStatus,
    MarketSeries,
    PositionRow,
    PositionScreen,
    Severity,
    StopView,
)
from desktop.settings import AppConfig
from risk import Account, AccountRisk, Position, StressResult
from risk.distance import HORIZON_24H, sigma_distance_array, touch_probability_array
from risk.position_flags import (
    VENUE_GAP_LIMIT,
    PositionFlag,
    adl_flag,
    likely_gap_cause,
    venue_gap_flag,
    venue_gap_share,
)
from risk.slippage import DepthCurve
from risk.stops import BINDING_RULES, suggest_stops
from risk.venues import rules_for

log = logging.getLogger(__name__)

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


def severity_array(distance: np.ndarray, margin_ratio: np.ndarray, thresholds: RiskThresholds) -> np.ndarray:
    """:func:`severity_of` elementwise (NaN distance or ratio: no tier from it; inf ratio: critical)."""

    def level(values: np.ndarray, limits: tuple[float, ...], higher_is_worse: bool) -> np.ndarray:
        if not limits:
            return np.zeros(values.shape, dtype=np.int64)
        with np.errstate(invalid="ignore"):
            hits = [(values >= x) if higher_is_worse else (values <= x) for x in limits]
        crossed = np.sum(hits, axis=0)
        return np.where(crossed > 0, np.maximum(1, np.ceil(crossed * 3 / len(limits))), 0).astype(np.int64)

    levels = np.maximum(
        level(distance, thresholds.distance_tiers, False),
        level(margin_ratio, thresholds.margin_ratio_tiers, True),
    )
    return np.where(np.isinf(margin_ratio), int(Severity.CRITICAL), levels)


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


_POSITION_FIELDS = tuple(f.name for f in dataclasses.fields(Position))


def _with_mark(position: Position, mark: float) -> Position:
    """``position`` at another mark, without re-running the constructor's checks.

    Every other field was validated when ``position`` was built and ``mark`` is checked by the caller
    (finite, > 0); ``dataclasses.replace`` would re-validate all of them, which is most of the cost of
    re-marking 10,000 positions several times a second.
    """
    clone = object.__new__(Position)
    for name in _POSITION_FIELDS:
        object.__setattr__(clone, name, getattr(position, name))
    object.__setattr__(clone, "mark_price", mark)
    return clone


def remark(account: Account, marks: Mapping[str, float]) -> Account:
    """The account with each position's mark replaced by the latest market mark, where known.

    ``marks`` must hold finite, positive prices (the market history only stores such marks).
    """
    changed = False
    positions = []
    for position in account.positions:
        mark = marks.get(position.instrument.symbol)
        if mark is not None and mark != position.mark_price and mark > 0:
            position = _with_mark(position, mark)
            changed = True
        positions.append(position)
    if not changed:
        return account
    clone = copy.copy(account)
    object.__setattr__(clone, "positions", tuple(positions))  # same instruments and venue: still valid
    return clone


@dataclass(frozen=True, slots=True)
class AccountInput:
    """One account to assess: its id and label, the account at current marks, and its feed."""

    account_id: str
    label: str
    account: Account
    feed: FeedStatus
    funding_paid_24h: float | None = None
    """Funding the venue booked over the last 24 h (settle currency, negative = paid); None = unknown."""


def _depth_curve(depth_usd: float, mark: float, contract_size: float, inverse: bool) -> DepthCurve | None:
    """The book side within 1 % of mid as a straight cumulative curve, in contracts."""
    if not math.isfinite(depth_usd) or depth_usd <= 0:
        return None
    contracts = depth_usd / contract_size if inverse else depth_usd / (mark * contract_size)
    return DepthCurve(np.array([0.0, 0.01]), np.array([0.0, contracts]))


def _assess_all(accounts: Sequence[Account]) -> list[AccountRisk | str]:
    """``risk.assess_many``; when the batch is refused, each account alone (so one bad account only
    loses itself): an :class:`AccountRisk` or the error text per account."""
    try:
        return list(risk.assess_many(accounts))
    except ValueError:
        results: list[AccountRisk | str] = []
        for account in accounts:
            try:
                results.append(risk.assess(account))
            except ValueError as exc:
                results.append(f"risk: {exc}")
        return results


@dataclass(frozen=True, slots=True)
class _Flat:
    """Every position of every assessed account as arrays (one entry per position)."""

    account_index: np.ndarray
    position_index: np.ndarray
    side: list[str]
    mark: np.ndarray
    entry: np.ndarray
    liquidation: np.ndarray
    contracts: np.ndarray
    contract_size: np.ndarray
    inverse: np.ndarray
    equity: np.ndarray
    fee: np.ndarray
    maintenance_rate: np.ndarray
    sigma_annual: np.ndarray
    allowance: np.ndarray
    depth: list[DepthCurve | None]
    distance: np.ndarray
    margin_ratio: np.ndarray


def _flatten(
    inputs: Sequence[AccountInput], results: Sequence[AccountRisk | str], markets: Mapping[str, MarketSeries]
) -> _Flat:
    rows: dict[str, list] = {k: [] for k in _Flat.__dataclass_fields__}
    depth_cache: dict[tuple[str, str], DepthCurve | None] = {}
    for a, (item, result) in enumerate(zip(inputs, results, strict=True)):
        if isinstance(result, str):
            continue
        for i, (position, position_risk) in enumerate(
            zip(item.account.positions, result.positions, strict=True)
        ):
            instrument = position.instrument
            series = markets.get(instrument.symbol)
            sigma = math.nan
            allowance = 0.005
            if series is not None and len(series.mark):
                if series.volatility_24h:
                    sigma = series.volatility_24h * math.sqrt(365.0)
                basis = float(series.basis[-1])
                allowance = min(0.2, allowance + (abs(basis) if math.isfinite(basis) else 0.0))
                key = (instrument.symbol, position.side)
                if key not in depth_cache:
                    book = series.depth_bid if position.side == "long" else series.depth_ask
                    depth_cache[key] = _depth_curve(
                        float(book[-1]), position.mark_price, instrument.contract_size, instrument.inverse
                    )
            notional = abs(position_risk.notional)
            rows["account_index"].append(a)
            rows["position_index"].append(i)
            rows["side"].append(position.side)
            rows["mark"].append(position.mark_price)
            rows["entry"].append(position.entry_price)
            liq = position_risk.liquidation_price
            rows["liquidation"].append(math.nan if liq is None else liq)
            rows["contracts"].append(position.contracts)
            rows["contract_size"].append(instrument.contract_size)
            rows["inverse"].append(instrument.inverse)
            rows["equity"].append(result.equity)
            rows["fee"].append(instrument.taker_fee_rate)
            rows["maintenance_rate"].append(
                min(0.99, position_risk.maintenance_margin / notional) if notional > 0 else 0.0
            )
            rows["sigma_annual"].append(sigma)
            rows["allowance"].append(allowance)
            rows["depth"].append(depth_cache.get((instrument.symbol, position.side)))
            rows["distance"].append(math.nan if position_risk.distance is None else position_risk.distance)
            rows["margin_ratio"].append(position_risk.margin_ratio)
    arrays = {
        k: (v if k in ("side", "depth") else np.asarray(v, dtype=bool if k == "inverse" else float))
        for k, v in rows.items()
    }
    arrays["account_index"] = arrays["account_index"].astype(np.int64)
    arrays["position_index"] = arrays["position_index"].astype(np.int64)
    return _Flat(**arrays)


def _symbol_sides(inputs: Sequence[AccountInput], flat: _Flat) -> list[tuple[str, str]]:
    return [
        (inputs[int(a)].account.positions[int(i)].instrument.symbol, side)
        for a, i, side in zip(flat.account_index, flat.position_index, flat.side, strict=True)
    ]


def _stops(flat: _Flat) -> list[StopView | None]:
    """The stop suggester over every position at once; ``None`` where it cannot apply."""
    n = len(flat.side)
    usable = flat.equity > 0
    if n == 0 or not usable.any():
        return [None] * n
    pick = np.flatnonzero(usable)
    sigma = flat.sigma_annual[pick]
    has_sigma = np.isfinite(sigma) & (sigma > 0)
    liquidation = flat.liquidation[pick]
    try:
        batch = suggest_stops(
            side=[flat.side[i] for i in pick],
            entry_price=flat.entry[pick],
            mark_price=flat.mark[pick],
            liquidation_price=[None if math.isnan(x) else x for x in liquidation],
            contracts=flat.contracts[pick],
            equity=flat.equity[pick],
            taker_fee_rate=flat.fee[pick],
            contract_size=flat.contract_size[pick],
            inverse=flat.inverse[pick],
            depth=[flat.depth[i] for i in pick],
            mark_last_allowance=flat.allowance[pick],
            sigma_annual=[float(x) if ok else None for x, ok in zip(sigma, has_sigma, strict=True)],
            horizon_years=[HORIZON_24H if ok else None for ok in has_sigma],
            maintenance_rate=flat.maintenance_rate[pick],
        )
    except ValueError as exc:  # one bad input must not blank the table: say why, per row
        log.warning("stop suggestions unavailable: %s", exc)
        return [StopView(price=None, binding="unavailable", given_reasons=(str(exc),)) for _ in range(n)]
    stops: list[StopView | None] = [None] * n
    for j, i in enumerate(pick):
        price = float(batch.stop_price[j])
        code = int(batch.binding[j])
        stops[i] = StopView(
            price=None if math.isnan(price) else price,
            binding=BINDING_RULES[code] or "none",
            batch=batch,
            index=j,
        )
    return stops


def _tier_index(position: Position, notional: float) -> int:
    tiers = position.instrument.tiers
    basis = position.contracts if position.instrument.venue == "okx" else notional
    return max(0, sum(1 for tier in tiers if tier.notional_floor <= basis) - 1)


def _gap_cause(position: Position, position_risk: risk.PositionRisk, result: AccountRisk) -> str:
    liq = position_risk.liquidation_price
    tier_changes = False
    if liq:
        size = position.size
        notional = size / liq if position.instrument.inverse else size * liq
        tier_changes = _tier_index(position, notional) != position_risk.tier_index
    rules = rules_for(position.instrument.venue)
    fee_terms = rules.fee_in_condition or (
        rules.estimated_close_fee and position.instrument.taker_fee_rate > 0
    )
    return likely_gap_cause(margin_mode=result.margin_mode, fee_terms=fee_terms, tier_changes=tier_changes)


def _funding_of(series: MarketSeries | None) -> tuple[float, float | None, float]:
    """(latest rate per 8 h or NaN, seconds to the next funding or None, interval in hours) of a symbol."""
    if series is None or not len(series.funding):
        return math.nan, None, 8.0
    rate = float(series.funding[-1])
    ahead = None
    if series.next_funding_time is not None and len(series.times):
        ahead = max(0.0, series.next_funding_time - float(series.times[-1]))
    return rate, ahead, series.funding_interval_hours


_make_screen = partial(tuple.__new__, PositionScreen)  # straight from C: ~10,000 rows a frame


def _marks_as_the_venue_saw(account: Account) -> bool:
    """True when every cross position is still at the mark the venue computed its figures with: only then
    does a cross liquidation price compare like for like (it depends on the other legs' marks)."""
    return all(
        p.venue_mark_price is None or p.mark_price == p.venue_mark_price
        for p in account.positions
        if p.margin_mode == "cross"
    )


def _position_screen(
    position: Position,
    position_risk: risk.PositionRisk,
    result: AccountRisk,
    funding_of: tuple[float, float | None, float],
    comparable: bool = True,
) -> PositionScreen:
    """What exchange position screens show: notional, IM, MM, ROE, ADL rank, funding, and the flags.

    ``comparable``: the cross legs are at the venue's marks; otherwise a gap is shown but not flagged
    (the marks moved since the venue's figure, which is no finding about the model)."""
    notional = abs(position_risk.notional)
    if position.margin_mode == "isolated":
        initial = position.collateral
    else:
        initial = notional / position.leverage if position.leverage else None
    pnl = position_risk.unrealized_pnl
    rate, ahead, interval = funding_of
    funding = None if rate != rate else -position.sign * notional * rate  # longs pay a positive rate
    next_payment = None if funding is None or ahead is None else funding * interval / 8.0
    gap = None
    flags: tuple[PositionFlag, ...] = ()
    venue = position.venue_liquidation_price
    if venue is not None and not result.venue_figures:
        liq = position_risk.liquidation_price
        gap = venue_gap_share(position.mark_price, liq, venue)
        if gap is not None and gap > VENUE_GAP_LIMIT and (comparable or position.margin_mode == "isolated"):
            flag = venue_gap_flag(
                position.mark_price, liq, venue, _gap_cause(position, position_risk, result)
            )
            flags = (flag,) if flag is not None else ()
    if position.adl_rank is not None:
        adl = adl_flag(position.adl_rank, pnl)
        if adl is not None:
            flags += (adl,)
    return _make_screen(
        (
            gap,
            notional,
            initial,
            position_risk.maintenance_margin,
            pnl / initial if initial else None,
            position.adl_rank,
            funding,
            None if funding is None else ahead,
            next_payment,
            flags,
        )
    )


def assess_accounts(
    inputs: Sequence[AccountInput],
    markets: Mapping[str, MarketSeries],
    thresholds: RiskThresholds,
    *,
    stress_for: frozenset[str] | None = None,
    previous_stress: Mapping[str, StressResult] | None = None,
    previous_stops: Mapping[tuple[str, str, str], StopView | None] | None = None,
) -> list[AccountSnapshot]:
    """Assess every account and build its snapshot, vectorised across all positions.

    ``stress_for`` names the accounts whose stress curve is recomputed (``None``: all); the others
    keep ``previous_stress``. With ``previous_stops`` (keyed by ``PositionRow.key``) the stop
    suggester is not run and those stops are shown (the engine refreshes stops at a lower rate than
    marks). A risk error of one account becomes that account's feed error.
    """
    results = _assess_all([item.account for item in inputs])
    flat = _flatten(inputs, results, markets)
    with np.errstate(invalid="ignore", divide="ignore"):
        liq_or_none = [None if math.isnan(x) else x for x in flat.liquidation]
        sigma = flat.sigma_annual
        valid_sigma = np.where(np.isfinite(sigma) & (sigma > 0), sigma, 0.0)
        sigma_dist = (
            sigma_distance_array(flat.side, flat.mark, liq_or_none, valid_sigma, HORIZON_24H)
            if len(flat.side)
            else np.zeros(0)
        )
        touch = (
            touch_probability_array(flat.mark, liq_or_none, valid_sigma, HORIZON_24H, sides=flat.side)
            if len(flat.side)
            else np.zeros(0)
        )
    no_sigma = ~(valid_sigma > 0)
    severities = severity_array(flat.distance, flat.margin_ratio, thresholds)
    if previous_stops is None:
        stops = _stops(flat)
    else:
        stops = [
            previous_stops.get((inputs[int(a)].account_id, symbol_side[0], symbol_side[1]))
            for a, symbol_side in zip(flat.account_index, _symbol_sides(inputs, flat), strict=True)
        ]
    by_account: dict[int, list[int]] = {}
    for k, a in enumerate(flat.account_index):
        by_account.setdefault(int(a), []).append(k)
    funding_cache: dict[str, tuple[float, float | None, float]] = {}

    def funding_of(position: Position) -> tuple[float, float | None, float]:
        symbol = position.instrument.symbol
        found = funding_cache.get(symbol)
        if found is None:
            found = funding_cache[symbol] = _funding_of(markets.get(symbol))
        return found

    snapshots = []
    for a, (item, result) in enumerate(zip(inputs, results, strict=True)):
        feed = item.feed
        if isinstance(result, str):
            feed = dataclasses.replace(feed, error=result)
            snapshots.append(
                AccountSnapshot(item.account_id, item.label, item.account.venue, feed, item.account)
            )
            continue
        rows = []
        account = item.account
        comparable = _marks_as_the_venue_saw(account)
        for k in by_account.get(a, ()):
            i = int(flat.position_index[k])
            position, position_risk = account.positions[i], result.positions[i]
            distance = position_risk.distance
            ratio = position_risk.margin_ratio
            rows.append(
                PositionRow(
                    account_id=item.account_id,
                    account_label=item.label,
                    venue=account.venue,
                    symbol=position.instrument.symbol,
                    side=position.side,
                    margin_mode=position.margin_mode,
                    contracts=position.contracts,
                    size=position.size,
                    entry_price=position.entry_price,
                    mark_price=position.mark_price,
                    liquidation_price=position_risk.liquidation_price,
                    venue_liquidation_price=position.venue_liquidation_price,
                    distance=distance,
                    sigma_distance=None if no_sigma[k] or math.isnan(sigma_dist[k]) else float(sigma_dist[k]),
                    touch_probability=None if no_sigma[k] or math.isnan(touch[k]) else float(touch[k]),
                    margin_ratio=ratio,
                    stop=stops[k],
                    unrealized_pnl=position_risk.unrealized_pnl,
                    settle_currency=account.settle_currency,
                    leverage=position.leverage,
                    severity=Severity(int(severities[k])),
                    screen=_position_screen(
                        position, position_risk, result, funding_of(position), comparable
                    ),
                )
            )
        severity = max((row.severity for row in rows), default=Severity.OK)
        if result.maintenance_margin > 0:
            severity = max(severity, severity_of(None, result.margin_ratio, thresholds))
        stress = (previous_stress or {}).get(item.account_id)
        if stress_for is None or item.account_id in stress_for or stress is None:
            try:
                stress = risk.stress(account, STRESS_SHOCKS)
            except ValueError as exc:
                log.warning("stress of %s: %s", item.label, exc)
                stress = None
        fundings = [row.funding_8h for row in rows if row.funding_8h is not None]
        snapshots.append(
            AccountSnapshot(
                account_id=item.account_id,
                label=item.label,
                venue=account.venue,
                feed=feed,
                account=account,
                risk=result,
                stress=stress,
                rows=tuple(rows),
                severity=Severity(severity),
                funding_24h=3.0 * sum(fundings) if fundings else None,
                funding_paid_24h=item.funding_paid_24h,
            )
        )
    return snapshots


def assess_account(
    account_id: str,
    label: str,
    account: Account,
    feed: FeedStatus,
    markets: Mapping[str, MarketSeries],
    thresholds: RiskThresholds,
) -> AccountSnapshot:
    """Assess one account (see :func:`assess_accounts`)."""
    return assess_accounts([AccountInput(account_id, label, account, feed)], markets, thresholds)[0]
