"""Alert title and message in the UI language.

:mod:`risk.alerts` writes English text (it has no Qt). When a translation is installed
(:func:`desktop.ui.i18n.current_language` is not ``"en"``), :func:`alert_text` rebuilds the title and
message from the event's structured fields (kind, label, value, threshold, tier, detail) with translated
templates (context ``AlertText``); in English it returns the event's own text unchanged. Reasons stay as
written by their producers.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QCoreApplication

from desktop.ui import i18n
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


def alert_text(event: AlertEvent) -> tuple[str, str]:
    """``(title, message)`` of ``event`` in the current UI language."""
    if i18n.current_language() == "en" or not event.label:
        return event.title, event.message
    if event.kind in _PERCENT_KINDS or event.kind == "cascade_score":
        return _tiered(event)
    builders = {"regime": _regime, "stale": _stale, "disconnected": _disconnected}
    builder = builders.get(event.kind)
    return builder(event) if builder is not None else (event.title, event.message)
