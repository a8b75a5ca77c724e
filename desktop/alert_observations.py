"""Engine snapshots → the observations that :mod:`risk.alerts` judges (GUI thread).

:class:`ObservationTracker` turns each :class:`~desktop.snapshots.EngineSnapshot` into
:class:`risk.alerts` observations, passing only what changed since the previous snapshot (the alert
engine keeps its state per key, so an unchanged value needs no re-judging; with 10,000 positions this
keeps the GUI thread's work proportional to what moved), and lists the subjects that disappeared (a
closed or liquidated position) so their alerts can be retired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from desktop.snapshots import AccountSnapshot, EngineSnapshot, FeedStatus, PositionRow
from risk.alerts import (
    AccountObservation,
    FeedObservation,
    MarketObservation,
    Observation,
    PositionObservation,
)

DISCONNECTED_AFTER_ERRORS = 2
"""A feed counts as disconnected after this many failed reads in a row (one failure is a retry)."""


def position_subject(row: PositionRow) -> str:
    """Stable key of a position across snapshots and restarts."""
    return f"{row.account_id}:{row.symbol}:{row.side}"


def _finite_or_none(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return value


def position_observation(row: PositionRow) -> PositionObservation:
    isolated_ratio = _finite_or_none(row.margin_ratio) if row.margin_mode == "isolated" else None
    return PositionObservation(
        key=position_subject(row),
        distance=row.distance,
        margin_ratio=isolated_ratio,
        label=f"{row.account_label} {row.symbol} {row.side}",
    )


def account_observation(account: AccountSnapshot) -> AccountObservation | None:
    risk = account.risk
    if risk is None:
        return None
    has_cross = risk.maintenance_margin > 0
    return AccountObservation(
        key=account.account_id,
        margin_ratio=_finite_or_none(risk.margin_ratio) if has_cross else None,
        break_move=risk.break_move if has_cross else None,
        label=account.label,
    )


def feed_observation(feed: FeedStatus) -> FeedObservation:
    return FeedObservation(
        feed_id=feed.feed_id,
        last_update_ms=None if feed.last_update is None else int(feed.last_update * 1000),
        expected_interval_ms=max(1, int(feed.expected_interval * 1000)),
        connected=feed.consecutive_errors < DISCONNECTED_AFTER_ERRORS,
        error=feed.error,
        label=feed.label,
    )


@dataclass
class ObservationTracker:
    """Remembers the last observation per subject; see the module docstring."""

    last: dict[str, Observation] = field(default_factory=dict)

    def update(self, snapshot: EngineSnapshot) -> tuple[list[Observation], list[str]]:
        """(observations that changed, subjects that disappeared) for this snapshot."""
        current: dict[str, Observation] = {}
        for account in snapshot.accounts:
            for row in account.rows:
                current["position:" + position_subject(row)] = position_observation(row)
            observation = account_observation(account)
            if observation is not None:
                current["account:" + account.account_id] = observation
        for feed in snapshot.feeds:
            current["feed:" + feed.feed_id] = feed_observation(feed)
        for symbol, series in snapshot.markets.items():
            if series.cascade is not None:
                cascade = series.cascade
                current["market:" + symbol] = MarketObservation(
                    symbol, cascade.score, cascade.regime, cascade.reasons, label=symbol
                )
        changed = [obs for key, obs in current.items() if self.last.get(key) != obs]
        gone = [
            key.split(":", 1)[1] for key in self.last if key not in current and key.startswith("position:")
        ]
        self.last = current
        return changed, gone
