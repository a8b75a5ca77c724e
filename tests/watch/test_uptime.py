"""Know when it stops: down-time report at start, heartbeat pings, the clean-exit record."""

from __future__ import annotations

import json
import signal
import threading
import time

import pytest

from desktop.paths import data_dir
from desktop.watch.uptime import Alive, AliveRecord, Heartbeat, downtime, downtime_message
from tests.watch.helpers import event
from tests.watch.procs import WatchProcess
from tests.watch.receiver import Receiver

T0 = 1_760_120_000.0  # 2025-10-10 18:13:20 UTC


def test_downtime_is_reported_only_beyond_the_gap_setting() -> None:
    assert downtime(None, T0, 5) is None
    assert downtime(Alive(T0 - 299, False), T0, 5) is None
    down = downtime(Alive(T0 - (3 * 3600 + 12 * 60), False), T0, 5)
    assert down is not None and down.seconds == 11_520
    title, body = downtime_message(down, [event("critical", "hl:BTC"), event("warning", "bn:ETH")])
    assert title == "LiqGuard was not monitoring for 3 h 12 min"
    assert body.splitlines()[0] == (
        "LiqGuard did not monitor for 3 h 12 min: from 2025-10-10 15:01 UTC to 2025-10-10 18:13 UTC; "
        "it stopped without a clean exit (crash, power, sleep?)."
    )
    assert "In force now: 1 critical, 1 warning." in body
    assert "- [CRITICAL] hl:BTC: distance to liquidation 4.9 %" in body


def test_alive_record_round_trip(tmp_path) -> None:
    record = AliveRecord(tmp_path / "alive.json")
    assert record.read() is None
    record.beat(T0)
    assert record.read() == Alive(T0, False)
    record.beat(T0 + 60, clean=True)
    assert record.read() == Alive(T0 + 60, True)


def test_heartbeat_pings_every_interval_and_reports_a_failure_once() -> None:
    with Receiver() as rx:
        beat = Heartbeat(rx.http_url, interval=0.1)
        beat.start()
        assert rx.wait_for(lambda _posts: len(rx.gets) >= 3, 10)
        beat.stop()
    assert rx.gets[0] == "/ping/check-uuid"
    problems: list[str] = []
    done = threading.Event()
    with Receiver(status=503) as down:
        beat = Heartbeat(down.http_url, interval=0.1, on_problem=lambda p: (problems.append(p), done.set()))
        beat.start()
        assert done.wait(10)
        assert down.wait_for(lambda _posts: len(down.gets) >= 3, 10)
        beat.stop()
    assert problems == ["heartbeat ping failed: HTTP 503"]


def _gap_report(posts: list[dict]) -> bool:
    return any(p["title"].startswith("LiqGuard was not monitoring for 3 h") for p in posts)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_watch_reports_the_gap_pings_the_heartbeat_and_records_a_clean_stop() -> None:
    record = data_dir() / "demo-alive.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"last_alive": time.time() - 3 * 3600, "clean": False}))
    with Receiver() as rx:
        watch = WatchProcess(["--demo", "--notify", rx.url, "--heartbeat", rx.http_url, "--exit-after", "60"])
        try:
            assert rx.wait_for(_gap_report, 40), watch.output()
            assert rx.gets and rx.gets[0] == "/ping/check-uuid"
            assert watch.stop() == 0
        finally:
            watch.kill()
    report = next(p for p in rx.received() if p["title"].startswith("LiqGuard was not monitoring"))
    assert "stopped without a clean exit" in report["message"]
    assert "In force now:" in report["message"] and "[CRITICAL]" in report["message"]
    saved = json.loads(record.read_text())
    assert saved["clean"] is True and time.time() - saved["last_alive"] < 60
