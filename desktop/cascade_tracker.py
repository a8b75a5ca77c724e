"""Per-symbol cascade indicators for the engine (loop thread): score, regime, reasons, liquidation map.

Adapter over ``risk.cascade`` (streaming indicators, composite score) and ``risk.liqmap`` (estimated
liquidation map). While those modules are not installed, it reports nothing and the dashboard says
"not available".
"""

from __future__ import annotations

import numpy as np

from desktop.snapshots import CascadeView, MarketTick


class CascadeTracker:
    """Feeds one symbol's ticks to the cascade indicators and the liquidation-map estimator."""

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self._view: CascadeView | None = None

    def update(self, tick: MarketTick) -> float | None:
        """Feed one tick; returns the composite score (0..100) after it, or ``None``."""
        return None

    def view(self) -> CascadeView | None:
        """Score, regime and reasons at the latest tick."""
        return self._view

    def liquidation_map(self, mark: float | None) -> tuple[np.ndarray, np.ndarray] | None:
        """(price bucket centres, USD) of estimated resting liquidations around ``mark``, or ``None``."""
        return None
