"""QApplication set-up and the top-level run modes (smoke, demo, saved accounts)."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.metadata
import json
import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from desktop import __version__
from desktop.engine import Engine
from desktop.engine.alert_center import AlertCenter
from desktop.engine.closures import reader_lookup
from desktop.engine.risk_view import thresholds_from
from desktop.resources import APP_ID, app_icon
from desktop.settings import AppConfig, load_config
from desktop.store import HistoryStore, StoreError
from desktop.ui.i18n import install_translator
from desktop.ui.main_window import MainWindow
from desktop.ui.notify import AlertNotifier, RecordingSound
from desktop.ui.problem_banner import show_problems
from desktop.ui.theme import apply_theme

if TYPE_CHECKING:
    from desktop.watch.single_instance import InstanceLock

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


def create_qapp(config: AppConfig | None = None) -> QApplication:
    """Return the process's QApplication with LiqGuard's names, theme, language and crash hooks.

    ``config`` gives the theme and the language (default: dark, the system's language).
    """
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setOrganizationName("LiqGuard")
    app.setApplicationName("LiqGuard")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # lets Wayland/X11 shells match the installed .desktop file
    app.setWindowIcon(app_icon())
    config = config or AppConfig()
    apply_theme(app, config.theme)
    install_translator(app, config.language)
    sys.excepthook = _log_exception
    threading.excepthook = _log_thread_exception
    # crash hooks log through the record factory, which redacts every registered secret
    from desktop.secrets.redact import install_log_redaction

    install_log_redaction()
    return app


def build_main_window(
    engine: Engine | None = None,
    *,
    demo: bool = False,
    config: AppConfig | None = None,
    store: bool = False,
    quiet: bool = False,
    problems: Sequence[str] = (),
) -> MainWindow:
    """The full main window with its alert chain.

    ``store`` keeps alert history in SQLite (opened through its recovery path: a damaged file is kept
    aside and a new one started); ``quiet`` records sounds instead of playing them (for unattended runs
    such as ``--smoke`` and ``--screenshot``). ``problems`` (damaged files, keychain errors found at
    start) are shown in a banner with the history's own problem, if any.
    """
    config = config or AppConfig()
    window = MainWindow(engine, demo=demo, config=config)
    notifier = None
    if quiet:
        notifier = AlertNotifier(
            window, sound_enabled=config.sound_enabled, critical_modal=False, sound=RecordingSound()
        )
    history = None
    found = list(problems)
    if store:
        history, message = open_history()
        if message:
            found.append(message)
    center = AlertCenter(window, config, history, notifier=notifier)
    if engine is not None:  # a position that goes away: ask its venue why (liquidation, ADL)
        center.closure_lookup = reader_lookup(engine.submit, engine.account_reader)
    window.attach_alerts(center)
    if not quiet:
        attach_push(window, center, config, demo=demo)
    show_problems(window, found)
    return window


def open_history() -> tuple[HistoryStore | None, str | None]:
    """The history store through its recovery path, and a message for the user (None when all is well).

    The monitor runs without history when even a fresh database cannot be made (a read-only folder)."""
    try:
        return HistoryStore.open()
    except (StoreError, OSError) as exc:
        log.error("alert history unavailable: %s", exc)
        return None, f"Alert history unavailable: {exc}"


def attach_push(window: MainWindow, center: AlertCenter, config: AppConfig, *, demo: bool) -> None:
    """Push channels for the window: escalation of unacknowledged criticals, status-bar problems, the
    alive record and heartbeat, "stopped monitoring" on quit (not for the demo, which watches nothing)."""
    from desktop.paths import data_dir
    from desktop.watch.qt_bridge import PushBridge
    from desktop.watch.uptime import AliveRecord

    bridge = PushBridge(center, config)
    bridge.channel_failed.connect(lambda message: window.statusBar().showMessage(message, 60_000))
    bridge.channel_recovered.connect(lambda message: window.statusBar().showMessage(message, 15_000))
    if not demo:
        bridge.start_uptime(center, AliveRecord(data_dir() / "monitor-alive.json"))
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lambda: bridge.close(notify_stop=not demo))


def _load_config() -> tuple[AppConfig, list[str]]:
    loaded = load_config()
    if loaded.message:
        log.warning("settings: %s", loaded.message)
    return loaded.config, [loaded.message] if loaded.message else []


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


def _show(window: MainWindow, args: argparse.Namespace) -> None:
    """Show the window, at ``--size`` if given (then kept within the screen)."""
    size = getattr(args, "size", None)
    if size:
        window.resize(*size)
    window.show()
    if size:
        window.fit_to_screen()


def run_demo(
    app: QApplication, args: argparse.Namespace, config: AppConfig, problems: Sequence[str] = ()
) -> int:
    from desktop.exchanges.demo import DemoVenue, demo_readers

    venue = DemoVenue(speed=args.speed) if getattr(args, "speed", None) else DemoVenue()
    if getattr(args, "via_harness", False):
        # the demo venue served over WebSocket and REST on 127.0.0.1, read by the real ccxt.pro stack
        from desktop.exchanges.harness.demo_feed import HarnessDemo

        harness = HarnessDemo(venue).start()
        accounts, markets = harness.readers()
        engine = Engine(accounts, markets, thresholds=thresholds_from(config), demo_status=harness.status)
        change_speed: Any = lambda s: harness.call(lambda v: v.set_speed(s))  # noqa: E731
        change_scenario: Any = lambda name: harness.call(lambda v: v.reset(name))  # noqa: E731
    else:
        harness = None
        accounts, markets = demo_readers(venue)
        engine = Engine(accounts, markets, thresholds=thresholds_from(config), demo_status=venue.status)
        change_speed = lambda s: engine.call_soon(lambda: venue.set_speed(s))  # noqa: E731
        change_scenario = lambda name: engine.restart(lambda: venue.reset(name))  # noqa: E731
    quiet = bool(args.screenshot)
    window = build_main_window(
        engine, demo=True, config=config, store=not quiet, quiet=quiet, problems=problems
    )
    if window.demo_toolbar is not None and venue.speed in window.demo_toolbar.speed_actions:
        window.demo_toolbar.speed_actions[venue.speed].setChecked(True)
    if window.demo_toolbar is not None:
        window.demo_toolbar.speed_changed.connect(change_speed)
        window.demo_toolbar.scenario_changed.connect(change_scenario)
    connect_account_wizard(window, engine)
    engine.start()
    app.aboutToQuit.connect(engine.stop)
    if harness is not None:
        app.aboutToQuit.connect(harness.stop)
    _show(window, args)
    if args.screenshot:
        _schedule_screenshot(app, window, args.screenshot, args.after)
    return app.exec()


def connect_account_wizard(window: MainWindow, engine: Engine) -> None:
    """Accounts saved or removed in the wizard start or stop their feeds at once."""
    from desktop.accounts import AccountsStore
    from desktop.exchanges.live import build_live_readers
    from desktop.secrets.store import SecretStore

    secrets = SecretStore()

    def saved(account_id: str) -> None:
        config = next((c for c in AccountsStore().load() if c.account_id == account_id), None)
        if config is not None:
            accounts, _markets = build_live_readers([config], secrets)  # marks come with the positions
            engine.add_account(accounts[0])

    window.account_saved.connect(saved)
    window.account_removed.connect(engine.remove_account)


def _live_engine(config: AppConfig, problems: list[str] | None = None) -> Engine | None:
    """An engine over the saved exchange accounts (secrets from the keychain), or None if there are none.

    A damaged accounts file or an account whose secrets cannot be read is appended to ``problems``."""
    from desktop.accounts import AccountsStore
    from desktop.exchanges.live import build_live_readers
    from desktop.secrets import SecretStore

    store = AccountsStore()
    configs = store.load()
    if store.problem:
        log.error("%s", store.problem)
        if problems is not None:
            problems.append(store.problem)
    if not configs:
        return None
    accounts, markets = build_live_readers(configs, SecretStore())
    for reader in accounts:
        problem = getattr(reader, "problem", None)  # a DeferredAccountReader: the keychain said no
        if problem and problems is not None:
            problems.append(f"{reader.label}: {problem}")
    return Engine(accounts, markets, thresholds=thresholds_from(config))


def run_accounts(
    app: QApplication, args: argparse.Namespace, config: AppConfig, problems: Sequence[str] = ()
) -> int:
    """The app on the saved accounts (none yet: an empty window that offers the wizard)."""
    lock = None
    if not args.screenshot:
        lock = _single_instance()
        if lock is None:
            return EXIT_OK
    found = list(problems)
    engine = _live_engine(config, found) or Engine([], thresholds=thresholds_from(config))
    window = build_main_window(engine, config=config, store=True, quiet=bool(args.screenshot), problems=found)
    if lock is not None:
        keep_running(window, config, lock)
    connect_account_wizard(window, engine)
    engine.start()
    app.aboutToQuit.connect(engine.stop)
    _show(window, args)
    if args.screenshot:
        _schedule_screenshot(app, window, args.screenshot, args.after)
    return app.exec()


def _single_instance() -> InstanceLock | None:
    """This process's monitor lock, or None after bringing the running window to the front (or
    explaining why this start is refused)."""
    from desktop.watch.single_instance import InstanceLock, ask_to_show, refusal

    lock = InstanceLock("window")
    if lock.acquire():
        return lock
    holder = lock.holder()
    if holder is not None and holder.kind == "window" and ask_to_show(holder):
        print("liqguard: LiqGuard is already running; its window was brought to the front.", file=sys.stderr)
        return None
    message = refusal(holder)
    print(f"liqguard: {message}", file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(None, "LiqGuard", message)
    return None


def keep_running(window: MainWindow, config: AppConfig, lock: InstanceLock) -> None:
    """Tray, start at login, and the second start bringing this window to the front."""
    from desktop.watch.qt_tray import WindowKeeper

    keeper = WindowKeeper(window, config)
    lock.set_on_show(keeper.show_requested.emit)
    keeper.problem.connect(lambda message: window.statusBar().showMessage(message, 30_000))
    if window.alert_center is not None:
        window.alert_center.config_applied.connect(keeper.apply_config)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(lock.release)


def run_app(args: argparse.Namespace) -> int:
    """Run the mode the command line asked for; returns the process exit code."""
    started = time.perf_counter()
    config, problems = _load_config()
    overrides = {k: v for k in ("theme", "language") if (v := getattr(args, k, None))}
    if overrides:  # for this run only: the saved settings stay as they are
        config = dataclasses.replace(config, **overrides)
    try:
        app = create_qapp(config)
    except Exception as exc:  # pragma: no cover - depends on the system's Qt
        print(f"liqguard: Qt cannot start: {exc}", file=sys.stderr)
        return EXIT_QT_UNAVAILABLE
    if args.demo:
        return run_demo(app, args, config, problems)
    if not args.smoke:
        return run_accounts(app, args, config, problems)
    return run_smoke(app, config, problems, started)


def run_smoke(app: QApplication, config: AppConfig, problems: Sequence[str], started: float) -> int:
    """``--smoke``: start like a real start (settings, saved accounts, history; no keychain, no network),
    print the health probes and the start-up problems, exit 1 on an unexpected Qt warning."""
    from desktop.accounts import AccountsStore
    from desktop.qt_warnings import QtWarningGate

    gate = QtWarningGate().install()
    found = list(problems)
    accounts = AccountsStore()
    saved = accounts.load()
    if accounts.problem:
        found.append(accounts.problem)
    window = build_main_window(config=config, store=True, quiet=True, problems=found)
    window.show()
    probes = health_probes(app, started)
    history = window.alert_center.store if window.alert_center is not None else None
    # what the banner shows: the files' problems and the history's own
    probes.update(saved_accounts=len(saved), history=history is not None, problems=_banner_problems(window))
    print(json.dumps(probes))
    QTimer.singleShot(0, app.quit)
    code = app.exec()
    if window.alert_center is not None:
        window.alert_center.close()
    if history is not None:
        history.close()
    gate.uninstall()
    if gate.unexpected:
        print("liqguard: unexpected Qt warnings:\n  " + "\n  ".join(gate.unexpected), file=sys.stderr)
        return EXIT_ERROR
    return code


def _banner_problems(window: MainWindow) -> list[str]:
    from desktop.ui.problem_banner import ProblemBanner

    banner = window.findChild(ProblemBanner)
    return list(banner.problems) if banner is not None else []
