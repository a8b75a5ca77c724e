"""Colours and number formats shared by the widgets (the QSS themes style everything else)."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from desktop.engine.snapshots import Severity

SEVERITY_TINTS: dict[Severity, str] = {
    Severity.OK: "#3fb950",
    Severity.INFO: "#d29922",
    Severity.WARNING: "#f0883e",
    Severity.CRITICAL: "#f85149",
}
"""Base colour of a severity's row tint (green, amber, orange, red), the same in both themes."""
THEME_SEVERITY_COLORS: dict[str, dict[Severity, str]] = {
    "dark": {
        Severity.OK: "#3fb950",
        Severity.INFO: "#d29922",
        Severity.WARNING: "#f0883e",
        Severity.CRITICAL: "#ff7b72",
    },
    "light": {
        Severity.OK: "#116329",
        Severity.INFO: "#7d4e00",
        Severity.WARNING: "#a0400a",
        Severity.CRITICAL: "#a40e26",
    },
}
"""Text colour of a severity per theme: at least 4.5:1 against the theme's base and against any row
tint (tests/desktop/test_contrast.py)."""
SEVERITY_COLORS: dict[Severity, str] = dict(THEME_SEVERITY_COLORS["dark"])
"""Text colour of a severity in the current theme; :func:`use_theme_colors` updates it in place, so
every module that imported it follows a theme switch."""


def use_theme_colors(theme: str) -> None:
    """Switch :data:`SEVERITY_COLORS` to ``theme``'s text colours (called by ``apply_theme``)."""
    SEVERITY_COLORS.update(THEME_SEVERITY_COLORS[theme])


SEVERITY_BACKGROUND_ALPHA: dict[Severity, int] = {
    Severity.OK: 0,
    Severity.INFO: 36,
    Severity.WARNING: 52,
    Severity.CRITICAL: 70,
}
"""Opacity (0-255) of a row's tint in its severity colour: reads on the dark and the light theme."""


def severity_background(severity: Severity) -> QColor:
    """Translucent row background of a severity."""
    color = QColor(SEVERITY_TINTS[severity])
    color.setAlpha(SEVERITY_BACKGROUND_ALPHA[severity])
    return color


SEVERITY_NAMES: dict[Severity, str] = {
    Severity.OK: QT_TRANSLATE_NOOP("Severity", "ok"),
    Severity.INFO: QT_TRANSLATE_NOOP("Severity", "watch"),
    Severity.WARNING: QT_TRANSLATE_NOOP("Severity", "warning"),
    Severity.CRITICAL: QT_TRANSLATE_NOOP("Severity", "critical"),
}
"""English names of the severities (ids in files and logs); :func:`severity_name` for the UI."""


def severity_name(severity: Severity) -> str:
    """The severity's name in the UI language."""
    return QCoreApplication.translate("Severity", SEVERITY_NAMES[Severity(severity)])


CHART_BACKGROUND = "#0d1117"
CHART_FOREGROUND = "#8b949e"
LONG_COLOR = "#f85149"  # long liquidations are forced selling: red
SHORT_COLOR = "#3fb950"
SERIES_COLORS = ("#58a6ff", "#d2a8ff", "#f0883e", "#3fb950", "#ffa657", "#79c0ff", "#ff7b72", "#a5d6ff")
REGIME_COLORS = {"calm": "#3fb950", "loaded": "#d29922", "firing": "#f85149", "exhausting": "#58a6ff"}


def configure_pyqtgraph() -> None:
    """Global pyqtgraph options: dark background, antialiasing off (speed), no OpenGL."""
    pg.setConfigOptions(background=CHART_BACKGROUND, foreground=CHART_FOREGROUND, antialias=False)


def qcolor(hex_color: str) -> QColor:
    return QColor(hex_color)


def _is_missing(value: float | None) -> bool:
    return value is None or not math.isfinite(value)


def fmt_price(value: float | None) -> str:
    """Prices with precision that suits their size (BTC 121,618.2; SOL 217.493)."""
    if _is_missing(value):
        return "—"
    assert value is not None
    magnitude = abs(value)
    decimals = 1 if magnitude >= 10_000 else 2 if magnitude >= 100 else 4 if magnitude >= 1 else 6
    return f"{value:,.{decimals}f}"


def fmt_pct(value: float | None, decimals: int = 1, signed: bool = False) -> str:
    """A fraction as a percentage (0.053 -> '5.3 %')."""
    if _is_missing(value):
        return "—"
    assert value is not None
    sign = "+" if signed else ""
    return f"{value * 100:{sign},.{decimals}f} %"


CURRENCY_DECIMALS: dict[str, int] = {"BTC": 6, "ETH": 5}
"""Decimals of an amount of a currency, the same wherever it is shown (table, cards, status bar, stress):
2 for dollars and stablecoins, more for coins whose unit is worth more (inverse contracts settle in
them); :data:`DEFAULT_DECIMALS` for any other currency."""
DEFAULT_DECIMALS = 2


def currency_decimals(currency: str) -> int:
    return CURRENCY_DECIMALS.get(currency.upper(), DEFAULT_DECIMALS)


def fmt_money(value: float | None, currency: str = "", signed: bool = True) -> str:
    """An amount with thousands separators and its currency's decimals: '+1,234.50 USDT'."""
    if _is_missing(value):
        return "—"
    assert value is not None
    sign = "+" if signed else ""
    return f"{value:{sign},.{currency_decimals(currency)}f} {currency}".strip()


def fmt_usd_compact(value: float | None) -> str:
    """1234567 -> '$1.23 M'."""
    if _is_missing(value):
        return "—"
    assert value is not None
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"${value / limit:,.2f} {suffix}"
    return f"${value:,.0f}"


def fmt_age(seconds: float | None) -> str:
    """Feed age for the status bar: '0.4 s', '12 s', '3 min', 'never'."""
    translate = QCoreApplication.translate
    if seconds is None:
        return translate("Format", "never")
    if seconds < 10:
        return translate("Format", "{0} s").format(f"{seconds:.1f}")
    if seconds < 120:
        return translate("Format", "{0} s").format(f"{seconds:.0f}")
    return translate("Format", "{0} min").format(f"{seconds / 60:.0f}")
