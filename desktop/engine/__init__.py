"""The monitor engine: one asyncio loop that reads feeds, runs `risk` and publishes snapshots.

Submodules: `core` (the Qt-free loop, `MonitorEngine`), `qt_engine` (`Engine`: the same with a queued
Qt signal for the window), `snapshots` (immutable views handed to front ends),
`risk_view` (risk results shaped for display), `cascade_tracker` and `market_history` (per-market
state), `feeds` (reader protocols), `alert_inputs` and `alert_center` (alert observations and delivery).

`Engine` and friends are resolved lazily so that importing a Qt-free submodule (snapshots, risk_view)
does not pull in Qt.
"""

from __future__ import annotations

from typing import Any

_CORE = {"MonitorEngine", "MAX_BACKOFF_SECONDS", "backoff_delay"}


def __getattr__(name: str) -> Any:
    if name == "Engine":
        from desktop.engine.qt_engine import Engine

        return Engine
    if name in _CORE:
        from desktop.engine import core

        return getattr(core, name)
    raise AttributeError(f"module 'desktop.engine' has no attribute {name!r}")
