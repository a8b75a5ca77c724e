"""Soak: the demo with the window open for hours of scenario time; resources must stay flat.

Run by hand (excluded from the default run)::

    LIQGUARD_SOAK=1 uv run pytest -m soak tests/soak -s       # 24 h of scenario at 60x: about 5 min
    LIQGUARD_SOAK=1 LIQGUARD_SOAK_HOURS=2 uv run pytest -m soak tests/soak -s  # a shortened run

60x is the toolbar's speed: 60 rows of the scenario path per wall second, each row
``STEP_SECONDS`` (5 s) of scenario time, so 24 h of scenario take 24 * 3600 / 300 = 288 wall seconds.

It prints RSS (MiB), OS threads, Python threads and active QTimers at the start, middle and end, and
fails when RSS or the thread/timer counts grow by more than :data:`TOLERANCE` from the middle to the end
(the start is a warm-up: caches and histories fill during the first part). When the scenario reaches its
end it is restarted, as the toolbar's scenario picker does, so the market keeps moving.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer

pytestmark = [
    pytest.mark.soak,
    pytest.mark.skipif(os.environ.get("LIQGUARD_SOAK") != "1", reason="run by hand: LIQGUARD_SOAK=1"),
]

SPEED = 60.0
TOLERANCE = 0.10


def _status_field(name: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1])
    return -1


def sample(label: str, scenario_hours: float) -> dict[str, float]:
    timers = [t for t in QCoreApplication.instance().findChildren(QTimer) if t.isActive()]
    from PySide6.QtWidgets import QApplication

    for widget in QApplication.topLevelWidgets():
        timers += [t for t in widget.findChildren(QTimer) if t.isActive()]
    figures = {
        "scenario_h": round(scenario_hours, 2),
        "rss_mib": round(_status_field("VmRSS") / 1024, 1),
        "os_threads": _status_field("Threads"),
        "py_threads": threading.active_count(),
        "qtimers": len(set(map(id, timers))),
    }
    print(f"soak {label}: {figures}", flush=True)
    return figures


def test_demo_soak(qtbot) -> None:
    from desktop.app import build_main_window
    from desktop.engine import Engine
    from desktop.engine.risk_view import thresholds_from
    from desktop.exchanges.demo import DemoVenue, demo_readers
    from desktop.exchanges.demo_market import STEP_SECONDS
    from desktop.settings import AppConfig

    hours = float(os.environ.get("LIQGUARD_SOAK_HOURS", "24"))
    wall_seconds = hours * 3600.0 / (SPEED * STEP_SECONDS)
    venue = DemoVenue(speed=SPEED)
    accounts, markets = demo_readers(venue)
    config = AppConfig()
    engine = Engine(accounts, markets, thresholds=thresholds_from(config), demo_status=venue.status)
    window = build_main_window(engine, demo=True, config=config, store=True, quiet=True)
    qtbot.addWidget(window)
    engine.start()
    window.show()
    started = time.monotonic()
    samples: dict[str, dict[str, float]] = {}
    restarts = 0
    try:
        qtbot.wait(2_000)
        samples["start"] = sample("start", 0.0)
        for label, fraction in (("middle", 0.5), ("end", 1.0)):
            while (elapsed := time.monotonic() - started) < wall_seconds * fraction:
                qtbot.wait(1_000)
                status = venue.status()
                if status.elapsed_rows >= status.total_rows - 1:  # the scenario ended: start it again
                    engine.restart(lambda: venue.reset(venue.scenario))
                    restarts += 1
            samples[label] = sample(label, elapsed * SPEED * STEP_SECONDS / 3600.0)
    finally:
        engine.stop()
        if window.alert_center is not None:
            window.alert_center.close()
            if window.alert_center.store is not None:
                window.alert_center.store.close()
    print(f"soak: {hours:g} h of scenario at {SPEED:g}x, {restarts} scenario restarts", flush=True)
    middle, end = samples["middle"], samples["end"]
    assert end["rss_mib"] <= middle["rss_mib"] * (1 + TOLERANCE), samples
    for name in ("os_threads", "py_threads", "qtimers"):
        assert end[name] <= max(middle[name] * (1 + TOLERANCE), middle[name] + 1), (name, samples)
