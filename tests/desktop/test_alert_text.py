"""Alert titles and messages follow the UI language (risk writes English; the UI re-formats)."""

from __future__ import annotations

import pytest

from desktop.ui import i18n
from desktop.ui.alert_text import alert_text
from desktop.ui.alerts_dock import COLUMNS, AlertsDock
from risk.alerts import AlertEngine, AlertRules, FeedObservation, MarketObservation, PositionObservation

T0 = 1_764_000_000_000


@pytest.fixture
def chinese(qapp):
    assert i18n.install_translator(qapp, "zh_CN") == "zh_CN"
    yield qapp
    i18n.install_translator(qapp, "en")


def events_for_position() -> list:
    engine = AlertEngine()
    raised = engine.observe_position(PositionObservation("p", 0.09, label="BTC long"), T0)
    cleared = engine.observe_position(PositionObservation("p", 0.5, label="BTC long"), T0 + 1)
    return raised + cleared


def test_english_is_the_engines_own_text():
    i18n_language = i18n.current_language()
    assert i18n_language == "en"
    for event in events_for_position():
        assert alert_text(event) == (event.title, event.message)


def test_chinese_tier_alert_and_clear(chinese):
    raised, cleared = events_for_position()
    assert alert_text(raised) == (
        "BTC long：距强平距离 9.0 %",
        "距强平距离 9.0 %，已达到或低于 10.0 % 档位（第 2 档，共 3 档）。",
    )
    assert alert_text(cleared) == (
        "BTC long：距强平距离 已回到 10.0 % 档位之外",
        "距强平距离 50.0 %；当前无警报档位。",
    )


def test_chinese_feed_and_regime_alerts(chinese):
    engine = AlertEngine(AlertRules(stale_jitter_ms=0))
    engine.observe_feed(FeedObservation("f", None, 1000, label="Binance"), T0)
    (stale,) = engine.tick(T0 + 4000)
    title, message = alert_text(stale)
    assert title == "Binance：数据已过期" and "已 4 秒未更新" in message and "尚未收到任何数据" in message
    (down,) = engine.observe_feed(
        FeedObservation("f", T0, 1000, connected=False, error="HTTP 503", label="Binance"), T0 + 5000
    )
    assert alert_text(down) == ("Binance：连接已断开", "HTTP 503")
    events = engine.observe_market(MarketObservation("BTC", None, "firing", label="BTC"), T0)
    assert alert_text(events[0])[0] == "BTC：连环爆仓状态为爆发"


def test_label_with_placeholder_text_is_kept(chinese):
    (event,) = AlertEngine().observe_position(PositionObservation("p", 0.09, label="odd %2 name"), T0)
    assert alert_text(event)[0].startswith("odd %2 name：")


def test_dock_shows_translated_alert_text(chinese, qtbot):
    dock = AlertsDock()
    qtbot.addWidget(dock)
    dock.add_event(events_for_position()[0])
    assert dock.model.index(0, COLUMNS.index("title")).data() == "BTC long：距强平距离 9.0 %"
    assert dock.model.index(0, COLUMNS.index("level")).data() == "警告"


def test_chinese_liquidated_and_closed_messages_keep_their_numbers(chinese):
    from risk.position_events import LiquidationRecord, PositionClosure, closure_event

    closure = PositionClosure(
        "p", "Hyperliquid · isolated BTC/USDC:USDC long", "BTC/USDC:USDC", "long",
        2.04, 0.0, 2.04, "BTC", 111_000.0, -14_000.0, "USDC", T0, T0 + 1000,
    )  # fmt: skip
    record = LiquidationRecord("BTC/USDC:USDC", "long", 2.04, 110_560.69, T0 + 500, realized_pnl=-14_500.0)
    liquidated = closure_event(closure, record, T0 + 2000)
    assert liquidated.message == "2.04 BTC long liquidated at 110,560.69; realised -14,500.00 USDC."
    assert alert_text(liquidated)[1] == "2.04 BTC 多 已于 110,560.69 被强平；已实现盈亏 -14,500.00 USDC。"
    unknown = closure_event(closure, None, T0 + 2000)
    assert alert_text(unknown)[1] == (
        "持仓已平仓或减少，原因未知：减少 2.04 BTC；此前标记价格 111,000.00，未实现盈亏 -14,000.00 USDC。"
    )
