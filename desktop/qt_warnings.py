"""Collect Qt's warnings during ``--smoke`` so that an unexpected one fails it.

A Qt warning is often the only sign of a broken start (a missing plugin, a bad style sheet, a layout
that Qt had to fix up); ``--smoke`` exits 1 when one appears that is not in :data:`EXPECTED`. The list
mirrors ``qt_log_ignore`` in pyproject.toml: messages of headless machines that are not LiqGuard's.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QtMsgType, qInstallMessageHandler

EXPECTED: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        r"^This plugin does not support",  # offscreen platform: propagateSizeHints
        r"^PulseAudioService: pa_context_connect",  # no audio server
        r"^QStandardPaths: XDG_RUNTIME_DIR not set",  # headless, as root
        r"^QStandardPaths: runtime directory",  # same, wrong permissions
        r"^Couldn't load pipewire-0.3 library",  # QtMultimedia probing audio backends
        r"^Couldn't resolve (pipewire-0.3|va\(in plugin\)) symbols",
    )
)
_SERIOUS = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)


class QtWarningGate:
    """Install with :meth:`install`; ``unexpected`` lists the warnings not in :data:`EXPECTED`."""

    def __init__(self) -> None:
        self.unexpected: list[str] = []
        self._previous: Any = None

    def handle(self, mode: QtMsgType, context: Any, message: str) -> None:
        if mode in _SERIOUS and not any(p.search(message) for p in EXPECTED):
            self.unexpected.append(message)

    def install(self) -> QtWarningGate:
        self._previous = qInstallMessageHandler(self.handle)
        return self

    def uninstall(self) -> None:
        qInstallMessageHandler(self._previous)
