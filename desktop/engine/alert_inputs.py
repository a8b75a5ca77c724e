"""Turn an engine snapshot into the observations the alert rules judge (no Qt, no I/O).

Mapping (units as in :mod:`risk.alerts`):

* every position row → :class:`PositionObservation` with key ``"<account_id>:<symbol>:<side>"``, its
  distance (fraction of mark) and, for **isolated** positions only, its margin ratio (a cross position's
  ratio is the account's and is judged once, on the account);
* every account with a risk result → :class:`AccountObservation` (cross margin ratio, break move);
* every feed → :class:`FeedObservation`; times go from epoch seconds to epoch ms; a feed whose last
  :data:`DISCONNECTED_AFTER_ERRORS` reads failed in a row counts as disconnected, with the error text;
* every underlying with a cascade view → one :class:`MarketObservation` keyed by the underlying
  (``BTC``: every venue and quote of it share one state), with score 0-100, regime and reasons.

:func:`subjects` gives the keys of one snapshot, so the caller can retire what disappeared.

Markets are judged per underlying (:func:`by_underlying`): BTC on every venue and quote is one market
subject (``"BTC"``), its score the highest and its regime the most severe of its symbols, so a cascade
raises one market alert, not one per venue symbol. :func:`live_values` gives the current value of the
subjects on screen (toasts update in place with it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from desktop.engine.snapshots import EngineSnapshot, FeedStatus, PositionRow
from risk.alerts import (
    AccountObservation,
    FeedObservation,
    MarketObservation,
    Observation,
    PositionObservation,
)

DISCONNECTED_AFTER_ERRORS = 3
"""Consecutive failed reads after which a polled feed counts as disconnected (one failure is jitter)."""


def position_key(row: PositionRow) -> str:
    account_id, symbol, side = row.key
    return f"{account_id}:{symbol}:{side}"


def _finite_or_none(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def feed_observation(feed: FeedStatus) -> FeedObservation:
    last_ms = None if feed.last_update is None else round(feed.last_update * 1000)
    failing = feed.error is not None and feed.consecutive_errors >= DISCONNECTED_AFTER_ERRORS
    return FeedObservation(
        feed_id=feed.feed_id,
        last_update_ms=last_ms,
        expected_interval_ms=max(1, round(feed.expected_interval * 1000)),
        connected=not failing,
        error=feed.error,
        label=feed.label,
    )


@dataclass(frozen=True, slots=True)
class PositionArrays:
    """Every position of a snapshot as arrays for :meth:`risk.alerts.AlertEngine.observe_positions`:
    ``distances`` (N,) NaN where no liquidation price, ``margin_ratios`` (N,) NaN for cross positions."""

    keys: list[str]
    distances: np.ndarray
    margin_ratios: np.ndarray
    labels: list[str]


def position_arrays(snapshot: EngineSnapshot) -> PositionArrays:
    return position_arrays_of([row for account in snapshot.accounts for row in account.rows])


def position_arrays_of(rows: Sequence[PositionRow]) -> PositionArrays:
    """:class:`PositionArrays` of some rows (e.g. those of the accounts that changed)."""
    nan = math.nan
    return PositionArrays(
        keys=[position_key(row) for row in rows],
        distances=np.fromiter(
            (nan if row.distance is None else row.distance for row in rows), dtype=np.float64, count=len(rows)
        ),
        margin_ratios=np.fromiter(
            (row.margin_ratio if row.margin_mode == "isolated" else nan for row in rows),
            dtype=np.float64,
            count=len(rows),
        ),
        labels=[f"{row.account_label} {row.symbol} {row.side}" for row in rows],
    )


def observations_from_snapshot(snapshot: EngineSnapshot, *, positions: bool = True) -> list[Observation]:
    """Everything in ``snapshot`` the alert rules judge, in a stable order (``positions=False``: all but
    the positions, for callers that pass those as :func:`position_arrays`)."""
    found: list[Observation] = []
    for account in snapshot.accounts:
        if account.risk is not None:
            found.append(
                AccountObservation(
                    account.account_id,
                    margin_ratio=_finite_or_none(account.risk.margin_ratio),
                    break_move=_finite_or_none(account.risk.break_move),
                    label=account.label,
                )
            )
        for row in account.rows if positions else ():
            found.append(
                PositionObservation(
                    position_key(row),
                    distance=_finite_or_none(row.distance),
                    margin_ratio=_finite_or_none(row.margin_ratio) if row.margin_mode == "isolated" else None,
                    label=f"{row.account_label} {row.symbol} {row.side}",
                )
            )
    for feed in snapshot.feeds:
        found.append(feed_observation(feed))
    # One cascade state per underlying: every symbol of it carries the same view; observe it once.
    markets_seen: set[str] = set()
    for symbol, series in sorted(snapshot.markets.items()):
        if series.cascade is not None:
            view = series.cascade
            market = view.market or symbol
            if market in markets_seen:
                continue
            markets_seen.add(market)
            found.append(
                MarketObservation(
                    market,
                    score=_finite_or_none(view.score),
                    regime=view.regime,
                    reasons=tuple(view.reasons),
                    label=market,
                )
            )
    return found


REGIME_ORDER: tuple[str, ...] = ("calm", "exhausting", "loaded", "firing")
"""Regimes from mildest to most severe (the alert levels' order: exhausting info, loaded warning)."""


def underlying(symbol: str) -> str:
    """The base currency of a ccxt unified symbol (``"BTC/USDC:USDC"`` -> ``"BTC"``); a key without a
    slash is already an underlying and is returned as is."""
    return symbol.split("/", 1)[0] if "/" in symbol else symbol


def _regime_rank(regime: str | None) -> int:
    return REGIME_ORDER.index(regime) if regime in REGIME_ORDER else -1


def by_underlying(observations: Sequence[Observation]) -> list[Observation]:
    """``observations`` with the market ones merged per underlying (other kinds unchanged, in order;
    the merged markets at the place of their first symbol). Score: the highest of the group (``None``
    only if all are); regime: the most severe; reasons: the worst symbol's, naming it."""
    groups: dict[str, list[MarketObservation]] = {}
    for observation in observations:
        if isinstance(observation, MarketObservation):
            groups.setdefault(underlying(observation.key), []).append(observation)
    merged: list[Observation] = []
    done: set[str] = set()
    for observation in observations:
        if not isinstance(observation, MarketObservation):
            merged.append(observation)
            continue
        base = underlying(observation.key)
        if base in done:
            continue
        done.add(base)
        group = groups[base]
        scores = [m.score for m in group if m.score is not None]
        worst = max(group, key=lambda m: (_regime_rank(m.regime), -math.inf if m.score is None else m.score))
        many = len(group) > 1 or worst.key != base
        reasons = tuple(f"{worst.key}: {r}" for r in worst.reasons) if many else worst.reasons
        merged.append(
            MarketObservation(
                base,
                score=max(scores) if scores else None,
                regime=worst.regime,
                reasons=reasons,
                label=base,
            )
        )
    return merged


def live_values(
    snapshot: EngineSnapshot, subjects: set[str]
) -> dict[str, dict[str, tuple[float | None, str]]]:
    """The current value of each alert kind of ``subjects`` (position keys, account ids, underlyings):
    ``{subject: {kind: (value, detail)}}`` in the units of :mod:`risk.alerts` (``break_move`` signed as
    the account card shows it; ``regime`` has no value, its name in ``detail``). Subjects not in the
    snapshot are left out. Only accounts holding a wanted subject are walked."""
    found: dict[str, dict[str, tuple[float | None, str]]] = {}
    if not subjects:
        return found
    for account in snapshot.accounts:
        prefix = account.account_id + ":"
        if account.account_id in subjects and account.risk is not None:
            found[account.account_id] = {
                "account_margin_ratio": (_finite_or_none(account.risk.margin_ratio), ""),
                "break_move": (_finite_or_none(account.risk.break_move), ""),
            }
        if not any(s.startswith(prefix) for s in subjects):
            continue
        for row in account.rows:
            key = position_key(row)
            if key in subjects:
                found[key] = {
                    "distance": (_finite_or_none(row.distance), ""),
                    "position_margin_ratio": (_finite_or_none(row.margin_ratio), ""),
                }
    markets: dict[str, list[tuple[float | None, str]]] = {}
    for symbol, series in snapshot.markets.items():
        base = underlying(symbol)
        if base in subjects and series.cascade is not None:
            markets.setdefault(base, []).append(
                (_finite_or_none(series.cascade.score), series.cascade.regime)
            )
    for base, views in markets.items():
        scores = [score for score, _ in views if score is not None]
        regime = max((regime for _, regime in views), key=_regime_rank)
        found[base] = {
            "cascade_score": (max(scores) if scores else None, ""),
            "regime": (None, regime),
        }
    return found


def subjects(observations: list[Observation]) -> set[str]:
    """The subject keys of some observations (positions, accounts, feeds, markets)."""
    keys: set[str] = set()
    for observation in observations:
        keys.add(observation.feed_id if isinstance(observation, FeedObservation) else observation.key)
    return keys


def position_flags_of(rows: Sequence[PositionRow]) -> list[tuple[str, str, tuple[tuple[str, str, str], ...]]]:
    """``(key, label, flags)`` of some rows for :meth:`risk.alerts.AlertEngine.observe_position_flags`
    (venue-gap and ADL warnings, see :mod:`risk.position_flags`)."""
    return [
        (
            position_key(row),
            f"{row.account_label} {row.symbol} {row.side}",
            tuple((flag.kind, flag.title, flag.message) for flag in row.flags),
        )
        for row in rows
    ]
