"""How many alerts and toasts the demo raises in its first seconds, in real time.

Run by hand (not part of the default test run):

    QT_QPA_PLATFORM=offscreen uv run python tests/benchmarks/bench_demo_alerts.py [--seconds 150]

It builds the real main window with its alert chain on the demo venue at the default speed (10x), as
``liqguard --demo`` does (quiet sound, no history store), runs it for ``--seconds`` wall seconds and
prints: alert events raised (not clears), clears, toasts created, the most toasts visible at once,
and the raised alerts per kind. A "toast created" is one :class:`desktop.ui.notify.Toast` widget; a
toast updated in place is not counted again.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=150.0)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop.app import build_main_window, create_qapp
    from desktop.engine import Engine
    from desktop.exchanges.demo import DemoVenue, demo_readers
    from desktop.settings import AppConfig
    from desktop.ui import notify

    created = [0]
    original_init = notify.Toast.__init__

    def counting_init(self, *a, **k):  # type: ignore[no-untyped-def]
        created[0] += 1
        original_init(self, *a, **k)

    notify.Toast.__init__ = counting_init  # type: ignore[method-assign]

    app = create_qapp(AppConfig())
    venue = DemoVenue()
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status)
    window = build_main_window(engine, demo=True, config=AppConfig(), store=False, quiet=True)
    center = window.alert_center
    assert center is not None
    raised: list = []
    center.alerts_raised.connect(raised.extend)
    engine.start()
    window.show()
    most_visible = 0
    end = time.monotonic() + args.seconds
    try:
        while time.monotonic() < end:
            app.processEvents()
            visible = sum(1 for t in center.notifier.toast_area.findChildren(notify.Toast) if t.isVisible())
            most_visible = max(most_visible, visible)
            time.sleep(0.01)
    finally:
        engine.stop()
    alerts = [e for e in raised if not e.cleared]
    kinds = collections.Counter(e.kind for e in alerts)
    print(
        json.dumps(
            {
                "seconds": args.seconds,
                "speed": venue.speed,
                "alerts_raised": len(alerts),
                "clears": len(raised) - len(alerts),
                "toasts_created": created[0],
                "most_toasts_visible": most_visible,
                "alerts_by_kind": dict(sorted(kinds.items())),
                "liquidations_in_demo": list(venue.liquidations),
            },
            indent=1,
        )
    )
    window.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
