"""Live latency: a mark pushed by the venue over WebSocket -> the alert shown in the window. By hand:

    uv run python tests/benchmarks/bench_live.py [--quick] [--rest]

Through the local venue harness (``desktop.exchanges.harness``, Binance USD-M ``markPriceUpdate``
pushes on 127.0.0.1) and the real ccxt.pro stack (``StreamingMarketReader``), the engine and the main
window with its alert centre. A watched isolated long on its own symbol swings between 100 and 76 (7.9 %
from liquidation: across the 20 % and 10 % distance tiers), so every push raises or clears an alert; the
rest of the book (``bench_ui.make_book``: one position per symbol and account in 50 accounts) is
untouched by these marks. Latency = from just before the venue sends the frame to the window's
``alerts_raised`` for the watched position. The venue runs in its own process (as a real one is: it
does not take the app's GIL), and stamps the send with ``time.perf_counter()`` (CLOCK_MONOTONIC,
system-wide, so the two processes' stamps compare). ``--rest`` also measures the REST-polled path (the same
venue polled by ``ExchangeMarketReader`` every ``MARKET_INTERVAL_SECONDS``) at 50 positions.

The last line is ``ws->alert p99: <a> ms at 50, <b> ms at 1000, <c> ms at 10000 positions``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import ccxt.pro as ccxtpro  # noqa: E402
import numpy as np  # noqa: E402
from bench_ui import StaticAccount, make_book  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.app import build_main_window, create_qapp  # noqa: E402
from desktop.engine import Engine  # noqa: E402
from desktop.exchanges.harness import venues as V  # noqa: E402
from desktop.exchanges.harness.demo_feed import market  # noqa: E402
from desktop.exchanges.live import MARKET_INTERVAL_SECONDS, ExchangeMarketReader  # noqa: E402
from desktop.exchanges.live_streams import VENUE_STREAMS, StreamingMarketReader  # noqa: E402
from risk import Account, Instrument, Position  # noqa: E402

SYMBOL = "XBT/USDT:USDT"
MARKET_ID = "XBTUSDT"


class Watched:
    """The symbol's market on the harness; the REST premium index follows the latest pushed mark."""

    def __init__(self) -> None:
        self.mark = 100.0

    def premium_index(self, *_: object) -> list[dict[str, object]]:
        now = int(time.time() * 1000)
        return [{"symbol": MARKET_ID, "markPrice": repr(self.mark), "indexPrice": repr(self.mark),
                 "lastFundingRate": "0.0001", "nextFundingTime": now + 3_600_000, "time": now}]  # fmt: skip


def venue_process(conn: Connection) -> None:
    """The venue in its own process (as a real one is): serves the harness, pushes a mark on request and
    answers with the ``time.perf_counter()`` (CLOCK_MONOTONIC, system-wide on Linux) just before sending."""
    state = Watched()
    server = V.harness(("binanceusdm",)).start()
    server.rest["binanceusdm"]["/fapi/v1/premiumIndex"] = state.premium_index
    conn.send(server.port)
    while True:
        command = conn.recv()
        if command is None:
            break
        i, mark = command
        state.mark = mark
        frame = V.binance_mark(MARKET_ID, mark, mark, 0.0001, 1_800_000_000_000 + i)
        sent = time.perf_counter()
        server.publish("binanceusdm", frame)
        conn.send(sent)
    server.stop()


class RemoteVenue:
    """The parent's handle on :func:`venue_process`; ``http_base``/``ws_base`` as the server's."""

    def __init__(self) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.get_context("spawn").Process(target=venue_process, args=(child,))
        self._process.start()
        self.port = int(self._conn.recv())

    def http_base(self, venue: str) -> str:
        return f"http://127.0.0.1:{self.port}/{venue}"

    def ws_base(self, venue: str) -> str:
        return f"ws://127.0.0.1:{self.port}/{venue}"

    def push(self, i: int, mark: float) -> None:
        self._conn.send((i, mark))

    def sent_at(self) -> float | None:
        return float(self._conn.recv()) if self._conn.poll() else None

    def stop(self) -> None:
        self._conn.send(None)
        self._process.join(10)


def pro_exchange(server: object) -> object:
    exchange = ccxtpro.binanceusdm({"timeout": 5000})
    V.point(exchange, server)  # type: ignore[arg-type]
    exchange.set_markets([market("binanceusdm", "XBT/USDT:USDT")])
    return exchange


def run(n_positions: int, n_ticks: int, rest: bool = False, spacing: float = 0.25) -> list[float]:
    """Latencies (seconds) of ``n_ticks`` tier-crossing marks at ``n_positions`` (+1 watched)."""
    app = QApplication.instance()
    accounts = make_book(n_positions, 50)
    tiers = accounts[0].positions[0].instrument.tiers
    watched = Instrument(SYMBOL, "binanceusdm", tiers=tiers)
    position = Position(watched, "long", 10.0, 100.0, 100.0, "isolated", collateral=300.0)
    accounts.append(Account("binanceusdm", 1_000.0, [position]))
    readers = [StaticAccount(i, a) for i, a in enumerate(accounts)]
    server = RemoteVenue()
    if rest:
        reader = ExchangeMarketReader("binanceusdm", pro_exchange(server), [])
        reader.symbols = lambda: [SYMBOL]  # type: ignore[method-assign]
    else:
        streams = VENUE_STREAMS["binanceusdm"]
        streams = type(streams)(streams.mark_method, 3600.0, streams.source)  # no book; no silence rule
        reader = StreamingMarketReader(
            "binanceusdm", pro_exchange(server), [], symbols=lambda: [SYMBOL], intervals=streams
        )
    engine = Engine(readers, [reader], emit_hz=20)
    window = build_main_window(engine, quiet=True)
    window.show()
    center = window.alert_center
    assert center is not None
    latencies: list[float] = []
    current = {"push": -1, "alerted": -1.0, "at": 0.0}

    def on_alerts(events) -> None:
        now = time.perf_counter()
        if current["alerted"] != current["push"] and any(SYMBOL in (e.subject or "") for e in events):
            current["alerted"], current["at"] = current["push"], now

    center.alerts_raised.connect(on_alerts)
    engine.start()
    deadline = time.perf_counter() + 300
    while not (engine.latest and all(a.account is not None for a in engine.latest.accounts)):
        app.processEvents()
        time.sleep(0.001)
        if time.perf_counter() > deadline:
            raise RuntimeError("accounts never arrived")
    # warm up: the first marks subscribe the stream and settle the start-up alerts
    until = time.perf_counter() + (20.0 if rest else 3.0)
    while time.perf_counter() < until:
        app.processEvents()
        time.sleep(0.001)
    for i in range(n_ticks):
        mark = 76.0 if i % 2 == 0 else 100.0
        mark *= 1 + 1e-7 * i
        current["push"] = i
        server.push(i, mark)
        sent = None
        until = time.perf_counter() + (spacing if not rest else 20.0)
        while time.perf_counter() < until and current["alerted"] != i:
            app.processEvents()
            time.sleep(0.0005)
            sent = sent if sent is not None else server.sent_at()
        while sent is None:
            time.sleep(0.0005)
            sent = server.sent_at()
        if current["alerted"] == i:
            latencies.append(current["at"] - sent)
        until = time.perf_counter() + spacing
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.0005)
    engine.stop()
    window.close()
    server.stop()
    return latencies


def p99_ms(values: list[float]) -> float:
    return float(np.percentile(np.asarray(values), 99) * 1000) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rest", action="store_true", help="also measure the REST-polled path (slow)")
    args = parser.parse_args()
    create_qapp()
    n_ticks = 20 if args.quick else 60
    p99 = {}
    for n in (50, 1_000, 10_000):
        latencies = run(n, n_ticks)
        p99[n] = p99_ms(latencies)
        p50 = np.percentile(latencies, 50) * 1000
        print(
            f"{n:,} positions: {len(latencies)}/{n_ticks} marks alerted, ws->alert p50 {p50:.1f} ms, "
            f"p99 {p99[n]:.1f} ms, max {max(latencies) * 1000:.1f} ms",
            flush=True,
        )
    if args.rest:
        interval = MARKET_INTERVAL_SECONDS
        latencies = run(50, 6, rest=True)
        p50 = np.percentile(latencies, 50) * 1000
        print(
            f"REST-polled path (every {interval:g} s), 50 positions, {len(latencies)} changes: "
            f"change->alert p50 {p50:.0f} ms, p99 {p99_ms(latencies):.0f} ms",
            flush=True,
        )
    a, b, c = (f"{p99[n]:.0f}" for n in (50, 1_000, 10_000))
    print(f"ws->alert p99: {a} ms at 50, {b} ms at 1000, {c} ms at 10000 positions")


if __name__ == "__main__":
    main()
