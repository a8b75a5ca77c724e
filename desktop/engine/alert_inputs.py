"""Turn an engine snapshot into the observations the alert rules judge (no Qt, no I/O).

Mapping (units as in :mod:`risk.alerts`):

* every position row → :class:`PositionObservation` with key ``"<account_id>:<symbol>:<side>"``, its
  distance (fraction of mark) and, for **isolated** positions only, its margin ratio (a cross position's
  ratio is the account's and is judged once, on the account);
* every account with a risk result → :class:`AccountObservation` (cross margin ratio, break move);
* every feed → :class:`FeedObservation`; times go from epoch seconds to epoch ms; a feed whose last
  :data:`DISCONNECTED_AFTER_ERRORS` reads failed in a row counts as disconnected, with the error text;
* every market with a cascade view → :class:`MarketObservation` (score 0-100, regime, reasons).

:func:`subjects` gives the keys of one snapshot, so the caller can retire what disappeared.
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
    if feed.connected is not None:  # a stream knows its transport state; no need to count errors
        failing = not feed.connected
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
    for symbol, series in sorted(snapshot.markets.items()):
        if series.cascade is not None:
            view = series.cascade
            found.append(
                MarketObservation(
                    symbol,
                    score=_finite_or_none(view.score),
                    regime=view.regime,
                    reasons=tuple(view.reasons),
                    label=symbol,
                )
            )
    return found


def subjects(observations: list[Observation]) -> set[str]:
    """The subject keys of some observations (positions, accounts, feeds, markets)."""
    keys: set[str] = set()
    for observation in observations:
        keys.add(observation.feed_id if isinstance(observation, FeedObservation) else observation.key)
    return keys
