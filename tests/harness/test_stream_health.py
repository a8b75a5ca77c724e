"""Per-stream health where the user sees it: the status bar and ``liqguard check --json``."""

from __future__ import annotations

import asyncio
import json

import pytest

from desktop.cli.check import check_readers, to_json
from desktop.engine.risk_view import RiskThresholds
from desktop.engine.snapshots import FeedStatus
from desktop.exchanges.harness.server import LocalVenueServer
from desktop.exchanges.live_streams import StreamingAccountReader
from desktop.ui.feed_status import FeedStatusBar
from tests.harness.accounts import account_case, account_exchange, config, serve_account

NOW = 1_760_000_000.0


@pytest.mark.gui
def test_status_bar_shows_each_stream_state_reconnects_and_error(qtbot) -> None:
    bar = FeedStatusBar()
    qtbot.addWidget(bar)
    healthy = FeedStatus("bn:mark:BTC", "binanceusdm mark BTC", 1.0, NOW - 0.4, connected=True, reconnects=2)
    down = FeedStatus(
        "bn:positions", "Main positions stream", 60.0, NOW - 30, error="NetworkError: closed", connected=False
    )
    polled = FeedStatus("demo", "Demo market", 0.25, NOW - 0.1)
    bar.show_feeds((healthy, down, polled), NOW)
    assert bar.labels["bn:mark:BTC"].text().endswith("binanceusdm mark BTC 0.4 s ↻2")
    assert "reconnecting" in bar.labels["bn:positions"].text()
    tooltip = bar.labels["bn:positions"].toolTip()
    assert "last error: NetworkError: closed" in tooltip and "reconnects: 0" in tooltip
    assert "last message 30 s ago" in tooltip
    assert bar.labels["demo"].toolTip() == "expected every 0.25 s"  # polled feeds unchanged


@pytest.mark.parametrize("venue", ["binanceusdm", "hyperliquid"])
def test_check_json_reports_each_private_stream(server: LocalVenueServer, venue: str) -> None:
    case = account_case(venue)
    serve_account(server, case)
    reader = StreamingAccountReader(config(venue), account_exchange(case, server), 5.0)
    (result,) = asyncio.run(check_readers([reader], RiskThresholds()))
    document = json.loads(json.dumps(to_json([result])))
    streams = document["accounts"][0]["streams"]
    assert [s["id"] for s in streams] == [f"{venue}:harness:positions", f"{venue}:harness:balance"]
    assert all(s["connected"] and s["reconnects"] == 0 and s["last_error"] is None for s in streams)
    assert document["accounts"][0]["positions"]  # the REST read is there too
