"""The demo app's main window, built as ``liqguard --demo`` builds it, with the scenario moved on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from desktop.app import build_main_window
from desktop.engine import Engine
from desktop.exchanges.demo import DemoVenue, demo_readers
from desktop.settings import AppConfig
from desktop.ui.main_window import MainWindow

DEMO_STEPS_AT_100_S = 1000.0
"""The demo at 100 s of wall time: the default 10x speed moves the scenario 10 steps a second."""


@contextmanager
def demo_window(qtbot, steps: float = DEMO_STEPS_AT_100_S) -> Iterator[MainWindow]:
    """A shown demo window (alerts attached, quiet) whose scenario clock is ``steps`` rows on."""
    venue = DemoVenue(speed=1.0)
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status, emit_hz=20)
    window = build_main_window(engine, demo=True, config=AppConfig(), quiet=True)
    qtbot.addWidget(window)
    engine.start()
    window.show()
    try:
        start = venue.path.history_rows
        engine.call_soon(lambda: venue.advance_by(steps))
        qtbot.waitUntil(
            lambda: (
                window.snapshot is not None
                and window.snapshot.demo is not None
                and window.snapshot.demo.elapsed_rows >= start + steps
                and window.positions_proxy.rowCount() > 0
            ),
            timeout=20_000,
        )
        window.redraw()
        yield window
    finally:
        engine.stop()
