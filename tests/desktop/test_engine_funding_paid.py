"""The engine carries a reader's ``funding_paid_24h`` into the account snapshot, also when the account
itself has not changed (the figure is re-read on its own cadence)."""

from __future__ import annotations

from desktop.engine import Engine
from tests.desktop.test_engine import FlakyReader


class PaidReader(FlakyReader):
    account_id = "paid"

    def __init__(self) -> None:
        super().__init__(failures=0)
        self.funding_paid_24h: float | None = None


def test_snapshot_follows_the_readers_funding_paid(qtbot) -> None:
    paid, plain = PaidReader(), FlakyReader(failures=0)
    engine = Engine([paid, plain], emit_hz=50)
    try:
        engine.start()

        def figure(account_id: str) -> object:
            latest = engine.latest
            if latest is None:
                return "none yet"
            snapshot = next(a for a in latest.accounts if a.account_id == account_id)
            return snapshot.funding_paid_24h if snapshot.account is not None else "none yet"

        qtbot.waitUntil(lambda: figure("paid") is None and figure("flaky") is None, timeout=5000)
        paid.funding_paid_24h = -7.5
        qtbot.waitUntil(lambda: figure("paid") == -7.5, timeout=5000)
        assert figure("flaky") is None  # a reader without the figure: unknown
    finally:
        engine.stop()
