"""QApplication set-up and the top-level run modes (smoke, demo, saved accounts)."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import logging
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop import __version__
from desktop.alert_center import AlertCenter
from desktop.engine import Engine
from desktop.resources import APP_ID, app_icon
from desktop.settings import AppConfig, load_config
from desktop.store import HistoryStore, StoreError
from desktop.ui.main_window import MainWindow
from desktop.ui.notify import AlertNotifier, RecordingSound

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_QT_UNAVAILABLE = 2
EXIT_NOT_AVAILABLE = 3

log = logging.getLogger("liqguard")


def _log_exception(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.error("unhandled exception", exc_info=(kind, value, tb))


def _log_thread_exception(args: threading.ExceptHookArgs) -> None:
    log.error(
        "unhandled exception in thread %s",
        args.thread,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )  # type: ignore[arg-type]


def _dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#161b22",
        QPalette.ColorRole.WindowText: "#c9d1d9",
        QPalette.ColorRole.Base: "#0d1117",
        QPalette.ColorRole.AlternateBase: "#161b22",
        QPalette.ColorRole.Text: "#c9d1d9",
        QPalette.ColorRole.Button: "#21262d",
        QPalette.ColorRole.ButtonText: "#c9d1d9",
        QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#161b22",
        QPalette.ColorRole.ToolTipText: "#c9d1d9",
        QPalette.ColorRole.PlaceholderText: "#6e7681",
        QPalette.ColorRole.Mid: "#30363d",
        QPalette.ColorRole.Dark: "#010409",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    return palette


BASE_STYLE = """
QMainWindow::separator { background: #30363d; width: 2px; height: 2px; }
QDockWidget::title { background: #161b22; padding: 4px 8px; color: #8b949e; }
QTableView { gridline-color: #21262d; selection-background-color: #1f6feb55; border: none; }
QHeaderView::section { background: #161b22; color: #8b949e; border: none;
                       border-bottom: 1px solid #30363d; padding: 4px 6px; }
QFrame#accountCard { background: #0d1117; border: 1px solid #30363d; border-radius: 6px; }
QFrame#accountCard[selected="true"] { border: 1px solid #1f6feb; }
QLabel#accountTitle, QLabel#detailTitle { font-weight: 600; color: #e6edf3; }
QLabel#dimLabel { color: #8b949e; }
QLabel#reasonsLabel { color: #c9d1d9; }
QProgressBar { background: #21262d; border: none; border-radius: 3px; color: #e6edf3; font-size: 8pt; }
QStatusBar { background: #0d1117; color: #8b949e; }
QToolBar#demoToolbar { background: #1c2128; border-bottom: 1px solid #30363d; spacing: 6px; }
"""
"""Minimal dark styling; the theme files (desktop/ui/themes) replace it when installed."""


def create_qapp() -> QApplication:
    """Return the process's QApplication, creating it with LiqGuard's names, style and crash hooks."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("LiqGuard")
    app.setApplicationName("LiqGuard")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # lets Wayland/X11 shells match the installed .desktop file
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    app.setPalette(_dark_palette())
    app.setStyleSheet(BASE_STYLE)
    sys.excepthook = _log_exception
    threading.excepthook = _log_thread_exception
    return app


def build_main_window(
    engine: Engine | None = None,
    *,
    demo: bool = False,
    config: AppConfig | None = None,
    store: bool = False,
    quiet: bool = False,
) -> MainWindow:
    """The full main window with its alert chain.

    ``store`` keeps alert history in SQLite; ``quiet`` records sounds instead of playing them (for
    unattended runs such as ``--smoke`` and ``--screenshot``).
    """
    window = MainWindow(engine, demo=demo)
    config = config or AppConfig()
    notifier = None
    if quiet:
        notifier = AlertNotifier(
            window, sound_enabled=config.sound_enabled, critical_modal=False, sound=RecordingSound()
        )
    history = None
    if store:
        try:
            history = HistoryStore()
        except (StoreError, OSError) as exc:  # the monitor must run even without its history
            log.error("alert history unavailable: %s", exc)
            window.statusBar().showMessage(f"Alert history unavailable: {exc}", 30_000)
    window.attach_alerts(AlertCenter(window, config, history, notifier=notifier))
    return window


def _load_config() -> AppConfig:
    loaded = load_config()
    if loaded.message:
        log.warning("settings: %s", loaded.message)
    return loaded.config


def health_probes(app: QApplication, started: float) -> dict[str, object]:
    """What ``--smoke`` prints: platform, tray, keyring backend, ccxt version, startup seconds."""
    try:
        import keyring

        backend = type(keyring.get_keyring()).__module__ + "." + type(keyring.get_keyring()).__name__
    except Exception as exc:  # a broken keyring is a finding, not a crash
        backend = f"unavailable: {type(exc).__name__}"
    try:
        ccxt_version = importlib.metadata.version("ccxt")
    except importlib.metadata.PackageNotFoundError:
        ccxt_version = None
    return {
        "platform": app.platformName(),
        "version": __version__,
        "window_icon": not app.windowIcon().isNull(),
        "tray_available": QSystemTrayIcon.isSystemTrayAvailable(),
        "tray_messages": QSystemTrayIcon.supportsMessages(),
        "keyring_backend": backend,
        "ccxt_version": ccxt_version,
        "startup_seconds": round(time.perf_counter() - started, 3),
    }


def _schedule_screenshot(app: QApplication, window: MainWindow, path: str, after: float) -> None:
    def shoot() -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            window.redraw()
        except Exception:  # a drawing bug must not stop the screenshot
            log.exception("redraw before the screenshot")
        if not window.grab().save(str(target), "PNG"):
            print(f"liqguard: could not write the screenshot to {target}", file=sys.stderr)
            app.exit(EXIT_ERROR)
            return
        print(f"liqguard: screenshot saved to {target}")
        app.quit()

    QTimer.singleShot(int(max(after, 0.0) * 1000), shoot)


def run_demo(app: QApplication, args: argparse.Namespace) -> int:
    from desktop.exchanges.demo import DemoVenue, demo_readers

    venue = DemoVenue()
    accounts, markets = demo_readers(venue)
    engine = Engine(accounts, markets, demo_status=venue.status)
    quiet = bool(args.screenshot)
    window = build_main_window(engine, demo=True, config=_load_config(), store=not quiet, quiet=quiet)
    if window.demo_toolbar is not None:
        window.demo_toolbar.speed_changed.connect(lambda s: engine.call_soon(lambda: venue.set_speed(s)))
        window.demo_toolbar.scenario_changed.connect(lambda name: engine.restart(lambda: venue.reset(name)))
    engine.start()
    app.aboutToQuit.connect(engine.stop)
    window.show()
    if args.screenshot:
        _schedule_screenshot(app, window, args.screenshot, args.after)
    return app.exec()


def run_app(args: argparse.Namespace) -> int:
    """Run the mode the command line asked for; returns the process exit code."""
    started = time.perf_counter()
    try:
        app = create_qapp()
    except Exception as exc:  # pragma: no cover - depends on the system's Qt
        print(f"liqguard: Qt cannot start: {exc}", file=sys.stderr)
        return EXIT_QT_UNAVAILABLE
    if args.demo:
        return run_demo(app, args)
    window = build_main_window(quiet=True)
    window.show()
    if args.smoke:
        print(json.dumps(health_probes(app, started)))
        QTimer.singleShot(0, app.quit)
    elif args.screenshot:
        _schedule_screenshot(app, window, args.screenshot, args.after)
    return app.exec()
