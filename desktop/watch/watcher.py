"""``liqguard watch``: the headless monitor. Same engine, risk and alert rules as the window, no Qt.

::

    liqguard watch [--demo] [--speed X] [--notify URL ...] [--exit-after SECONDS] [--heartbeat URL]

* One line per alert on stdout: ``<UTC time> <LEVEL> <title> | <message> | <reasons>``; start-up, reload
  and channel problems go to stderr.
* Alerts go to the push channels of the settings (URLs in the keychain), to every ``--notify`` apprise
  URL and to those in ``$LIQGUARD_NOTIFY_URLS`` (space-separated; for a service without a keychain,
  read from a file only the user can read). There is no window to acknowledge in, so critical alerts
  are pushed at once.
* ``--heartbeat URL`` (or ``$LIQGUARD_HEARTBEAT_URL``, or the keychain's when the setting is on) is
  pinged every minute; on a clean exit "LiqGuard stopped monitoring" is pushed; at start, a down-time
  longer than the setting's ``gap_minutes`` is pushed with the alerts in force.
* SIGHUP reloads the settings (thresholds, channels); SIGTERM and SIGINT stop it cleanly (exit 0).
* Exit codes: 0 stopped (signal or ``--exit-after``), 1 fatal error, 2 bad arguments or no accounts,
  3 another LiqGuard monitor is running for this user.

Threads: the engine's loop thread hands each snapshot to :meth:`Watcher._on_snapshot` (it only keeps
the newest); the main thread judges alerts, prints and routes pushes; apprise sends on the push thread.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TextIO

from desktop.engine.snapshots import EngineSnapshot
from desktop.settings import AppConfig, load_config
from desktop.watch.alert_loop import AlertLoop
from risk.alerts import AlertEvent

log = logging.getLogger("liqguard.watch")

EXIT_OK = 0
EXIT_FATAL = 1
EXIT_USAGE = 2
EXIT_RUNNING = 3
NOTIFY_ENV = "LIQGUARD_NOTIFY_URLS"
TICK_SECONDS = 1.0


def _utc(epoch_ms: int) -> str:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def alert_line(event: AlertEvent) -> str:
    """The stdout line of one alert (reasons joined with "; ")."""
    level = "CLEARED" if event.cleared else event.level.upper()
    parts = [f"{_utc(event.timestamp_ms)} {level} {event.title}", event.message]
    if event.reasons:
        parts.append("; ".join(event.reasons))
    return " | ".join(parts)


@dataclass
class Options:
    demo: bool = False
    speed: float = 10.0
    notify: tuple[str, ...] = ()
    exit_after: float | None = None
    heartbeat: str | None = None


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="liqguard watch",
        description="Headless monitor: the window's engine and alert rules, alerts on stdout and to push "
        "channels. SIGHUP reloads the settings; SIGTERM stops cleanly.",
    )
    parser.add_argument("--demo", action="store_true", help="watch the built-in demo venue")
    parser.add_argument(
        "--speed", type=float, default=10.0, metavar="X", help="demo clock speed (default 10x)"
    )
    parser.add_argument(
        "--notify",
        action="append",
        default=[],
        metavar="URL",
        help=f"also push to this apprise URL (repeatable; or ${NOTIFY_ENV})",
    )
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="stop cleanly after this long")
    parser.add_argument(
        "--heartbeat",
        metavar="URL",
        help="ping this URL every minute (healthchecks-style dead-man switch; or $LIQGUARD_HEARTBEAT_URL)",
    )
    args = parser.parse_args(list(argv))
    if not args.speed > 0:
        parser.error(f"--speed must be > 0, got {args.speed}")
    if args.exit_after is not None and not args.exit_after > 0:
        parser.error(f"--exit-after must be > 0, got {args.exit_after}")
    env_urls = tuple(os.environ.get(NOTIFY_ENV, "").split())
    return Options(args.demo, args.speed, (*args.notify, *env_urls), args.exit_after, args.heartbeat)


class Watcher:
    """The watcher's main loop (see the module docstring); :meth:`run` returns the exit code."""

    def __init__(self, options: Options, *, out: TextIO | None = None, err: TextIO | None = None) -> None:
        self.options = options
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._reload = False
        self._snapshot_lock = threading.Lock()
        self._snapshot: EngineSnapshot | None = None
        self.config = AppConfig()
        self.engine: Any = None
        self.loop: AlertLoop | None = None
        self.store: Any = None
        self.hooks: list[WatchHook] = []
        self._lock: Any = None

    # ---- output -------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        """A status line on stderr."""
        with contextlib.suppress(BrokenPipeError, ValueError):  # stderr closed: keep monitoring
            print(f"liqguard watch: {text}", file=self.err, flush=True)

    def _print_events(self, events: list[AlertEvent]) -> None:
        for event in events:
            # stdout closed (`| head`): keep monitoring and pushing
            with contextlib.suppress(BrokenPipeError, ValueError):
                print(alert_line(event), file=self.out, flush=True)
        for hook in self.hooks:
            hook.on_events(events)

    # ---- signals ------------------------------------------------------------------------------
    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def request_reload(self) -> None:
        self._reload = True
        self._wake.set()

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        signal.signal(signal.SIGTERM, lambda *_: self.stop())
        signal.signal(signal.SIGINT, lambda *_: self.stop())
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, lambda *_: self.request_reload())

    # ---- set-up -------------------------------------------------------------------------------
    def _load_config(self) -> AppConfig:
        loaded = load_config()
        if loaded.message:
            self.say(f"settings: {loaded.message}")
        return loaded.config

    def _readers(self) -> tuple[list[Any], list[Any], Any] | None:
        if self.options.demo:
            from desktop.exchanges.demo import DemoVenue, demo_readers

            venue = DemoVenue(speed=self.options.speed)
            accounts, markets = demo_readers(venue)
            return list(accounts), list(markets), venue.status
        from desktop.accounts import AccountsStore
        from desktop.exchanges.live import build_live_readers
        from desktop.secrets.store import SecretStore

        store = AccountsStore()
        configs = store.load()
        if store.problem:
            self.say(f"accounts file: {store.problem}")
        if not configs:
            return None
        accounts, markets = build_live_readers(configs, SecretStore())
        return list(accounts), list(markets), None

    def _open_store(self) -> Any:
        from desktop.store import HistoryStore, StoreError

        try:
            store, message = HistoryStore.open()
        except (StoreError, OSError) as exc:  # the monitor must run even without its history
            self.say(f"alert history unavailable: {exc}")
            return None
        if message:
            self.say(message)
        return store

    def _on_snapshot(self, snapshot: EngineSnapshot) -> None:
        """Engine loop thread: keep the newest snapshot, wake the main thread."""
        with self._snapshot_lock:
            self._snapshot = snapshot
        self._wake.set()

    def _take_snapshot(self) -> EngineSnapshot | None:
        with self._snapshot_lock:
            snapshot, self._snapshot = self._snapshot, None
        return snapshot

    # ---- run ----------------------------------------------------------------------------------
    def run(self) -> int:
        from desktop.engine.core import MonitorEngine
        from desktop.engine.risk_view import thresholds_from

        self.config = self._load_config()
        if not self.options.demo:
            from desktop.watch.single_instance import InstanceLock, refusal

            lock = InstanceLock("watcher")
            if not lock.acquire():
                self.say(refusal(lock.holder()))
                return EXIT_RUNNING
            self._lock = lock
        found = self._readers()
        if found is None:
            self.say("no saved accounts. Add one in the app (Accounts > Add account...), or try --demo.")
            if self._lock is not None:
                self._lock.release()
            return EXIT_USAGE
        accounts, markets, demo_status = found
        self.store = self._open_store()
        self.loop = AlertLoop(self.config.to_rules(), self._print_events, self.store)
        self.engine = MonitorEngine(
            accounts, markets, thresholds=thresholds_from(self.config), demo_status=demo_status
        )
        self.engine.add_listener(self._on_snapshot)
        self._install_signals()
        for hook in self.hooks:
            hook.on_start(self)
        self.engine.start()
        what = "the demo venue" if self.options.demo else f"{len(accounts)} account(s)"
        self.say(f"monitoring {what}; pid {os.getpid()}")
        started = time.monotonic()
        next_tick = started
        try:
            while not self._stop.is_set():
                self._wake.wait(timeout=TICK_SECONDS)
                self._wake.clear()
                if self._reload:
                    self._reload = False
                    self.reload()
                snapshot = self._take_snapshot()
                if snapshot is not None:
                    self.loop.process_snapshot(snapshot, time.time_ns() // 1_000_000)
                if time.monotonic() >= next_tick:
                    next_tick = time.monotonic() + TICK_SECONDS
                    self.loop.tick(time.time_ns() // 1_000_000)
                    for hook in self.hooks:
                        hook.on_tick()
                exit_after = self.options.exit_after
                if exit_after is not None and time.monotonic() - started >= exit_after:
                    self.say(f"--exit-after {exit_after:g} s reached")
                    break
        finally:
            self._shutdown()
        return EXIT_OK

    def reload(self) -> None:
        """Read the settings again (SIGHUP): thresholds and channels."""
        from desktop.engine.risk_view import thresholds_from

        self.config = self._load_config()
        if self.loop is not None:
            self.loop.replace_rules(self.config.to_rules())
        if self.engine is not None:
            self.engine.set_thresholds(thresholds_from(self.config))
        for hook in self.hooks:
            hook.on_reload(self.config)
        self.say("settings reloaded")

    def _shutdown(self) -> None:
        self.say("stopping")
        if self.engine is not None:
            self.engine.stop()
        for hook in reversed(self.hooks):
            try:
                hook.on_stop()
            except Exception:  # one failing hook must not keep the others from closing
                log.exception("watch hook failed on stop")
        if self.store is not None:
            self.store.close()
        if self._lock is not None:
            self._lock.release()


class WatchHook:
    """Something that rides along the watcher (push channels, heartbeat); every method is optional."""

    def on_start(self, watcher: Watcher) -> None:
        """Before the engine starts."""

    def on_events(self, events: list[AlertEvent]) -> None:
        """Alerts just judged (main thread)."""

    def on_tick(self) -> None:
        """About once a second (main thread)."""

    def on_reload(self, config: AppConfig) -> None:
        """The settings were read again."""

    def on_stop(self) -> None:
        """The engine has stopped; finish quickly."""


def main(argv: Sequence[str]) -> int:
    try:
        options = parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    logging.basicConfig(level=logging.WARNING, format="liqguard watch: %(levelname)s %(name)s: %(message)s")
    from desktop.secrets.redact import install_log_redaction

    install_log_redaction()
    watcher = Watcher(options)
    from desktop.watch.watch_push import PushHook
    from desktop.watch.watch_uptime import UptimeHook

    try:
        push = PushHook(options.notify)
    except ValueError as exc:
        watcher.say(str(exc))
        return EXIT_USAGE
    watcher.hooks += [push, UptimeHook(push, options.heartbeat)]
    try:
        return watcher.run()
    except Exception as exc:
        log.exception("fatal error")
        watcher.say(f"fatal error: {type(exc).__name__}: {exc}")
        return EXIT_FATAL
