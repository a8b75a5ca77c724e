"""The window's "keep running": stay in the tray when closed, start at login, come to the front when a
second LiqGuard starts.

:class:`WindowKeeper` filters the window's close event: with ``keep_in_tray`` on and a system tray
present, closing hides the window (monitoring and pushes go on; the push bridge sees the window is away)
and the tray icon's menu offers Show and Quit. ``show_requested`` may be emitted from any thread (the
single-instance listener); the window comes to the front on the GUI thread. :meth:`apply_config`
writes or removes the login entry when "start at login" changes (:mod:`desktop.watch.autostart`).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMainWindow, QMenu, QSystemTrayIcon

from desktop.settings import AppConfig
from desktop.watch import autostart

log = logging.getLogger(__name__)


class WindowKeeper(QObject):
    """See the module docstring. ``problem(str)``: a login entry could not be written (status bar)."""

    show_requested = Signal()
    problem = Signal(str)

    def __init__(self, window: QMainWindow, config: AppConfig) -> None:
        super().__init__(window)
        self.window = window
        self._quitting = False
        self._told = False
        self.tray: QSystemTrayIcon | None = None
        self.keep_in_tray = False
        self.start_at_login = config.always_on.start_at_login
        self.show_requested.connect(self.bring_to_front)
        window.installEventFilter(self)
        self.set_keep_in_tray(config.always_on.keep_in_tray)

    def set_keep_in_tray(self, keep: bool) -> None:
        app = QApplication.instance()
        self.keep_in_tray = keep and QSystemTrayIcon.isSystemTrayAvailable()
        if keep and not self.keep_in_tray:
            log.warning("keep running in the tray: this desktop has no system tray; closing quits")
        if self.keep_in_tray and self.tray is None:
            icon = self.window.windowIcon()
            if icon.isNull():
                from desktop.resources import app_icon

                icon = app_icon()
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.setToolTip("LiqGuard")
            menu = QMenu(self.window)
            show = QAction(self.tr("Show LiqGuard"), menu)
            show.triggered.connect(self.bring_to_front)
            quit_action = QAction(self.tr("Quit (stop monitoring)"), menu)
            quit_action.triggered.connect(self.quit)
            menu.addAction(show)
            menu.addAction(quit_action)
            self.tray.setContextMenu(menu)
            self.tray.activated.connect(lambda _reason: self.bring_to_front())
        if self.tray is not None:
            self.tray.setVisible(self.keep_in_tray)
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(not self.keep_in_tray)

    def apply_config(self, config: AppConfig) -> None:
        self.set_keep_in_tray(config.always_on.keep_in_tray)
        wanted = config.always_on.start_at_login
        if wanted != self.start_at_login:
            try:
                autostart.apply(wanted)
            except autostart.AutostartError as exc:
                self.problem.emit(str(exc))
                return
            self.start_at_login = wanted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        closing = watched is self.window and event.type() == QEvent.Type.Close
        if closing and self.keep_in_tray and not self._quitting:
            event.ignore()
            self.window.hide()
            if self.tray is not None and not self._told and QSystemTrayIcon.supportsMessages():
                self._told = True
                self.tray.showMessage(
                    "LiqGuard", self.tr("LiqGuard keeps monitoring here. Quit from this icon's menu.")
                )
            return True
        return super().eventFilter(watched, event)

    def bring_to_front(self) -> None:
        self.window.showNormal()
        self.window.raise_()
        self.window.activateWindow()

    def quit(self) -> None:
        """Really quit: the window closes (its layout is saved), then the application."""
        self._quitting = True
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
