"""Alert delivery: system tray message, in-app toast, optional modal for critical, and sound.

:class:`AlertNotifier` takes the :class:`risk.alerts.AlertEvent` objects the alert engine returns and
delivers each through a chain of channels (house-style §8, after qutebrowser's notification adapters):

1. :class:`TrayChannel` — ``QSystemTrayIcon.showMessage`` where ``isSystemTrayAvailable()`` and
   ``supportsMessages()`` (re-checked at every alert). Best effort: the OS may drop it silently.
2. :class:`ToastChannel` — an in-app toast (:class:`ToastArea`, an overlay at the top right of the main
   window). Always available: the last resort of the chain.
3. :class:`ModalChannel` — a non-blocking dialog (``QDialog.open()``) for critical alerts, when enabled.

Policy: a clear pops nothing (it is in the alerts log) but closes the alert's toast unless that one waits
for acknowledgement. "info" goes to a short toast, without sound. "warning" goes to the first popup
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

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from desktop.resources import resources_path
from desktop.ui.alert_text import alert_text
from risk.alerts import AlertEvent

log = logging.getLogger(__name__)

TOAST_TIMEOUT_MS: Mapping[str, int] = {"info": 6_000, "warning": 12_000}
"""How long a toast stays (ms) by level; critical toasts needing acknowledgement stay until acknowledged."""
MAX_TOASTS = 6
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


class Toast(QFrame):
    """One alert in the toast area: level, title, message, and Acknowledge / Snooze / Dismiss buttons."""

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)
    closed = Signal()

    def __init__(self, event: AlertEvent, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = event  # not 'event': that would shadow QObject.event()
        self.sticky = event.requires_ack
        self.setObjectName("toast")
        self.setProperty("level", event.level)  # QSS: QFrame#toast[level="critical"]
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(320)
        self.setMaximumWidth(420)

        title, message = alert_text(event)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("toastTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.message_label = QLabel(message)
        self.message_label.setObjectName("toastMessage")
        self.message_label.setWordWrap(True)
        if event.reasons:
            self.message_label.setToolTip("\n".join(event.reasons))

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.ack_button: QPushButton | None = None
        self.snooze_button: QPushButton | None = None
        if event.requires_ack:
            self.ack_button = QPushButton(self.tr("Acknowledge"))
            self.ack_button.clicked.connect(self._on_ack)
            buttons.addWidget(self.ack_button)
        if not event.cleared:
            self.snooze_button = QPushButton(self.tr("Snooze"))
            self.snooze_button.clicked.connect(self._on_snooze)
            buttons.addWidget(self.snooze_button)
        self.dismiss_button = QPushButton(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.dismiss_button.setVisible(not self.sticky)
        buttons.addWidget(self.dismiss_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.message_label)
        layout.addLayout(buttons)

        timeout = TOAST_TIMEOUT_MS.get(event.level, TOAST_TIMEOUT_MS["warning"])
        self._timer: QTimer | None = None
        if not self.sticky:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.timeout.connect(self.dismiss)
            self._timer.start(timeout)

    def _on_ack(self) -> None:
        self.acknowledge_requested.emit(self.alert.key)
        self.dismiss()

    def _on_snooze(self) -> None:
        self.snooze_requested.emit(self.alert.key)
        if not self.sticky:
            self.dismiss()

    def dismiss(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.hide()
        self.closed.emit()
        self.deleteLater()


class ToastArea(QWidget):
    """A column of :class:`Toast` widgets at the top right of ``parent`` (or a frameless top-level window
    when there is no parent). At most :data:`MAX_TOASTS`; the oldest non-sticky ones go first."""

    acknowledge_requested = Signal(str)
    snooze_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("toastArea")
        if parent is None:
            flags = (
                Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint
            )
            self.setWindowFlags(flags)
        else:
            parent.installEventFilter(self)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(8, 8, 8, 8)
        self._layout.setSpacing(6)
        self._toasts: list[Toast] = []
        self.hide()

    def toasts(self) -> list[Toast]:
        """The toasts showing now, oldest first."""
        return list(self._toasts)

    def show_toast(self, event: AlertEvent) -> Toast:
        # One toast per alert key: a newer event replaces an older one, except that a critical waiting for
        # acknowledgement stays (the newer one is shown beside it).
        for old in [t for t in self._toasts if t.alert.key == event.key and not t.sticky]:
            self._drop(old)
        toast = Toast(event, self)
        toast.acknowledge_requested.connect(self.acknowledge_requested)
        toast.acknowledge_requested.connect(self.remove_key)
        toast.snooze_requested.connect(self.snooze_requested)
        toast.closed.connect(lambda t=toast: self._forget(t))
        self._toasts.append(toast)
        self._layout.addWidget(toast)
        while len(self._toasts) > MAX_TOASTS:
            victims = [t for t in self._toasts if not t.sticky] or self._toasts
            self._drop(victims[0])
        self._relayout()
        self.show()
        self.raise_()
        return toast

    def remove_key(self, key: str, *, keep_sticky: bool = False) -> None:
        """Close every toast of alert ``key`` (e.g. it was acknowledged in the alerts log); with
        ``keep_sticky`` those waiting for acknowledgement stay."""
        for toast in [t for t in self._toasts if t.alert.key == key and not (keep_sticky and t.sticky)]:
            self._drop(toast)
        self._relayout()

    def _drop(self, toast: Toast) -> None:
        self._forget(toast)
        toast.dismiss()

    def _forget(self, toast: Toast) -> None:
        if toast in self._toasts:
            self._toasts.remove(toast)
            self._layout.removeWidget(toast)
        if not self._toasts:
            self.hide()
        else:
            self._relayout()

    def _relayout(self) -> None:
        self.adjustSize()
        parent = self.parentWidget()
        if parent is not None:
            self.move(max(0, parent.width() - self.width() - 12), 12)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
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


class TrayChannel:
    """System tray balloon / OS notification through ``QSystemTrayIcon``."""

    name = "tray"

    def __init__(self, icon: QIcon | None = None, on_clicked: Callable[[], None] | None = None) -> None:
        self._icon = icon
        self._on_clicked = on_clicked
        self._tray: QSystemTrayIcon | None = None

    def available(self) -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages()

    def deliver(self, event: AlertEvent) -> None:
        if self._tray is None:
            icon = self._icon
            if icon is None or icon.isNull():
                from desktop.resources import app_icon

                icon = app_icon()
            self._tray = QSystemTrayIcon(icon)
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
            self.toast_area.remove_key(event.key, keep_sticky=True)  # its toast is out of date now
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
