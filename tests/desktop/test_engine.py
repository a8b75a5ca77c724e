"""The engine: readers on the loop thread, snapshots to the GUI thread, errors contained with backoff."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QApplication

from desktop.engine import MAX_BACKOFF_SECONDS, Engine, backoff_delay
from desktop.engine.snapshots import MarketTick
from risk import Account, Instrument, MarginTier, Position

TIERS = (MarginTier(0.0, float("inf"), 0.004),)


def _account(mark: float) -> Account:
    instrument = Instrument("BTC/USDT:USDT", "binanceusdm", tiers=TIERS)
    position = Position(instrument, "long", 1.0, 100.0, mark, "cross", leverage=10)
    return Account("binanceusdm", 50.0, (position,))


class FlakyReader:
    """Fails ``failures`` times, then returns an account; records the threads it ran on."""

    account_id = "flaky"
    label = "Flaky venue"
    venue = "binanceusdm"
    poll_interval = 0.02

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.threads: set[int] = set()
        self.closed = False

    async def read_account(self) -> Account:
        self.calls += 1
        self.threads.add(threading.get_ident())
        if self.calls <= self.failures:
            raise ConnectionError("venue down\nsecond line")
        return _account(110.0)

    async def close(self) -> None:
        self.closed = True


class TickReader:
    feed_id = "ticks"
    label = "Ticks"
    venue = "binanceusdm"
    poll_interval = 0.02

    def __init__(self) -> None:
        self.t = 0.0

    async def read_market(self) -> list[MarketTick]:
        self.t += 1.0
        return [MarketTick("BTC/USDT:USDT", self.t, 120.0 + self.t, index_price=120.0)]

    async def close(self) -> None:
        return None


@pytest.fixture
def engine_factory(qtbot):
    engines: list[Engine] = []

    def make(*args, **kwargs) -> Engine:
        engine = Engine(*args, **kwargs)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.stop()


def test_reader_error_is_recorded_then_recovers(qtbot, engine_factory):
    reader = FlakyReader(failures=2)
    engine = engine_factory([reader], emit_hz=50)
    seen_errors: list[str] = []
    received_on: set[int] = set()

    def on_snapshot(snapshot) -> None:
        received_on.add(threading.get_ident())
        feed = snapshot.accounts[0].feed
        if feed.error:
            seen_errors.append(feed.error)

    engine.snapshot_ready.connect(on_snapshot)
    engine.start()
    qtbot.waitUntil(
        lambda: engine.latest is not None and engine.latest.accounts[0].account is not None, timeout=5000
    )
    assert seen_errors and seen_errors[0] == "ConnectionError: venue down"
    assert engine.latest.accounts[0].feed.error is None
    assert engine.latest.accounts[0].feed.last_update is not None
    assert threading.get_ident() not in reader.threads  # reads ran on the loop thread
    assert received_on == {threading.get_ident()}  # snapshots were delivered on the GUI thread
    assert QApplication.instance() is not None


def test_market_ticks_remark_positions(qtbot, engine_factory):
    engine = engine_factory([FlakyReader(failures=0)], [TickReader()], emit_hz=50)
    engine.start()
    qtbot.waitUntil(
        lambda: (
            engine.latest is not None
            and engine.latest.accounts[0].rows
            and "BTC/USDT:USDT" in engine.latest.markets
        ),
        timeout=5000,
    )
    snapshot = engine.request_snapshot().result(5)
    row = snapshot.accounts[0].rows[0]
    series = snapshot.markets["BTC/USDT:USDT"]
    assert row.mark_price == pytest.approx(series.mark[-1])  # the market feed's mark, not the reader's 110
    assert not series.mark.flags.writeable


def test_stop_closes_readers(qtbot):
    reader = FlakyReader(failures=0)
    engine = Engine([reader])
    engine.start()
    qtbot.waitUntil(lambda: reader.calls > 0, timeout=5000)
    engine.stop()
    assert reader.closed


def test_backoff_grows_and_is_capped():
    assert backoff_delay(1.0, 1) == 2.0
    assert backoff_delay(1.0, 3) == 8.0
    assert backoff_delay(1.0, 50) == MAX_BACKOFF_SECONDS


def test_accounts_can_be_added_and_removed_while_running(qtbot, engine_factory):
    engine = engine_factory([], emit_hz=50)
    engine.start()
    reader = FlakyReader(failures=0)
    engine.add_account(reader)
    qtbot.waitUntil(
        lambda: (
            engine.latest is not None
            and [a.account_id for a in engine.latest.accounts] == ["flaky"]
            and engine.latest.accounts[0].account is not None
        ),
        timeout=5000,
    )
    engine.remove_account("flaky")
    qtbot.waitUntil(lambda: engine.latest is not None and not engine.latest.accounts, timeout=5000)
    assert reader.closed
    assert [f.feed_id for f in engine.latest.feeds] == []
