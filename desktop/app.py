"""QApplication set-up and the top-level run modes (smoke, demo, saved accounts)."""

from __future__ import annotations

import argparse
import json
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from desktop import __version__
from desktop.resources import APP_ID, app_icon

EXIT_QT_UNAVAILABLE = 2
EXIT_NOT_AVAILABLE = 3


def create_qapp() -> QApplication:
    """Return the process's QApplication, creating it with LiqGuard's names."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName("LiqGuard")
    app.setApplicationName("LiqGuard")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # lets Wayland/X11 shells match the installed .desktop file
    app.setWindowIcon(app_icon())
    assert isinstance(app, QApplication)
    return app


def build_main_window() -> QMainWindow:
    """The (for now minimal) main window."""
    window = QMainWindow()
    window.setWindowTitle(f"LiqGuard {__version__}")
    window.setCentralWidget(QLabel("LiqGuard: no accounts yet."))
    window.resize(1200, 800)
    return window


def run_app(args: argparse.Namespace) -> int:
    """Run the mode the command line asked for; returns the process exit code."""
    if args.demo:
        print(
            "liqguard: the demo venue is not there yet (see README); nothing to show.",
            file=sys.stderr,
        )
        return EXIT_NOT_AVAILABLE
    started = time.perf_counter()
    try:
        app = create_qapp()
    except Exception as exc:  # pragma: no cover - depends on the system's Qt
        print(f"liqguard: Qt cannot start: {exc}", file=sys.stderr)
        return EXIT_QT_UNAVAILABLE
    window = build_main_window()
    window.show()
    if args.smoke:
        info = {
            "platform": app.platformName(),
            "version": __version__,
            "window_icon": not app.windowIcon().isNull(),
            "startup_seconds": round(time.perf_counter() - started, 3),
        }
        print(json.dumps(info))
        QTimer.singleShot(0, app.quit)
    return app.exec()
