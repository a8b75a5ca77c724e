"""Dark and light themes: Fusion style + a palette + the QSS file ``resources/styles/<name>.qss``.

``apply_theme(app, "light")`` switches the whole application at run time (no restart). Widgets that draw
their own colours (pyqtgraph charts) read :func:`chart_colors` and listen to ``theme_changed`` of
:data:`theme_events` if they want to follow a switch. A missing or unreadable QSS file is logged and the
palette still applies: the app never fails to start over a theme.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.resources import resources_path
from desktop.ui.style import use_theme_colors

log = logging.getLogger(__name__)

THEMES: tuple[str, ...] = ("dark", "light")
THEME_PROPERTY = "liqguardTheme"
"""QApplication dynamic property holding the current theme's name."""

_ROLE = QPalette.ColorRole
_PALETTES: Mapping[str, Mapping[QPalette.ColorRole, str]] = {
    "dark": {
        _ROLE.Window: "#161b22",
        _ROLE.WindowText: "#c9d1d9",
        _ROLE.Base: "#0d1117",
        _ROLE.AlternateBase: "#161b22",
        _ROLE.Text: "#c9d1d9",
        _ROLE.Button: "#21262d",
        _ROLE.ButtonText: "#c9d1d9",
        _ROLE.Highlight: "#1f6feb",
        _ROLE.HighlightedText: "#ffffff",
        _ROLE.ToolTipBase: "#161b22",
        _ROLE.ToolTipText: "#c9d1d9",
        _ROLE.PlaceholderText: "#6e7681",
        _ROLE.Mid: "#30363d",
        _ROLE.Dark: "#010409",
        _ROLE.Link: "#58a6ff",
    },
    "light": {
        _ROLE.Window: "#f6f8fa",
        _ROLE.WindowText: "#1f2328",
        _ROLE.Base: "#ffffff",
        _ROLE.AlternateBase: "#f6f8fa",
        _ROLE.Text: "#1f2328",
        _ROLE.Button: "#f3f4f6",
        _ROLE.ButtonText: "#1f2328",
        _ROLE.Highlight: "#0969da",
        _ROLE.HighlightedText: "#ffffff",
        _ROLE.ToolTipBase: "#ffffff",
        _ROLE.ToolTipText: "#1f2328",
        _ROLE.PlaceholderText: "#6e7781",
        _ROLE.Mid: "#d0d7de",
        _ROLE.Dark: "#8c959f",
        _ROLE.Link: "#0969da",
    },
}

_CHART_COLORS: Mapping[str, Mapping[str, str]] = {
    "dark": {"background": "#0d1117", "foreground": "#8b949e", "grid": "#21262d", "score": "#e6edf3"},
    "light": {"background": "#ffffff", "foreground": "#57606a", "grid": "#eaeef2", "score": "#1f2328"},
}


class _ThemeEvents(QObject):
    theme_changed = Signal(str)


theme_events = _ThemeEvents()
"""Emits ``theme_changed(name)`` after :func:`apply_theme` switched the theme."""


def _check(name: str) -> str:
    if name not in THEMES:
        raise ValueError(f"theme must be one of {', '.join(THEMES)}, got {name!r}")
    return name


def palette(name: str) -> QPalette:
    """The Fusion palette of theme ``name``."""
    result = QPalette()
    for role, color in _PALETTES[_check(name)].items():
        result.setColor(role, QColor(color))
    return result


def stylesheet(name: str) -> str:
    """Contents of ``resources/styles/<name>.qss``; empty (and logged) when it cannot be read."""
    try:
        return resources_path("styles", f"{_check(name)}.qss").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("theme %s: style sheet unavailable (%s); using the palette only", name, exc)
        return ""


def chart_colors(name: str | None = None) -> Mapping[str, str]:
    """Background, foreground and grid colours for charts of theme ``name`` (default: current)."""
    return _CHART_COLORS[_check(name or current_theme())]


def current_theme() -> str:
    app = QApplication.instance()
    value = app.property(THEME_PROPERTY) if app is not None else None
    return value if value in THEMES else "dark"


def apply_theme(app: QApplication, name: str) -> None:
    """Switch ``app`` to theme ``name`` ("dark" or "light"; ValueError otherwise)."""
    _check(name)
    app.setStyle("Fusion")
    app.setPalette(palette(name))
    app.setStyleSheet(stylesheet(name))
    app.setProperty(THEME_PROPERTY, name)
    use_theme_colors(name)
    theme_events.theme_changed.emit(name)
