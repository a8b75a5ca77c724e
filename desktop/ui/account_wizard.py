"""Account wizard: add, test, edit and remove an exchange account.

``AccountWizard(parent=..., store=..., secrets=...)`` is a ``QDialog``; open it non-modally from a menu
with ``wizard.open()``. ``AccountWizard(existing=config)`` edits a saved account (venue fixed; empty secret
fields keep the stored secrets) and offers "Remove", which also deletes the account's secrets. Signals:
``account_saved(str)`` and ``account_removed(str)`` with the account id. ``AccountsDialog`` lists the
saved accounts and opens the wizard to add, edit or remove one.

"Test connection" runs on a worker thread with its own asyncio loop (the GUI thread never waits on the
network): it audits the key's permissions and reads the account once, then shows the verdict and the
positions found. A key that can withdraw cannot be saved.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.accounts import AccountConfig, AccountsStore, make_account_id, public_fields, secret_fields
from desktop.exchanges.adapters import ADAPTERS, adapter_for
from desktop.exchanges.audit import KeyAudit, audit_key
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.feeds import describe
from desktop.exchanges.reader import AccountReader, AccountSnapshot
from desktop.exchanges.scheduler import describe_interval, refresh_interval
from desktop.secrets.redact import redact, register_secret
from desktop.secrets.store import SecretStore, SecretStoreError

Connector = Callable[[str, Mapping[str, str]], Any]
"""(venue, credentials) -> a configured ccxt async exchange; the probe closes it."""

FIELD_LABELS = {
    "apiKey": QT_TRANSLATE_NOOP("AccountWizard", "API key"),
    "secret": QT_TRANSLATE_NOOP("AccountWizard", "API secret"),
    "password": QT_TRANSLATE_NOOP("AccountWizard", "Passphrase"),
    "walletAddress": QT_TRANSLATE_NOOP("AccountWizard", "Wallet address"),
}
"""English labels of the credential fields (translated for display in context "AccountWizard")."""
_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What "Test connection" found; ``error`` is a safe message when the connection failed."""

    audit: KeyAudit | None = None
    snapshot: AccountSnapshot | None = None
    error: str | None = None


async def probe(
    venue: str, credentials: Mapping[str, str], connector: Connector | None = None
) -> ProbeResult:
    """Audit the key and read the account once; always closes the exchange; never raises."""
    try:
        exchange = (connector or (lambda v, c: build_exchange(v, c)))(venue, credentials)
    except Exception as error:  # bad configuration: shown in the dialog
        return ProbeResult(error=describe(error))
    try:
        audit = await audit_key(exchange)
        snapshot = await AccountReader(exchange, read_market=False).read()
        failed = [
            s for s in snapshot.feeds.values() if s.name in ("positions", "balance") and s.state != "ok"
        ]
        error = "; ".join(f"{s.name}: {s.message}" for s in failed) or None
        return ProbeResult(audit=audit, snapshot=snapshot, error=error)
    except Exception as error:  # belt and braces: the reader and the audit do not raise for venue errors
        return ProbeResult(error=describe(error))
    finally:
        await exchange.close()


class _ProbeRelay(QObject):
    """Lives in the GUI thread; the worker emits ``done`` and Qt queues it to the GUI thread."""

    done = Signal(object)


class AccountWizard(QDialog):
    """Add or edit one exchange account (see the module docstring)."""

    account_saved = Signal(str)
    account_removed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        store: AccountsStore | None = None,
        secrets: SecretStore | None = None,
        existing: AccountConfig | None = None,
        connector: Connector | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store or AccountsStore()
        self.secrets = secrets or SecretStore()
        self.existing = existing
        self.connector = connector
        self.result_of_probe: ProbeResult | None = None
        self._relay = _ProbeRelay(self)
        self._relay.done.connect(self._probe_finished)
        self._worker: threading.Thread | None = None
        self._remove_armed = False
        self.setWindowTitle(self.tr("Edit account") if existing else self.tr("Add exchange account"))
        self.setMinimumWidth(560)
        self._build()
        self._venue_changed()

    # --- layout -----------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.venue_box = QComboBox()
        for venue_id, adapter in ADAPTERS.items():
            self.venue_box.addItem(adapter.label, venue_id)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText(self.tr("e.g. Main account"))
        form.addRow(self.tr("Exchange"), self.venue_box)
        form.addRow(self.tr("Name"), self.label_edit)
        self.field_edits: dict[str, QLineEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        for name, text in FIELD_LABELS.items():
            edit = QLineEdit()
            if name in ("secret", "password"):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            label = QLabel(QCoreApplication.translate("AccountWizard", text))
            form.addRow(label, edit)
            self.field_edits[name] = edit
            self.field_labels[name] = label
        layout.addLayout(form)

        self.keychain_label = QLabel(self.secrets.describe())
        self.keychain_label.setWordWrap(True)
        self.session_only_box = QCheckBox(
            self.tr("Use the secrets for this session only (nothing is written)")
        )
        self.session_only_box.setVisible(not self.secrets.available)
        layout.addWidget(self.keychain_label)
        layout.addWidget(self.session_only_box)

        test_row = QHBoxLayout()
        self.test_button = QPushButton(self.tr("Test connection"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setVisible(False)
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.progress, 1)
        layout.addLayout(test_row)

        self.status_label = QLabel("")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)

        audit_group = QGroupBox(self.tr("Key permissions"))
        audit_layout = QVBoxLayout(audit_group)
        self.audit_label = QLabel(self.tr("Not checked yet."))
        self.audit_label.setWordWrap(True)
        audit_layout.addWidget(self.audit_label)
        layout.addWidget(audit_group)

        self.positions_table = QTableWidget(0, 6)
        self.positions_table.setHorizontalHeaderLabels(
            [
                self.tr("Symbol"),
                self.tr("Side"),
                self.tr("Contracts"),
                self.tr("Entry"),
                self.tr("Mark"),
                self.tr("Venue liq. price"),
            ]
        )
        self.positions_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(QLabel(self.tr("Positions found")))
        layout.addWidget(self.positions_table)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.remove_button = self.buttons.addButton(
            self.tr("Remove account"), QDialogButtonBox.ButtonRole.DestructiveRole
        )
        self.remove_button.setVisible(self.existing is not None)
        layout.addWidget(self.buttons)

        self.venue_box.currentIndexChanged.connect(self._venue_changed)
        self.test_button.clicked.connect(self.start_test)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        self.buttons.rejected.connect(self.reject)

        if self.existing is not None:
            self.venue_box.setCurrentIndex(self.venue_box.findData(self.existing.venue))
            self.venue_box.setEnabled(False)
            self.label_edit.setText(self.existing.label)
            for name, value in self.existing.public.items():
                self.field_edits[name].setText(value)
            for name in secret_fields(self.existing.venue):
                self.field_edits[name].setPlaceholderText(self.tr("unchanged (kept in the keychain)"))

    # --- state ------------------------------------------------------------------------------------
    @property
    def venue(self) -> str:
        return str(self.venue_box.currentData())

    def _venue_changed(self) -> None:
        wanted = set(adapter_for(self.venue).credentials)
        for name, edit in self.field_edits.items():
            edit.setVisible(name in wanted)
            self.field_labels[name].setVisible(name in wanted)
        self.result_of_probe = None
        self._update_save_state()

    def entered_credentials(self) -> dict[str, str]:
        """Credentials from the form; in edit mode, empty secret fields mean "the stored one"."""
        values = {}
        for name in adapter_for(self.venue).credentials:
            text = self.field_edits[name].text().strip()
            if not text and self.existing is not None and name in secret_fields(self.venue):
                text = self.secrets.get(self.existing.account_id, name) or ""
            if text:
                if name != "walletAddress":
                    register_secret(text)
                values[name] = text
        return values

    def validation_error(self) -> str | None:
        """What is missing or malformed in the form, or None."""
        creds = self.entered_credentials()
        missing = [
            QCoreApplication.translate("AccountWizard", FIELD_LABELS[n])
            for n in adapter_for(self.venue).credentials
            if n not in creds
        ]
        if missing:
            return self.tr("Please enter: {0}.").format(", ".join(missing))
        address = creds.get("walletAddress")
        if address is not None and not _ADDRESS.match(address):
            return self.tr(
                "The wallet address must be 0x followed by 40 hexadecimal characters (the main account's)."
            )
        return None

    def _update_save_state(self) -> None:
        probe_result = self.result_of_probe
        refused = (
            probe_result is not None and probe_result.audit is not None and not probe_result.audit.accepted
        )
        tested = probe_result is not None and probe_result.error is None
        self.save_button.setEnabled(tested and not refused)

    # --- test connection --------------------------------------------------------------------------
    def start_test(self) -> None:
        problem = self.validation_error()
        if problem:
            self.status_label.setText(problem)
            return
        if self._worker is not None and self._worker.is_alive():
            return
        venue, credentials, connector = self.venue, self.entered_credentials(), self.connector
        self.test_button.setEnabled(False)
        self.progress.setVisible(True)
        self.status_label.setText(self.tr("Connecting to {0}…").format(adapter_for(venue).label))
        relay = self._relay

        def work() -> None:
            result = asyncio.run(probe(venue, credentials, connector))
            relay.done.emit(result)

        self._worker = threading.Thread(target=work, name="account-wizard-probe", daemon=True)
        self._worker.start()

    def _probe_finished(self, result: ProbeResult) -> None:
        self.result_of_probe = result
        self.progress.setVisible(False)
        self.test_button.setEnabled(True)
        self._show_audit(result.audit)
        self._show_positions(result.snapshot)
        if result.error:
            self.status_label.setText(redact(self.tr("Connection failed: {0}").format(result.error)))
        else:
            count = len(result.snapshot.positions) if result.snapshot else 0
            same_venue = sum(1 for c in self.store.load() if c.venue == self.venue)
            accounts = same_venue if self.existing is not None else same_venue + 1
            found = (
                self.tr("Connected: 1 open position found.")
                if count == 1
                else self.tr("Connected: {0} open positions found.").format(count)
            )
            self.status_label.setText(f"{found} {describe_interval(self.venue, max(1, accounts))}")
        self._update_save_state()

    def _show_audit(self, audit: KeyAudit | None) -> None:
        if audit is None:
            self.audit_label.setText(self.tr("Not checked."))
            return
        lines = [audit.message]
        if audit.expires_at is not None:
            import time

            left = audit.days_to_expiry(time.time()) or 0.0
            lines.append(self.tr("Key expires in {0} days.").format(f"{left:.0f}"))
            alert = audit.expiry_alert(time.time())
            if alert:
                lines.append(alert)
        lines += [f"{n}. {step}" for n, step in enumerate(audit.steps, 1)]
        if not audit.accepted:
            lines.append(self.tr("This key will not be saved."))
        self.audit_label.setText("\n".join(lines))

    def _show_positions(self, snapshot: AccountSnapshot | None) -> None:
        records = snapshot.positions if snapshot else ()
        self.positions_table.setRowCount(len(records))
        for row, record in enumerate(records):
            p = record.position
            liq = "none" if p.venue_liquidation_price is None else f"{p.venue_liquidation_price:,.6g}"
            cells = [
                p.instrument.symbol,
                p.side,
                f"{p.contracts:g}",
                f"{p.entry_price:,.6g}",
                f"{p.mark_price:,.6g}",
                liq,
            ]
            for column, text in enumerate(cells):
                self.positions_table.setItem(row, column, QTableWidgetItem(text))

    # --- save / remove ----------------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        if not self.secrets.available and self.session_only_box.isChecked():
            self.secrets.use_session_only()
        credentials = self.entered_credentials()
        label = self.label_edit.text().strip() or adapter_for(self.venue).label
        public = {k: v for k, v in credentials.items() if k in public_fields(self.venue)}
        if self.existing is not None:
            config = AccountConfig(
                self.existing.account_id, self.venue, label, public, self.existing.created_at
            )
        else:
            config = AccountConfig(
                make_account_id(self.venue, label, self.store.ids()), self.venue, label, public
            )
        try:
            self.secrets.set_many(
                config.account_id, {k: v for k, v in credentials.items() if k in secret_fields(self.venue)}
            )
        except SecretStoreError as error:
            self.status_label.setText(
                self.tr("{0}. Tick “session only” to use the key without storing it.").format(error)
            )
            self.session_only_box.setVisible(True)
            return
        try:
            if self.existing is not None:
                self.store.update(config)
            else:
                config = self.store.add(config)
        except (OSError, ValueError) as error:
            self.status_label.setText(self.tr("The account could not be saved: {0}").format(error))
            return
        self.account_saved.emit(config.account_id)
        self.accept()

    def remove(self) -> None:
        """First click arms, second click removes the account and deletes its secrets."""
        if self.existing is None:
            return
        if not self._remove_armed:
            self._remove_armed = True
            self.remove_button.setText(self.tr("Click again to remove (deletes the stored key)"))
            return
        try:
            self.store.remove(self.existing.account_id, self.secrets)
        except (OSError, SecretStoreError) as error:
            self.status_label.setText(self.tr("The account could not be removed: {0}").format(error))
            return
        self.account_removed.emit(self.existing.account_id)
        self.accept()


class AccountsDialog(QDialog):
    """The saved accounts with Add / Edit / Remove; each opens an :class:`AccountWizard`.

    Open non-modally from a menu (``dialog.open()``); ``accounts_changed`` fires after any change, and
    the wizard's ``account_saved``/``account_removed`` are passed on.
    """

    accounts_changed = Signal()
    account_saved = Signal(str)
    account_removed = Signal(str)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        store: AccountsStore | None = None,
        secrets: SecretStore | None = None,
        connector: Connector | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store or AccountsStore()
        self.secrets = secrets or SecretStore()
        self.connector = connector
        self.setWindowTitle(self.tr("Exchange accounts"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Exchange"), self.tr("Refresh")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        layout.addWidget(self.table)
        self.problem_label = QLabel("")
        self.problem_label.setWordWrap(True)
        layout.addWidget(self.problem_label)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add…"))
        self.edit_button = QPushButton(self.tr("Edit / remove…"))
        close_button = QPushButton(self.tr("Close"))
        for button in (self.add_button, self.edit_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close_button)
        layout.addLayout(row)
        self.add_button.clicked.connect(lambda: self.open_wizard(None))
        self.edit_button.clicked.connect(self.edit_selected)
        close_button.clicked.connect(self.accept)
        self.wizard: AccountWizard | None = None
        self.refresh()

    def refresh(self) -> None:
        self.configs = self.store.load()
        self.problem_label.setText(self.store.problem or "")
        counts: dict[str, int] = {}
        for config in self.configs:
            counts[config.venue] = counts.get(config.venue, 0) + 1
        self.table.setRowCount(len(self.configs))
        for index, config in enumerate(self.configs):
            cells = [
                config.label,
                adapter_for(config.venue).label,
                f"{refresh_interval(config.venue, counts[config.venue]):g} s",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.edit_button.setEnabled(bool(self.configs))
        if self.configs and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def edit_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.configs):
            self.open_wizard(self.configs[row])

    def open_wizard(self, existing: AccountConfig | None) -> AccountWizard:
        wizard = AccountWizard(
            self, store=self.store, secrets=self.secrets, existing=existing, connector=self.connector
        )
        wizard.account_saved.connect(self._changed)
        wizard.account_removed.connect(self._changed)
        wizard.account_saved.connect(self.account_saved.emit)
        wizard.account_removed.connect(self.account_removed.emit)
        self.wizard = wizard
        wizard.open()
        return wizard

    def _changed(self, _account_id: str) -> None:
        self.refresh()
        self.accounts_changed.emit()
