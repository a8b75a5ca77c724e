"""The demo venue through the streaming path: served by the harness over WebSocket and REST and read by
the real ccxt.pro stack, the engine sees exactly the demo venue's accounts, and every stream is up."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from desktop.engine.core import MonitorEngine
from desktop.engine.snapshots import EngineSnapshot
from desktop.exchanges.harness.demo_feed import HarnessDemo

ROOT = Path(__file__).resolve().parents[2]


def wait_for_snapshot(engine: MonitorEngine, ready, timeout: float = 20.0) -> EngineSnapshot:
    deadline = time.monotonic() + timeout
    while True:
        snapshot = engine.request_snapshot().result(10)
        if ready(snapshot):
            return snapshot
        if time.monotonic() > deadline:
            raise AssertionError(f"not ready: {[(f.feed_id, f.connected, f.error) for f in snapshot.feeds]}")
        time.sleep(0.1)


def test_demo_accounts_and_marks_arrive_through_ccxt_pro() -> None:
    demo = HarnessDemo(push_interval=0.1).start()
    accounts, markets = demo.readers(reconnect_first=0.05)
    engine = MonitorEngine(accounts, markets, demo_status=demo.status)
    engine.start()
    try:

        def ready(snapshot: EngineSnapshot) -> bool:
            streams = [f for f in snapshot.feeds if f.connected is not None]
            return (
                all(a.account is not None for a in snapshot.accounts)
                and len(snapshot.markets) == 6
                and len(streams) == 4 + 6 + 3  # 2 private per account, a mark per symbol, 3 HL books
                and all(f.connected and f.last_update is not None for f in streams)
                and bool(np.any(snapshot.markets["BTC/USDC:USDC"].depth_bid > 0))
            )

        snapshot = wait_for_snapshot(engine, ready)
        pushes = demo.pushes
        venue_accounts = demo.call(lambda v: dict(v.accounts))
    finally:
        engine.stop()
        demo.stop()
    assert pushes > 0
    for account in snapshot.accounts:
        read = account.account
        expected = venue_accounts[account.account_id]
        assert read is not None
        assert read.wallet_balance == pytest.approx(expected.wallet_balance)
        got = sorted(
            (p.instrument.symbol, p.side, p.contracts, p.entry_price, p.margin_mode) for p in read.positions
        )
        want = sorted(
            (p.instrument.symbol, p.side, p.contracts, p.entry_price, p.margin_mode)
            for p in expected.positions
        )
        assert got == want
        collateral = {p.instrument.symbol: p.collateral for p in read.positions}
        assert collateral == pytest.approx({p.instrument.symbol: p.collateral for p in expected.positions})
    assert sorted(snapshot.markets) == sorted(
        ["BTC/USDT:USDT", "ETH/USDT:USDT", "SOL/USDT:USDT", "BTC/USDC:USDC", "ETH/USDC:USDC", "SOL/USDC:USDC"]
    )
    # Hyperliquid's streamed book gives depth within 1 %; its asset context the open interest
    btc = snapshot.markets["BTC/USDC:USDC"]
    assert np.nanmax(btc.depth_bid) > 0 and np.nanmax(btc.open_interest) > 0


@pytest.mark.gui
def test_liqguard_demo_via_harness_starts_and_draws(tmp_path: Path) -> None:
    shot = tmp_path / "demo.png"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--demo",
            "--via-harness",
            "--screenshot",
            str(shot),
            "--after",
            "3",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert shot.stat().st_size > 10_000
