"""Alert title and message in the UI language.

:mod:`risk.alerts` writes English text (it has no Qt). When a translation is installed
(:func:`desktop.ui.i18n.current_language` is not ``"en"``), :func:`alert_text` rebuilds the title and
message from the event's structured fields (kind, label, value, threshold, tier, detail) with translated
templates (context ``AlertText``); in English it returns the event's own text unchanged. Reasons stay as
written by their producers.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from PySide6.QtCore import QCoreApplication

from desktop.engine.position_actions import action_for
from desktop.engine.snapshots import AccountSnapshot, PositionRow
from desktop.ui import i18n
from desktop.ui.style import fmt_pct
from risk.actions import DistanceAction
from risk.alerts import AlertEvent

_PERCENT_KINDS = ("distance", "break_move", "position_margin_ratio", "account_margin_ratio")
_LOWER_IS_WORSE = ("distance", "break_move")


def _fill(template: str, *args: object) -> str:
    """Qt-style ``%1``..``%9`` placeholders, filled in one pass (a label containing "%2" stays as is)."""
    return re.sub(r"%(\d)", lambda m: str(args[int(m.group(1)) - 1]), template)


def _number(kind: str, value: float | None) -> str:
    if value is None:
        return QCoreApplication.translate("AlertText", "n/a")
    if math.isinf(value):
        return "∞"
    return f"{value * 100:.1f} %" if kind in _PERCENT_KINDS else f"{value:.0f}"


def _metric_name(kind: str) -> str:
    names = {
        "distance": QCoreApplication.translate("AlertText", "Distance to liquidation"),
        "break_move": QCoreApplication.translate("AlertText", "Break move"),
        "position_margin_ratio": QCoreApplication.translate("AlertText", "Margin ratio"),
        "account_margin_ratio": QCoreApplication.translate("AlertText", "Margin ratio"),
        "cascade_score": QCoreApplication.translate("AlertText", "Cascade score"),
    }
    return names[kind]


def _regime_name(regime: str) -> str:
    names = {
        "calm": QCoreApplication.translate("AlertText", "calm"),
        "loaded": QCoreApplication.translate("AlertText", "loaded"),
        "firing": QCoreApplication.translate("AlertText", "firing"),
        "exhausting": QCoreApplication.translate("AlertText", "exhausting"),
    }
    return names.get(regime, regime)


def _tiered(event: AlertEvent) -> tuple[str, str]:
    name = _metric_name(event.kind)
    value = _number(event.kind, event.value)
    threshold = _number(event.kind, event.threshold)
    if not event.cleared:
        title = _fill(QCoreApplication.translate("AlertText", "%1: %2 %3"), event.label, name, value)
        if event.kind in _LOWER_IS_WORSE:
            template = QCoreApplication.translate("AlertText", "%1 %2 is at or below the %3 tier (%4 of %5).")
        else:
            template = QCoreApplication.translate("AlertText", "%1 %2 is at or above the %3 tier (%4 of %5).")
        return title, _fill(template, name, value, threshold, event.tier, event.tier_count)
    title = _fill(
        QCoreApplication.translate("AlertText", "%1: %2 back past %3"), event.label, name, threshold
    )
    if event.tier == 0:
        message = _fill(QCoreApplication.translate("AlertText", "%1 %2; no tier in force."), name, value)
    else:
        template = QCoreApplication.translate("AlertText", "%1 %2; tier %3 of %4 still in force.")
        message = _fill(template, name, value, event.tier, event.tier_count)
    return title, message


def _regime(event: AlertEvent) -> tuple[str, str]:
    regime = _regime_name(event.detail)
    if not event.cleared:
        template = QCoreApplication.translate("AlertText", "%1: cascade regime is %2")
    elif event.tier == 0:
        template = QCoreApplication.translate("AlertText", "%1: cascade regime back to %2")
    else:
        template = QCoreApplication.translate("AlertText", "%1: cascade regime eased to %2")
    message = _fill(QCoreApplication.translate("AlertText", "The market regime is now %1."), regime)
    return _fill(template, event.label, regime), message


def _stale(event: AlertEvent) -> tuple[str, str]:
    age = f"{event.value or 0.0:.0f}"
    if event.cleared:
        return (
            _fill(
                QCoreApplication.translate("AlertText", "%1: data fresh again"), i18n.tr_label(event.label)
            ),
            _fill(QCoreApplication.translate("AlertText", "Last update %1 s ago."), age),
        )
    limit = f"{event.threshold or 0.0:g}"
    message = _fill(QCoreApplication.translate("AlertText", "No update for %1 s; limit %2 s."), age, limit)
    if event.detail == "never":
        message += " " + QCoreApplication.translate("AlertText", "(nothing received yet)")
    return _fill(
        QCoreApplication.translate("AlertText", "%1: data is stale"), i18n.tr_label(event.label)
    ), message


def _disconnected(event: AlertEvent) -> tuple[str, str]:
    if event.cleared:
        return (
            _fill(QCoreApplication.translate("AlertText", "%1: reconnected"), i18n.tr_label(event.label)),
            QCoreApplication.translate("AlertText", "The feed is connected again."),
        )
    message = event.detail or QCoreApplication.translate("AlertText", "The feed reports it is not connected.")
    return _fill(
        QCoreApplication.translate("AlertText", "%1: disconnected"), i18n.tr_label(event.label)
    ), message


_FORCED_CLOSE = re.compile(
    r"^(?P<size>\S+) (?P<unit>\S+) (?P<side>long|short) (?:liquidated|auto-deleveraged) at (?P<price>\S+); "
    r"realised (?P<pnl>.+)\.$"
)
"""risk.position_events.closure_event's message for a venue-reported forced close."""
_UNKNOWN_CLOSE = re.compile(
    r"^Position closed or reduced, cause unknown: (?P<size>\S+) (?P<unit>\S+) gone; last mark (?P<mark>\S+), "
    r"unrealised (?P<pnl>.+) before\.$"
)
"""risk.position_events.closure_event's message when the venue gave no record."""


def _closed_message(event: AlertEvent) -> str:
    """The closure's message re-worded from its numbers (risk writes English); the English text when
    it is not in the known shape."""
    translate = QCoreApplication.translate
    forced = _FORCED_CLOSE.match(event.message)
    if event.kind == "liquidated" and forced:
        side = translate("Columns", forced["side"])
        pnl = forced["pnl"]
        pnl = translate("AlertText", "not reported") if pnl == "not reported" else pnl
        if event.detail == "adl":
            template = translate("AlertText", "%1 %2 %3 auto-deleveraged at %4; realised %5.")
        else:
            template = translate("AlertText", "%1 %2 %3 liquidated at %4; realised %5.")
        return _fill(template, forced["size"], forced["unit"], side, forced["price"], pnl)
    unknown = _UNKNOWN_CLOSE.match(event.message)
    if event.kind == "position_closed" and unknown:
        template = translate(
            "AlertText",
            "Position closed or reduced, cause unknown: %1 %2 gone; last mark %3, unrealised %4 before.",
        )
        return _fill(template, unknown["size"], unknown["unit"], unknown["mark"], unknown["pnl"])
    return event.message


def _closed(event: AlertEvent) -> tuple[str, str]:
    """Liquidated / auto-deleveraged / closed for an unknown reason, with size, price and realised PnL."""
    if event.kind == "liquidated":
        if event.detail == "adl":
            title = QCoreApplication.translate("AlertText", "%1: auto-deleveraged")
        else:
            title = QCoreApplication.translate("AlertText", "%1: liquidated")
        return _fill(title, event.label), _closed_message(event)
    title = QCoreApplication.translate("AlertText", "%1: position closed or reduced, cause unknown")
    return _fill(title, event.label), _closed_message(event)


def alert_text(event: AlertEvent) -> tuple[str, str]:
    """``(title, message)`` of ``event`` in the current UI language."""
    if i18n.current_language() == "en" or not event.label:
        return event.title, event.message
    if event.kind in _PERCENT_KINDS or event.kind == "cascade_score":
        return _tiered(event)
    builders = {
        "regime": _regime,
        "stale": _stale,
        "disconnected": _disconnected,
        "liquidated": _closed,
        "position_closed": _closed,
    }
    builder = builders.get(event.kind)
    return builder(event) if builder is not None else (event.title, event.message)


def data_time_text(data_time_ms: int | None) -> str:
    """``HH:MM:SS UTC`` of the data's own clock (the venue's, or the demo scenario's), "" if unknown."""
    if data_time_ms is None:
        return ""
    return dt.datetime.fromtimestamp(data_time_ms / 1000.0, tz=dt.UTC).strftime("%H:%M:%S UTC")


def live_line(kind: str, value: float | None, data_time_ms: int | None, detail: str = "") -> str:
    """A subject's value now and the time of that value, formatted as the positions table and the
    account cards format it: ``"distance 0.8 % · 21:17:25 UTC"``; "" for kinds without a value."""
    names = {
        "distance": QCoreApplication.translate("AlertText", "distance"),
        "position_margin_ratio": QCoreApplication.translate("AlertText", "margin ratio"),
        "account_margin_ratio": QCoreApplication.translate("AlertText", "margin ratio"),
        "break_move": QCoreApplication.translate("AlertText", "break move"),
        "cascade_score": QCoreApplication.translate("AlertText", "cascade score"),
        "regime": QCoreApplication.translate("AlertText", "regime"),
        "stale": QCoreApplication.translate("AlertText", "data age"),
    }
    name = names.get(kind)
    if name is None:
        return ""
    if kind == "regime":
        shown = _regime_name(detail) if detail else "—"
    elif kind == "cascade_score":
        shown = "—" if value is None or math.isnan(value) else f"{value:.0f}"
    elif kind == "stale":
        shown = "—" if value is None else f"{value:.0f} s"
    else:
        shown = fmt_pct(value, signed=kind == "break_move")
    stamp = data_time_text(data_time_ms)
    return f"{name} {shown} · {stamp}" if stamp else f"{name} {shown}"


def value_line(event: AlertEvent) -> str:
    """:func:`live_line` of the value an event judged (until the toast gets a live one)."""
    value = event.value
    if event.kind == "break_move" and value is not None:
        value = -abs(value)  # the rules judge the magnitude; the cards show the signed move
    return live_line(event.kind, value, event.data_time_ms, event.detail)


def _price(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"


def _amount(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.4g}"


def stop_text(price: float | None, binding: str | None) -> str:
    """ "stop at 112,315 (loosest safe)" for a suggested stop, "" without one."""
    if price is None:
        return ""
    rules = {
        "liquidation_buffer": QCoreApplication.translate("AlertText", "loosest safe"),
        "risk_budget": QCoreApplication.translate("AlertText", "risk budget"),
        "noise_floor": QCoreApplication.translate("AlertText", "outside noise"),
    }
    rule = rules.get(binding or "", QCoreApplication.translate("AlertText", "suggested"))
    return _fill(QCoreApplication.translate("AlertText", "stop at %1 (%2)"), _price(price), rule)


def action_text(
    action: DistanceAction | None,
    size_per_contract: float = 1.0,
    size_unit: str = "",
    stop_price: float | None = None,
    stop_binding: str | None = None,
) -> str:
    """What to do, in numbers: "add 1,240 USDT margin or cut to 1.06 BTC to get back to 10 % distance;
    stop at 112,315 (loosest safe)". ``size_per_contract`` turns contracts into ``size_unit``."""
    parts: list[str] = []
    if action is not None and action.needed:
        target = fmt_pct(action.target_distance, decimals=0)
        margin = action.add_margin
        cut = action.cut_to_contracts
        money = f"{_amount(margin)} {action.settle_currency}" if margin is not None else ""
        size = f"{cut * size_per_contract:,.4g} {size_unit}".strip() if cut is not None else ""
        if money and size:
            template = QCoreApplication.translate(
                "AlertText", "add %1 margin or cut to %2 to get back to %3 distance"
            )
            parts.append(_fill(template, money, size, target))
        elif money:
            template = QCoreApplication.translate("AlertText", "add %1 margin to get back to %2 distance")
            parts.append(_fill(template, money, target))
        elif size:
            template = QCoreApplication.translate("AlertText", "cut to %1 to get back to %2 distance")
            parts.append(_fill(template, size, target))
        else:
            template = QCoreApplication.translate("AlertText", "reduce or close: no margin amount reaches %1")
            parts.append(_fill(template, target))
    stop = stop_text(stop_price, stop_binding)
    if stop:
        parts.append(stop)
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def row_action_text(account: AccountSnapshot, row: PositionRow, distance_tiers: tuple[float, ...]) -> str:
    """:func:`action_text` for a row of the positions table (its account's margin, its stop)."""
    action = action_for(account, row, distance_tiers)
    per_contract = row.size / row.contracts if row.contracts else 1.0
    unit = row.symbol.split("/", 1)[0]
    stop = row.stop
    return action_text(
        action, per_contract, unit, stop.price if stop else None, stop.binding if stop else None
    )
