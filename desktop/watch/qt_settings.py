"""Settings > Always on: push channels (with "Send test" per channel), escalation, heartbeat, start at
login, keep running in the tray. A group box the settings dialog embeds.

Channel URLs and the heartbeat URL are typed into password fields and go to the keychain only when the
dialog is saved (:meth:`AlwaysOnBox.commit_secrets`); a saved channel shows "(in keychain)" and keeps
its URL unless a new one is typed. "Send test" runs apprise off the GUI thread and shows the outcome in
the channel's status cell.
"""

from __future__ import annotations

import secrets as token_source
import threading

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from desktop.secrets.store import SecretStore
from desktop.watch.channels import (
    channel_url,
    delete_channel_url,
    save_channel_url,
    save_heartbeat_url,
    send,
    url_problem,
)
from desktop.watch.config import MAX_RATE_PER_HOUR, AlwaysOnConfig, ChannelConfig
from desktop.watch.notify_test import TEST_TITLE, test_body
from risk.alerts import LEVELS

COLUMNS = (
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Name"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Apprise URL"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Min level"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Quiet from"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Quiet to"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Max/hour"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "Status"),
)
LEVEL_NAMES = (
    QT_TRANSLATE_NOOP("AlwaysOnBox", "info"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "warning"),
    QT_TRANSLATE_NOOP("AlwaysOnBox", "critical"),
)
"""The alert levels of risk.alerts.LEVELS, for lupdate (the combo shows them translated)."""
COLUMN_WIDTHS = (110, 170, 90, 82, 72, 75, 110)
IN_KEYCHAIN = QT_TRANSLATE_NOOP("AlwaysOnBox", "(in keychain: type to replace)")


class AlwaysOnBox(QGroupBox):
    """See the module docstring. ``changed`` when anything is edited (the dialog re-validates)."""

    changed = Signal()
    _tested = Signal(str, bool, str)  # channel id, ok, error: from the test thread

    def __init__(
        self, config: AlwaysOnConfig, parent: QWidget | None = None, secrets: SecretStore | None = None
    ):
        super().__init__(self.tr("Always on: push channels and keep running"), parent)
        self.setObjectName("alwaysOnBox")
        self._secrets = secrets
        self._ids: list[str] = []
        self._saved = {c.channel_id for c in config.channels}
        """Channels whose URL is in the keychain (those removed here are deleted there on save)."""
        self._tested.connect(self._show_test)
        form = QFormLayout(self)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumWidth(sum(COLUMN_WIDTHS) + 24)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(110)
        form.addRow(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add channel"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.test_button = QPushButton(self.tr("Send test"))
        for button in (self.add_button, self.remove_button, self.test_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form.addRow(buttons)
        hint = QLabel(
            self.tr(
                "Channels are apprise URLs: tgram://bottoken/chatid, ntfy://topic, discord://id/token, "
                "pover://user@token, mailto://..., json://host/path. URLs are kept in the system keychain."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("dimLabel")
        form.addRow(hint)
        self.add_button.clicked.connect(lambda: self.add_channel())
        self.remove_button.clicked.connect(self.remove_selected)
        self.test_button.clicked.connect(lambda: self.send_test(self.table.currentRow()))

        self.escalation_box = QDoubleSpinBox()
        self.escalation_box.setRange(0.1, 1440.0)
        self.escalation_box.setDecimals(1)
        self.escalation_box.setSuffix(self.tr(" min"))
        form.addRow(self.tr("Push a critical alert not acknowledged within"), self.escalation_box)
        self.heartbeat_box = QCheckBox(self.tr("Ping a heartbeat URL every minute (dead-man switch)"))
        self.heartbeat_url = QLineEdit()
        self.heartbeat_url.setEchoMode(QLineEdit.EchoMode.Password)
        self.heartbeat_url.setPlaceholderText("https://hc-ping.com/<uuid>")
        form.addRow(self.heartbeat_box, self.heartbeat_url)
        self.stop_box = QCheckBox(self.tr('Push "LiqGuard stopped monitoring" when it exits'))
        self.login_box = QCheckBox(self.tr("Start LiqGuard at login"))
        self.tray_box = QCheckBox(self.tr("Keep running in the tray when the window is closed"))
        for box in (self.stop_box, self.login_box, self.tray_box):
            form.addRow(box)
        self.escalation_box.valueChanged.connect(self.changed)
        self.heartbeat_box.toggled.connect(self.changed)
        self.heartbeat_url.textChanged.connect(self.changed)
        self.show_config(config)

    # ---- values -------------------------------------------------------------------------------
    def show_config(self, config: AlwaysOnConfig) -> None:
        self.table.setRowCount(0)
        self._ids = []
        for channel in config.channels:
            self.add_channel(channel)
        self.escalation_box.setValue(config.escalation_minutes)
        self.heartbeat_box.setChecked(config.heartbeat_enabled)
        self.heartbeat_url.setPlaceholderText(
            self.tr(IN_KEYCHAIN) if config.heartbeat_enabled else "https://hc-ping.com/<uuid>"
        )
        self.stop_box.setChecked(config.notify_stop)
        self.login_box.setChecked(config.start_at_login)
        self.tray_box.setChecked(config.keep_in_tray)
        self._base = config

    def add_channel(self, channel: ChannelConfig | None = None) -> int:
        """Add a row (a new channel when ``channel`` is None); returns its row."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        channel = channel or ChannelConfig(f"ch-{token_source.token_hex(3)}", self.tr("Phone"))
        self._ids.append(channel.channel_id)
        name = QLineEdit(channel.label)
        url = QLineEdit()
        url.setEchoMode(QLineEdit.EchoMode.Password)
        url.setPlaceholderText(
            self.tr(IN_KEYCHAIN) if channel.channel_id in self._saved else "ntfy://my-topic"
        )
        level = QComboBox()
        for item in LEVELS:
            level.addItem(self.tr(item), item)
        level.setCurrentIndex(LEVELS.index(channel.min_level))
        quiet_from, quiet_to = QLineEdit(channel.quiet_start), QLineEdit(channel.quiet_end)
        for box in (quiet_from, quiet_to):
            box.setPlaceholderText("HH:MM")
            box.setMaxLength(5)
        rate = QSpinBox()
        rate.setRange(1, MAX_RATE_PER_HOUR)
        rate.setValue(channel.rate_limit_per_hour)
        for column, widget in enumerate((name, url, level, quiet_from, quiet_to, rate)):
            self.table.setCellWidget(row, column, widget)
        self.table.setItem(row, 6, QTableWidgetItem(""))
        for edit in (name, url, quiet_from, quiet_to):
            edit.textChanged.connect(self.changed)
        level.currentIndexChanged.connect(self.changed)
        rate.valueChanged.connect(self.changed)
        self.table.setCurrentCell(row, 0)
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self._ids.pop(row)
        self.table.removeRow(row)
        self.changed.emit()

    def _cell(self, row: int, column: int) -> QWidget:
        widget = self.table.cellWidget(row, column)
        assert widget is not None
        return widget

    def typed_url(self, row: int) -> str:
        edit = self._cell(row, 1)
        assert isinstance(edit, QLineEdit)
        return edit.text().strip()

    def _channel(self, row: int) -> ChannelConfig:
        name, level, quiet_from, quiet_to, rate = (self._cell(row, c) for c in (0, 2, 3, 4, 5))
        assert isinstance(name, QLineEdit) and isinstance(level, QComboBox) and isinstance(rate, QSpinBox)
        assert isinstance(quiet_from, QLineEdit) and isinstance(quiet_to, QLineEdit)
        return ChannelConfig(
            self._ids[row],
            name.text().strip(),
            level.currentData(),
            quiet_from.text().strip(),
            quiet_to.text().strip(),
            rate.value(),
        )

    def config(self) -> AlwaysOnConfig:
        """The settings as entered (ValueError naming the problem)."""
        channels = []
        for row in range(self.table.rowCount()):
            channel = self._channel(row)
            if channel.channel_id not in self._saved and not self.typed_url(row):
                raise ValueError(f"channel '{channel.name}': enter its apprise URL")
            if self.typed_url(row):
                problem = url_problem(self.typed_url(row))
                if problem:
                    raise ValueError(f"channel '{channel.name}': {problem}")
            channels.append(channel)
        if self.heartbeat_box.isChecked() and not self._base.heartbeat_enabled:
            typed = self.heartbeat_url.text().strip()
            if not typed.lower().startswith(("https://", "http://")):
                raise ValueError("the heartbeat URL must start with https:// (or http://)")
        return AlwaysOnConfig(
            channels=tuple(channels),
            escalation_minutes=round(self.escalation_box.value(), 1),
            heartbeat_enabled=self.heartbeat_box.isChecked(),
            notify_stop=self.stop_box.isChecked(),
            gap_minutes=self._base.gap_minutes,
            start_at_login=self.login_box.isChecked(),
            keep_in_tray=self.tray_box.isChecked(),
        )

    def problem(self) -> str | None:
        try:
            self.config()
        except ValueError as exc:
            return str(exc)
        return None

    def commit_secrets(self) -> None:
        """Write typed URLs to the keychain and delete removed channels' (SecretStoreError, ValueError)."""
        store = self._secrets or SecretStore()
        for row in range(self.table.rowCount()):
            if self.typed_url(row):
                save_channel_url(store, self._ids[row], self.typed_url(row))
        for channel_id in self._saved - set(self._ids):
            delete_channel_url(store, channel_id)
        if self.heartbeat_box.isChecked() and self.heartbeat_url.text().strip():
            save_heartbeat_url(store, self.heartbeat_url.text())

    # ---- send test ----------------------------------------------------------------------------
    def send_test(self, row: int) -> threading.Thread | None:
        """Send a test message through the row's channel (typed URL, else the keychain's) off the GUI
        thread; the status cell shows the outcome."""
        if row < 0 or row >= self.table.rowCount():
            return None
        channel_id = self._ids[row]
        url = self.typed_url(row) or channel_url(self._secrets or SecretStore(), channel_id)
        status = self.table.item(row, 6)
        assert status is not None
        if not url:
            status.setText(self.tr("enter the URL first"))
            return None
        status.setText(self.tr("sending…"))

        def run() -> None:
            result = send(url, TEST_TITLE, test_body(), "info")
            self._tested.emit(channel_id, result.ok, result.error)

        thread = threading.Thread(target=run, name="liqguard-send-test", daemon=True)
        thread.start()
        return thread

    def _show_test(self, channel_id: str, ok: bool, error: str) -> None:
        if channel_id not in self._ids:
            return
        item = self.table.item(self._ids.index(channel_id), 6)
        if item is not None:
            item.setText(self.tr("delivered") if ok else self.tr("FAILED: %1").replace("%1", error))
            item.setToolTip(error)
            item.setForeground(Qt.GlobalColor.darkGreen if ok else Qt.GlobalColor.red)

    def status_text(self, row: int) -> str:
        item = self.table.item(row, 6)
        return item.text() if item is not None else ""
