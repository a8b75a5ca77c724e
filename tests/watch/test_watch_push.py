"""The watcher pushes through apprise to a local JSON receiver (the issue's "Done when" test)."""

from __future__ import annotations

import signal
import time

import pytest

from tests.watch.procs import WatchProcess
from tests.watch.receiver import Receiver

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


def _critical(posts: list[dict]) -> bool:
    # apprise's JSON webhook: {"version", "title", "message", "attachments", "type"}; critical -> failure
    return any(p.get("type") == "failure" and "CRITICAL" in p.get("title", "") for p in posts)


def test_watch_demo_pushes_a_critical_alert_as_apprise_json_post_within_30_s() -> None:
    with Receiver() as rx:
        started = time.monotonic()
        watch = WatchProcess(["--demo", "--notify", rx.url, "--exit-after", "60"])
        try:
            assert rx.wait_for(_critical, 30), watch.output()
            elapsed = time.monotonic() - started
            assert watch.stop() == 0, watch.output()
        finally:
            watch.kill()
        assert elapsed < 30
        post = next(p for p in rx.received() if p.get("type") == "failure")
        # the action in numbers, as the in-app alert: distance, tier and the reasons
        assert "distance to liquidation 4.9 %" in post["title"]
        assert "at or below 5.0 %" in post["message"]
        # clean exit: the stop notice goes out before the process ends
        assert any(p["title"] == "LiqGuard stopped monitoring" for p in rx.received())


def test_watch_refuses_a_notify_url_apprise_cannot_use() -> None:
    watch = WatchProcess(["--demo", "--notify", "nosuchscheme://secret-token-123", "--exit-after", "5"])
    try:
        assert watch.proc.wait(60) == 2
    finally:
        watch.kill()
    watch.wait_for(lambda: bool(watch.stderr), 5)
    text = "\n".join(watch.stderr)
    assert "--notify URL #1: apprise does not understand this nosuchscheme:// URL" in text
    assert "secret-token-123" not in text
