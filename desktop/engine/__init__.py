"""The monitor engine: one asyncio loop that reads feeds, runs `risk` and publishes snapshots.

Submodules: `engine` (the loop and its Qt bridge), `snapshots` (immutable views handed to front ends),
`risk_view` (risk results shaped for display), `cascade_tracker` and `market_history` (per-market
state), `feeds` (reader protocols), `alert_inputs` and `alert_center` (alert observations and delivery).

`Engine` and friends are resolved lazily so that importing a Qt-free submodule (snapshots, risk_view)
does not pull in Qt.
"""

from __future__ import annotations

from typing import Any

_LAZY = {"Engine", "MAX_BACKOFF_SECONDS", "backoff_delay"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from desktop.engine import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'desktop.engine' has no attribute {name!r}")
