"""Alert delivery: system tray message, in-app toast, optional modal for critical, and sound.

:class:`AlertNotifier` takes the :class:`risk.alerts.AlertEvent` objects the alert engine returns and
delivers each through a chain of channels (house-style §8, after qutebrowser's notification adapters):

1. :class:`TrayChannel` — ``QSystemTrayIcon.showMessage`` where ``isSystemTrayAvailable()`` and
   ``supportsMessages()`` (re-checked at every alert). Best effort: the OS may drop it silently.
2. :class:`ToastChannel` — an in-app toast (:class:`ToastArea`: one toast per subject, updated in
   place, at most three visible and the rest collapsed into "N more — open alerts"; the main window
   shows it as a strip of its own across the top). Always available: the last resort of the chain.
3. :class:`ModalChannel` — a non-blocking dialog (``QDialog.open()``) for critical alerts, when enabled.

Policy: a clear pops nothing (it is in the alerts log) but takes the alert out of its toast unless it
waits for acknowledgement (then the toast says it eased). Acknowledge and Snooze close a toast at once.
"info" goes to a short toast, without sound. "warning" goes to the first popup
channel that is available and does not fail (tray, else toast). "critical" goes there too **and** always
to a toast that stays until acknowledged, plus the modal when enabled. Warning and critical play a sound
(:class:`AlertSound`: QtMultimedia ``QSoundEffect`` loaded lazily; ``QApplication.beep()`` when
QtMultimedia cannot be imported — Linux without libpulse0 —, no audio output exists, or the effect fails).
A channel that fails is logged and reported by ``channel_failed``; the next channel is used. Nothing is
dropped silently.

Wiring (the main window owns the engine and the store)::

    notifier = AlertNotifier(window, sound_enabled=cfg.sound_enabled, critical_modal=cfg.critical_modal)
    notifier.acknowledge_requested.connect(on_ack)     # str: alert key → engine.acknowledge + store
    notifier.snooze_requested.connect(on_snooze)       # str: alert key → engine.snooze + store
    for event in events:
        notifier.notify(event)

Tests can inject channels and a sound object; never assert that an OS notification appeared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from desktop.resources import resources_path
from desktop.ui.alert_text import alert_text, value_line
from risk.alerts import MARKET_KINDS, AlertEvent, level_rank

log = logging.getLogger(__name__)

TOAST_TIMEOUT_MS: Mapping[str, int] = {"info": 6_000, "warning": 12_000}
"""How long a toast stays (ms) by level; critical toasts needing acknowledgement stay until acknowledged."""
MAX_TOASTS = 50
"""Toasts held at most (one per subject); beyond it the least important one goes."""
MAX_VISIBLE_TOASTS = 3
"""Toasts on screen at once; the rest collapse into one "N more — open alerts" button."""
MAX_DIALOGS = 3
PRELOAD_DELAY_MS = 1500
"""Sounds are loaded this long after start-up (ms): after the first window paint, before most alerts."""
TRAY_MESSAGE_MS = 10_000

SOUND_FILES: Mapping[str, str] = {"warning": "alert-warning.wav", "critical": "alert-critical.wav"}


class DeliveryError(RuntimeError):
    """A channel could not deliver an alert (the message says why)."""


@runtime_checkable
class Channel(Protocol):
    """One way of showing an alert. ``deliver`` raises (any exception) when it fails."""

    name: str

    def available(self) -> bool: ...

    def deliver(self, event: AlertEvent) -> None: ...


# --------------------------------------------------------------------------------------------------
# Toasts


CLOSED_KINDS = ("liquidated", "position_closed")
"""Alert kinds about a position that is gone or reduced (risk.alerts)."""


class Toast(QFrame):
    """Everything in force about one subject (a position, an account, a market, a feed): the headline
    alert (the most severe, then the newest), the subject's current value with the time of that value,
    what to do, and Acknowledge / Snooze / Dismiss buttons.

    A new alert about the same subject updates the toast in place (:meth:`update_event`); the value
    line follows the data (:meth:`set_live`). The toast is sticky (no fade, no Dismiss) while one of its
    alerts waits for acknowledgement. Acknowledge and Snooze act on every alert of the toast and close
    it at once (the alerts log keeps the entries).
    """

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)
    closed = Signal()

    def __init__(self, event: AlertEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.subject = toast_subject(event)
        self.events: dict[str, AlertEvent] = {}
        """Alert key -> the last raised event of that key in force on this subject."""
        self.eased: set[str] = set()
        """Keys whose alert cleared while waiting for acknowledgement."""
        self.updated_ms = event.timestamp_ms
        self.setObjectName("toast")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(280)
        self.setMaximumWidth(460)

        self.title_label = QLabel()
        self.title_label.setObjectName("toastTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.action_label = QLabel()
        self.action_label.setObjectName("toastAction")
        self.action_label.setWordWrap(True)
        self.action_label.setFont(font)  # what to do, first and in bold
        self.value_label = QLabel()
        self.value_label.setObjectName("toastValue")
        self.message_label = QLabel()
        self.message_label.setObjectName("toastMessage")
        self.message_label.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ack_button = QPushButton(self.tr("Acknowledge"))
        self.ack_button.clicked.connect(self._on_ack)
        buttons.addWidget(self.ack_button)
        self.snooze_button = QPushButton(self.tr("Snooze"))
        self.snooze_button.clicked.connect(self._on_snooze)
        buttons.addWidget(self.snooze_button)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.dismiss_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        for label in (self.action_label, self.title_label, self.value_label, self.message_label):
            layout.addWidget(label)
        layout.addLayout(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.dismiss)
        self._dismissed = False
        self._compact = False
        self.update_event(event)

    # -- state ------------------------------------------------------------------------------------
    @property
    def alert(self) -> AlertEvent:
        """The headline event: the most severe in force, then the newest."""
        return max(self.events.values(), key=lambda e: (level_rank(e.level), e.timestamp_ms))

    @property
    def sticky(self) -> bool:
        """True while one of its alerts waits for acknowledgement."""
        return any(e.requires_ack for e in self.events.values())

    @property
    def rank(self) -> tuple[int, int, int, int, int]:
        """Sort key, most important first when sorted descending: an alert in force waiting for
        acknowledgement, then anything still in force before what only eased since, level, the
        trader's own book before the market, last update."""
        pressing = any(e.requires_ack and k not in self.eased for k, e in self.events.items())
        current = any(k not in self.eased for k in self.events)
        own = int(self.alert.kind not in MARKET_KINDS)
        return (int(pressing), int(current), level_rank(self.alert.level), own, self.updated_ms)

    def keys(self) -> list[str]:
        return list(self.events)

    def update_event(self, event: AlertEvent) -> None:
        """A raised alert about this toast's subject: shown in place of the older one of its key."""
        self.events[event.key] = event
        self.eased.discard(event.key)
        self.updated_ms = max(self.updated_ms, event.timestamp_ms)
        self._show()

    def ease(self, event: AlertEvent) -> bool:
        """A clear of one of its alerts. A critical waiting for acknowledgement stays (marked eased);
        another one leaves the toast. Returns False when nothing is left to show."""
        held = self.events.get(event.key)
        if held is None:
            return bool(self.events)
        if held.requires_ack:
            self.eased.add(event.key)
            self._eased_text = alert_text(event)[0]
        else:
            del self.events[event.key]
        if self.events:
            self._show()
        return bool(self.events)

    def forget_key(self, key: str) -> bool:
        """Drop alert ``key`` (acknowledged elsewhere); False when nothing is left to show."""
        self.events.pop(key, None)
        self.eased.discard(key)
        if self.events:
            self._show()
        return bool(self.events)

    def set_live(self, text: str) -> None:
        """The subject's value now and the time of that value, e.g. "distance 0.8 % · 21:17:25 UTC"."""
        if text and text != self.value_label.text():
            self.value_label.setText(text)

    # -- display ----------------------------------------------------------------------------------
    def _show(self) -> None:
        event = self.alert
        if self.property("level") != event.level:
            self.setProperty("level", event.level)  # QSS: QFrame#toast[level="critical"]
            self.style().unpolish(self)
            self.style().polish(self)
        title, message = alert_text(event)
        self.title_label.setText(title)
        self.action_label.setText(event.action)
        self.action_label.setVisible(bool(event.action))
        if event.key in self.eased:
            message = self.tr("Eased since: %1").replace("%1", getattr(self, "_eased_text", ""))
        self.message_label.setText(message)
        reasons = [r for e in self.events.values() for r in e.reasons]
        self.message_label.setToolTip("\n".join(reasons))
        self._apply_compact(message, reasons)
        if not self.value_label.text():
            self.value_label.setText(value_line(event))
        sticky = self.sticky
        self.ack_button.setVisible(sticky)
        self.snooze_button.setVisible(True)
        self.dismiss_button.setVisible(not sticky)
        if sticky:
            self._timer.stop()
        else:  # warnings and info fade; a newer alert about the subject starts the wait again
            self._timer.start(TOAST_TIMEOUT_MS.get(event.level, TOAST_TIMEOUT_MS["warning"]))

    def set_compact(self, compact: bool) -> None:
        """In the window's toast strip: the message line only while it says what the title and value
        line do not (an alert eased since), the rest in the toast's tooltip; the toast widens up to its
        maximum width instead of wrapping. The strip then stays about three lines shorter, which a
        768 px screen needs for the table below it."""
        self._compact = compact
        horizontal = QSizePolicy.Policy.Expanding if compact else QSizePolicy.Policy.Preferred
        self.setSizePolicy(
            horizontal, QSizePolicy.Policy.Maximum if compact else QSizePolicy.Policy.Preferred
        )
        self._apply_compact(self.message_label.text(), [r for e in self.events.values() for r in e.reasons])

    def _apply_compact(self, message: str, reasons: list[str]) -> None:
        alert = self.alert
        closed = alert.kind in CLOSED_KINDS
        # A closed position has no live value (its last margin ratio would mislead): its message says
        # size, price and realised loss, and is shown even in the strip.
        self.value_label.setVisible(not closed)
        self.message_label.setVisible(not self._compact or closed or alert.key in self.eased)
        self.setToolTip("\n".join([message, *reasons]) if self._compact else "")

    def _on_ack(self) -> None:
        for key, event in list(self.events.items()):
            if event.requires_ack:
                self.acknowledge_requested.emit(key)
        self.dismiss()

    def _on_snooze(self) -> None:
        for key in list(self.events):
            self.snooze_requested.emit(key)
        self.dismiss()

    def dismiss(self) -> None:
        if self._dismissed:
            return
        self._dismissed = True
        self._timer.stop()
        self.hide()
        self.closed.emit()
        self.deleteLater()


def toast_subject(event: AlertEvent) -> str:
    """What a toast is about: the alert's subject (position, account, market or feed key)."""
    return event.subject or event.key


class ToastArea(QWidget):
    """The toasts, one per subject, at most :data:`MAX_VISIBLE_TOASTS` visible (those waiting for
    acknowledgement first, then the most severe, then the newest); the rest collapse into one "N more —
    open alerts" button (``open_alerts_requested``).

    By default an overlay at the top right of ``parent`` (or a frameless top-level window when there is
    no parent); :meth:`use_as_strip` lays the toasts side by side for a dedicated strip (the main window
    puts it in a toolbar row of its own, where it covers no number). ``count_changed(int)`` tells how many
    toasts are held, so such a strip can hide when empty.
    """

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)
    open_alerts_requested = Signal()
    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toastArea")
        self._overlay = parent is not None
        self._strip = False
        if parent is None:
            flags = (
                Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
            self.setWindowFlags(flags)
        else:
            parent.installEventFilter(self)
        self._layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self.more_button = QPushButton()
        self.more_button.setObjectName("toastMore")
        self.more_button.clicked.connect(self.open_alerts_requested)
        self.more_button.hide()
        self._layout.addWidget(self.more_button)
        self._layout.addStretch(1)  # toasts gather at the start of the strip / top of the column
        self._toasts: dict[str, Toast] = {}
        self.hide()

    def use_as_strip(self) -> None:
        """Lay toasts side by side and stop floating over the parent (the caller places the area)."""
        self._overlay = False
        self._strip = True  # the strip's owner shows and hides it (count_changed)
        if self.parentWidget() is not None:
            self.parentWidget().removeEventFilter(self)
        self._layout.setDirection(QBoxLayout.Direction.LeftToRight)
        self._layout.setContentsMargins(4, 2, 4, 2)
        for toast in self._toasts.values():
            toast.set_compact(True)
        # the trailing stretch becomes a fixed zero spacer (same place in the layout, so insertions keep
        # their index): the width goes to the toasts, which then wrap less
        self._layout.takeAt(self._layout.count() - 1)
        self._layout.addSpacing(0)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)  # the strip's width
        self._relayout()

    def toasts(self) -> list[Toast]:
        """Every toast held (visible or collapsed), oldest first."""
        return list(self._toasts.values())

    def visible_toasts(self) -> list[Toast]:
        """The toasts on screen, most important first."""
        return [t for t in self._ranked() if not t.isHidden()]

    def toast_for(self, subject: str) -> Toast | None:
        return self._toasts.get(subject)

    def show_toast(self, event: AlertEvent) -> Toast:
        """Show a raised alert: the subject's toast is updated in place, or a new one is made."""
        subject = toast_subject(event)
        toast = self._toasts.get(subject)
        if toast is None:
            toast = Toast(event, self)
            toast.set_compact(self._strip)
            toast.acknowledge_requested.connect(self.acknowledge_requested)
            toast.snooze_requested.connect(self.snooze_requested)
            toast.closed.connect(lambda t=toast: self._forget(t))
            self._toasts[subject] = toast
            self._layout.insertWidget(self._layout.count() - 2, toast)  # before "N more" and the stretch
            while len(self._toasts) > MAX_TOASTS:
                held = sorted(self._toasts.values(), key=lambda t: t.rank)
                self._drop(held[0])
            self.count_changed.emit(len(self._toasts))
        else:
            toast.update_event(event)
        self._relayout()
        return toast

    def ease(self, event: AlertEvent) -> None:
        """A clear: the subject's toast drops that alert (a critical waiting for acknowledgement stays)."""
        toast = self._toasts.get(toast_subject(event))
        if toast is not None and not toast.ease(event):
            self._drop(toast)
        self._relayout()

    def remove_key(self, key: str, *, keep_sticky: bool = False) -> None:
        """Alert ``key`` was acknowledged elsewhere (e.g. in the log): its toast drops it, and closes when
        nothing is left; with ``keep_sticky`` a toast waiting for acknowledgement stays."""
        for toast in [t for t in self._toasts.values() if key in t.events]:
            if keep_sticky and toast.sticky:
                continue
            if not toast.forget_key(key):
                self._drop(toast)
        self._relayout()

    def set_live(self, lines: Mapping[str, str]) -> None:
        """Current value lines by subject (see :meth:`Toast.set_live`)."""
        for subject, text in lines.items():
            toast = self._toasts.get(subject)
            if toast is not None:
                toast.set_live(text)

    def _ranked(self) -> list[Toast]:
        return sorted(self._toasts.values(), key=lambda t: t.rank, reverse=True)

    def _drop(self, toast: Toast) -> None:
        self._forget(toast)
        toast.dismiss()

    def _forget(self, toast: Toast) -> None:
        if self._toasts.get(toast.subject) is toast:
            del self._toasts[toast.subject]
            self._layout.removeWidget(toast)
            self.count_changed.emit(len(self._toasts))
        self._relayout()

    def _relayout(self) -> None:
        ranked = self._ranked()
        shown, hidden = ranked[:MAX_VISIBLE_TOASTS], ranked[MAX_VISIBLE_TOASTS:]
        for toast in hidden:  # hidden first: never one more than the limit on screen, even for a moment
            toast.hide()
        for toast in shown:
            toast.show()
        if hidden:
            critical = sum(1 for t in hidden if t.alert.level == "critical")
            # self.tr, not QCoreApplication.translate: lupdate extracts plural forms only from tr()
            text = self.tr("%n more — open alerts", "", len(hidden))
            if critical:
                text = self.tr("%n more (%1 critical) — open alerts", "", len(hidden)).replace(
                    "%1", str(critical)
                )
            self.more_button.setText(text)
        self.more_button.setVisible(bool(hidden))
        if self._strip:
            self.updateGeometry()
            return
        if not self._toasts:
            self.hide()
            return
        self.show()
        if self._overlay:
            self.adjustSize()
            parent = self.parentWidget()
            if parent is not None:
                self.move(max(0, parent.width() - self.width() - 12), 12)
            self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._overlay and watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._relayout()
        return super().eventFilter(watched, event)


# --------------------------------------------------------------------------------------------------
# Channels


class ToastChannel:
    """In-app toast: always available."""

    name = "toast"

    def __init__(self, area: ToastArea) -> None:
        self.area = area

    def available(self) -> bool:
        return True

    def deliver(self, event: AlertEvent) -> None:
        self.area.show_toast(event)


SEVERITY_DOT: Mapping[str, str] = {"info": "#58a6ff", "warning": "#f0883e", "critical": "#f85149"}
"""Colour of the dot the tray icon carries for the worst alert level in force (none for "ok")."""


def severity_icon(base: QIcon, level: str) -> QIcon:
    """``base`` with a dot in the level's colour at the bottom right (``base`` itself for "ok")."""
    color = SEVERITY_DOT.get(level)
    if color is None:
        return base
    pixmap = base.pixmap(64, 64)
    if pixmap.isNull():
        pixmap = QPixmap(64, 64)
        pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(36, 36, 26, 26)
    painter.end()
    return QIcon(pixmap)


class TrayChannel:
    """System tray balloon / OS notification through ``QSystemTrayIcon``."""

    name = "tray"

    def __init__(self, icon: QIcon | None = None, on_clicked: Callable[[], None] | None = None) -> None:
        self._icon = icon
        self._on_clicked = on_clicked
        self._tray: QSystemTrayIcon | None = None
        self._severity = "ok"

    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def deliver(self, event: AlertEvent) -> None:
        if self._tray is None:
            self._tray = QSystemTrayIcon(severity_icon(self._base_icon(), self._severity))
            self._tray.setToolTip("LiqGuard")
            if self._on_clicked is not None:
                self._tray.messageClicked.connect(self._on_clicked)
        self._tray.show()
        if not self._tray.isVisible():
            raise DeliveryError("the tray icon could not be shown")
        kinds = {
            "info": QSystemTrayIcon.MessageIcon.Information,
            "warning": QSystemTrayIcon.MessageIcon.Warning,
            "critical": QSystemTrayIcon.MessageIcon.Critical,
        }
        title, message = alert_text(event)
        self._tray.showMessage(title, message, kinds[event.level], TRAY_MESSAGE_MS)

    def set_severity(self, level: str) -> None:
        """Show the worst alert level in force on the tray icon (a coloured dot) and in its tooltip."""
        self._severity = level
        if self._tray is None:
            return
        self._tray.setIcon(severity_icon(self._base_icon(), level))
        names = {
            "info": QCoreApplication.translate("TrayChannel", "LiqGuard — info"),
            "warning": QCoreApplication.translate("TrayChannel", "LiqGuard — warning"),
            "critical": QCoreApplication.translate("TrayChannel", "LiqGuard — critical"),
        }
        self._tray.setToolTip(names.get(level, "LiqGuard"))

    def _base_icon(self) -> QIcon:
        icon = self._icon
        if icon is None or icon.isNull():
            from desktop.resources import app_icon

            icon = app_icon()
        return icon

    def hide(self) -> None:
        if self._tray is not None:
            self._tray.hide()


class AlertDialog(QDialog):
    """Non-modal-blocking dialog for a critical alert (opened with ``open()``, window-modal)."""

    acknowledge_requested = Signal(str)

    def __init__(self, event: AlertEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = event  # not 'event': that would shadow QObject.event()
        self.setObjectName("alertDialog")
        self.setWindowTitle(self.tr("LiqGuard: critical alert"))
        title_text, message_text = alert_text(event)
        title = QLabel(title_text)
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        message = QLabel(message_text)
        message.setWordWrap(True)
        reasons = QLabel("\n".join(f"• {r}" for r in event.reasons))
        reasons.setWordWrap(True)
        buttons = QDialogButtonBox()
        ack = buttons.addButton(self.tr("Acknowledge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("Later"), QDialogButtonBox.ButtonRole.RejectRole)
        ack.clicked.connect(lambda: self.acknowledge_requested.emit(event.key))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (title, message, reasons, buttons):
            layout.addWidget(widget)


class ModalChannel:
    """A window-modal dialog opened without blocking (``QDialog.open()``), for critical alerts."""

    name = "modal"

    def __init__(self, parent: QWidget | None, on_acknowledge: Callable[[str], None]) -> None:
        self._parent = parent
        self._on_acknowledge = on_acknowledge
        self.dialogs: list[AlertDialog] = []

    def available(self) -> bool:
        return True

    def deliver(self, event: AlertEvent) -> None:
        # One dialog per alert key and a few at most: a burst of critical alerts must not bury the
        # window under dialogs (every critical alert also has its toast and its row in the log).
        for old in [d for d in self.dialogs if d.alert.key == event.key]:
            old.reject()
        while len(self.dialogs) >= MAX_DIALOGS:
            self.dialogs[0].reject()
        dialog = AlertDialog(event, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.acknowledge_requested.connect(self._on_acknowledge)
        dialog.finished.connect(lambda _result, d=dialog: self._forget(d))
        self.dialogs.append(dialog)
        dialog.open()

    def _forget(self, dialog: AlertDialog) -> None:
        if dialog in self.dialogs:
            self.dialogs.remove(dialog)


# --------------------------------------------------------------------------------------------------
# Sound


class AlertSound(QObject):
    """Alert sounds through QtMultimedia's ``QSoundEffect``, loaded on first use; system beep otherwise.

    :meth:`play` returns how the sound was made: ``"effect"`` or ``"beep"``. Why the effect was not used is
    logged once (QtMultimedia missing, no audio output, file missing, effect error).
    """

    def __init__(self, parent: QObject | None = None, sounds_dir: Path | None = None) -> None:
        super().__init__(parent)
        self._sounds_dir = sounds_dir
        self._effects: dict[str, QObject] | None = None
        self.fallback_reason: str | None = None

    def _load(self) -> dict[str, QObject]:
        effects: dict[str, QObject] = {}
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # Linux without libpulse0, or PySide6-Addons not installed
            self._fall_back(f"QtMultimedia unavailable ({exc})")
            return effects
        if not QMediaDevices.audioOutputs():
            self._fall_back("no audio output device")
            return effects
        folder = self._sounds_dir if self._sounds_dir is not None else resources_path("sounds")
        for level, name in SOUND_FILES.items():
            path = folder / name
            if not path.is_file():
                self._fall_back(f"sound file missing: {path}")
                continue
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            effect.setVolume(0.8 if level == "critical" else 0.6)
            effects[level] = effect
        return effects

    def _fall_back(self, reason: str) -> None:
        if self.fallback_reason is None:
            log.warning("alert sound: %s; using the system beep", reason)
        self.fallback_reason = reason

    def preload(self) -> None:
        """Import QtMultimedia and load the sounds now (~0.1 s) rather than on the first alert."""
        if self._effects is None:
            self._effects = self._load()

    def play(self, level: str) -> str:
        self.preload()
        effect = self._effects.get(level) or self._effects.get("warning")
        if effect is not None:
            from PySide6.QtMultimedia import QSoundEffect

            assert isinstance(effect, QSoundEffect)
            if effect.status() != QSoundEffect.Status.Error:
                effect.play()
                return "effect"
            self._fall_back(f"sound effect failed to load: {effect.source().toString()}")
        QApplication.beep()
        return "beep"


class RecordingSound:
    """A sound that records the levels it was asked to play instead of playing them: for tests, and for
    unattended runs (``--smoke``, ``--screenshot``) that must not beep."""

    def __init__(self) -> None:
        self.levels: list[str] = []

    def play(self, level: str) -> str:
        self.levels.append(level)
        return "recorded"


# --------------------------------------------------------------------------------------------------
# The notifier


class AlertNotifier(QObject):
    """Delivers alert events through the channel chain (see the module docstring).

    Signals: ``acknowledge_requested(key)`` and ``snooze_requested(key)`` when the user acts on a toast or
    dialog; ``delivered(event, channel_name)`` for every successful delivery; ``channel_failed(name,
    error)`` when a channel fails (the next one is used).
    """

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)
    delivered = Signal(object, str)
    channel_failed = Signal(str, str)

    def __init__(
        self,
        window: QWidget | None = None,
        *,
        sound_enabled: bool = True,
        critical_modal: bool = False,
        popup_channels: Sequence[Channel] | None = None,
        sound: AlertSound | RecordingSound | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.sound_enabled = sound_enabled
        self.critical_modal = critical_modal
        self.toast_area = ToastArea(window)
        self.toast_area.acknowledge_requested.connect(self.acknowledge_requested)
        self.toast_area.snooze_requested.connect(self.snooze_requested)
        self.toast_channel = ToastChannel(self.toast_area)
        if popup_channels is None:
            popup_channels = [TrayChannel(on_clicked=self._raise_window), self.toast_channel]
        self.popup_channels = list(popup_channels)
        self.modal_channel = ModalChannel(window, self.acknowledge_requested.emit)
        self.sound = sound if sound is not None else AlertSound(self)
        if sound_enabled and isinstance(self.sound, AlertSound):
            QTimer.singleShot(PRELOAD_DELAY_MS, self.sound, self.sound.preload)  # not on the first alert

    def set_options(self, *, sound_enabled: bool, critical_modal: bool) -> None:
        """Apply changed settings."""
        self.sound_enabled = sound_enabled
        self.critical_modal = critical_modal

    def notify(self, event: AlertEvent) -> list[str]:
        """Deliver ``event``; returns the names of what delivered it (e.g. ``["tray", "toast",
        "sound:beep"]``). Never raises for a failing channel."""
        used: list[str] = []
        if event.cleared:
            self.toast_area.ease(event)  # its toast is out of date now (a critical waits for its ack)
            return used
        if event.level == "info":
            used += self._try(self.toast_channel, event)
            return used
        for channel in self.popup_channels:
            if self._is_available(channel):
                done = self._try(channel, event)
                if done:
                    used += done
                    break
        if not used:
            used += self._try(self.toast_channel, event)  # the chain's end was skipped or failed
        if event.level == "critical" and "toast" not in used:
            used += self._try(self.toast_channel, event)  # OS popups are best effort: keep it in the app
        if event.level == "critical" and self.critical_modal:
            used += self._try(self.modal_channel, event)
        if self.sound_enabled:
            try:
                used.append(f"sound:{self.sound.play(event.level)}")
            except Exception as exc:  # a broken audio stack must not stop the alert
                log.exception("alert sound failed")
                self.channel_failed.emit("sound", str(exc))
        return used

    def remove_key(self, key: str) -> None:
        """Close the toasts of ``key`` (call after it was acknowledged elsewhere, e.g. in the log)."""
        self.toast_area.remove_key(key)

    def set_severity(self, level: str) -> None:
        """The worst alert level in force ("ok", "info", "warning", "critical"): the tray icon shows it."""
        for channel in self.popup_channels:
            if isinstance(channel, TrayChannel):
                channel.set_severity(level)

    def _is_available(self, channel: Channel) -> bool:
        try:
            return bool(channel.available())
        except Exception as exc:
            log.warning("alert channel %s: availability check failed: %s", channel.name, exc)
            self.channel_failed.emit(channel.name, str(exc))
            return False

    def _try(self, channel: Channel, event: AlertEvent) -> list[str]:
        try:
            channel.deliver(event)
        except Exception as exc:
            log.warning(
                "alert channel %s failed for %s: %s; trying the next one", channel.name, event.key, exc
            )
            self.channel_failed.emit(channel.name, str(exc))
            return []
        self.delivered.emit(event, channel.name)
        return [channel.name]

    def _raise_window(self) -> None:
        if self.window is not None:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()


__all__ = [
    "AlertDialog",
    "AlertNotifier",
    "AlertSound",
    "Channel",
    "DeliveryError",
    "ModalChannel",
    "RecordingSound",
    "Toast",
    "ToastArea",
    "ToastChannel",
    "TrayChannel",
]
