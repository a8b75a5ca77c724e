"""The account wizard with real widgets (pytest-qt, offscreen), the in-memory keyring and a local venue.

"Test connection" runs the real audit and reader through the real HTTP stack against 127.0.0.1.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import keyring
import keyring.backends.fail
import pytest

from desktop.accounts import AccountConfig, AccountsStore
from desktop.exchanges.factory import build_exchange
from desktop.secrets import SERVICE, SecretStore
from desktop.ui.account_wizard import AccountWizard
from tests.exchanges.local_server import LocalVenue, local_venue, serve_bybit_account
from tests.exchanges.replay import swap_market

KEY, SECRET = "wizard-key-123456", "wizard-secret-abcdef"
READ_ONLY = {
    "retCode": 0, "retMsg": "",
    "result": {"readOnly": 1, "apiKey": KEY, "permissions": {"ContractTrade": [], "Wallet": []},
               "ips": ["1.2.3.4"], "expiredAt": "2099-01-01T00:00:00Z"},
}  # fmt: skip
WITHDRAW = {
    **READ_ONLY,
    "result": {**READ_ONLY["result"], "readOnly": 0, "permissions": {"Wallet": ["Withdraw"]}},
}


@pytest.fixture
def venue() -> Iterator[LocalVenue]:
    with local_venue() as server:
        serve_bybit_account(server, positions_delay=0.3)
        server.routes["/v5/user/query-api"] = (200, READ_ONLY, 0.0)
        yield server


def connector_for(server: LocalVenue):
    def connect(venue: str, credentials: Mapping[str, str]) -> Any:
        assert venue == "bybit" and credentials == {"apiKey": KEY, "secret": SECRET}
        ex = build_exchange(venue, credentials, timeout_ms=2000,
                            options={"enableUnifiedAccount": True, "enableUnifiedMargin": False})  # fmt: skip
        ex.urls["api"] = {key: server.base for key in ex.urls["api"]}
        ex.set_markets([swap_market("LTCUSDT", "LTC", "USDT", "USDT")])
        return ex

    return connect


def fill_bybit(wizard: AccountWizard) -> None:
    wizard.venue_box.setCurrentIndex(wizard.venue_box.findData("bybit"))
    wizard.label_edit.setText("Main Bybit")
    wizard.field_edits["apiKey"].setText(KEY)
    wizard.field_edits["secret"].setText(SECRET)


def test_connection_is_tested_off_the_gui_thread_then_saved(qtbot, venue, memory_keyring) -> None:
    store = AccountsStore()
    wizard = AccountWizard(store=store, secrets=SecretStore(), connector=connector_for(venue))
    qtbot.addWidget(wizard)
    wizard.show()
    fill_bybit(wizard)
    assert not wizard.field_edits["password"].isVisible()  # Bybit has no passphrase
    assert not wizard.save_button.isEnabled()  # nothing tested yet
    qtbot.mouseClick(wizard.test_button, qtbot_button())
    # the click returned while the venue (0.3 s delay) has not answered: the progress indicator shows
    assert wizard.progress.isVisible() and not wizard.test_button.isEnabled()
    qtbot.waitUntil(lambda: wizard.result_of_probe is not None, timeout=10_000)
    assert not wizard.progress.isVisible()
    assert "Read-only key" in wizard.audit_label.text()
    assert wizard.positions_table.rowCount() == 1
    assert wizard.positions_table.item(0, 0).text() == "LTC/USDT:USDT"
    assert "1 open position found" in wizard.status_label.text()
    assert "Refreshed every 5 s (1 account" in wizard.status_label.text()
    with qtbot.waitSignal(wizard.account_saved) as saved:
        qtbot.mouseClick(wizard.save_button, qtbot_button())
    assert saved.args == ["bybit:main-bybit"]
    (config,) = store.load()
    assert (config.venue, config.label) == ("bybit", "Main Bybit")
    assert memory_keyring.store[(SERVICE, "bybit:main-bybit:secret")] == SECRET
    assert SECRET not in store.path.read_text() and KEY not in store.path.read_text()


def test_withdrawal_key_cannot_be_saved(qtbot, venue) -> None:
    venue.routes["/v5/user/query-api"] = (200, WITHDRAW, 0.0)
    wizard = AccountWizard(store=AccountsStore(), secrets=SecretStore(), connector=connector_for(venue))
    qtbot.addWidget(wizard)
    fill_bybit(wizard)
    wizard.start_test()
    qtbot.waitUntil(lambda: wizard.result_of_probe is not None, timeout=10_000)
    assert "can withdraw" in wizard.audit_label.text() and "will not be saved" in wizard.audit_label.text()
    assert not wizard.save_button.isEnabled()
    wizard.save()
    assert AccountsStore().load() == []


def test_revoked_key_shows_the_error_and_blocks_saving(qtbot, venue) -> None:
    revoked = {"retCode": 10003, "retMsg": "API key is invalid."}
    for path in ("/v5/position/list", "/v5/account/wallet-balance", "/v5/user/query-api"):
        venue.routes[path] = (200, revoked, 0.0)
    wizard = AccountWizard(store=AccountsStore(), secrets=SecretStore(), connector=connector_for(venue))
    qtbot.addWidget(wizard)
    fill_bybit(wizard)
    wizard.start_test()
    qtbot.waitUntil(lambda: wizard.result_of_probe is not None, timeout=10_000)
    assert "Connection failed" in wizard.status_label.text()
    assert "AuthenticationError" in wizard.status_label.text() and SECRET not in wizard.status_label.text()
    assert not wizard.save_button.isEnabled()


def test_missing_fields_and_bad_address_are_explained(qtbot) -> None:
    wizard = AccountWizard(store=AccountsStore(), secrets=SecretStore())
    qtbot.addWidget(wizard)
    wizard.venue_box.setCurrentIndex(wizard.venue_box.findData("okx"))
    wizard.start_test()
    assert wizard.status_label.text() == "Please enter: API key, API secret, Passphrase."
    wizard.venue_box.setCurrentIndex(wizard.venue_box.findData("hyperliquid"))
    assert not wizard.field_edits["apiKey"].isVisibleTo(wizard)
    wizard.field_edits["walletAddress"].setText("0x1234")
    wizard.start_test()
    assert "40 hexadecimal" in wizard.status_label.text()
    assert wizard.result_of_probe is None  # nothing was sent


def test_no_keychain_offers_session_only_use(qtbot, venue) -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    secrets = SecretStore()
    store = AccountsStore()
    wizard = AccountWizard(store=store, secrets=secrets, connector=connector_for(venue))
    qtbot.addWidget(wizard)
    wizard.show()
    assert "No secure credential store" in wizard.keychain_label.text()
    assert wizard.session_only_box.isVisible()
    fill_bybit(wizard)
    wizard.start_test()
    qtbot.waitUntil(lambda: wizard.result_of_probe is not None, timeout=10_000)
    wizard.save()  # without the session-only choice the key cannot be stored
    assert "session only" in wizard.status_label.text() and store.load() == []
    wizard.session_only_box.setChecked(True)
    wizard.save()
    (config,) = store.load()
    assert secrets.session_only and secrets.get(config.account_id, "secret") == SECRET


def test_edit_keeps_stored_secrets_and_remove_deletes_them(qtbot, venue, memory_keyring) -> None:
    secrets = SecretStore()
    store = AccountsStore()
    config = store.add(AccountConfig("bybit:main", "bybit", "Main"))
    secrets.set_many("bybit:main", {"apiKey": KEY, "secret": SECRET})
    wizard = AccountWizard(store=store, secrets=secrets, existing=config, connector=connector_for(venue))
    qtbot.addWidget(wizard)
    assert not wizard.venue_box.isEnabled() and wizard.remove_button.isVisibleTo(wizard)
    assert wizard.entered_credentials() == {"apiKey": KEY, "secret": SECRET}  # empty fields: stored ones
    wizard.label_edit.setText("Renamed")
    wizard.start_test()
    qtbot.waitUntil(lambda: wizard.result_of_probe is not None, timeout=10_000)
    wizard.save()
    assert store.load()[0].label == "Renamed"
    again = AccountWizard(store=store, secrets=secrets, existing=store.load()[0])
    qtbot.addWidget(again)
    again.remove()
    assert store.load() != []  # first click only arms
    with qtbot.waitSignal(again.account_removed):
        again.remove()
    assert store.load() == [] and memory_keyring.store == {}


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_main_window_menu_opens_the_wizard(qtbot) -> None:
    from desktop.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.add_account_action.trigger()
    wizards = window.findChildren(AccountWizard)
    assert len(wizards) == 1 and wizards[0].isVisible()
    wizards[0].reject()


def test_accounts_dialog_lists_edits_and_removes(qtbot, venue, memory_keyring) -> None:
    from desktop.ui.account_wizard import AccountsDialog

    secrets = SecretStore()
    store = AccountsStore()
    store.add(AccountConfig("bybit:main", "bybit", "Main"))
    secrets.set_many("bybit:main", {"apiKey": KEY, "secret": SECRET})
    dialog = AccountsDialog(store=store, secrets=secrets, connector=connector_for(venue))
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 1
    assert [dialog.table.item(0, c).text() for c in range(3)] == ["Main", "Bybit", "5 s"]
    dialog.edit_selected()
    wizard = dialog.wizard
    assert wizard is not None and wizard.existing is not None and wizard.existing.account_id == "bybit:main"
    with qtbot.waitSignal(dialog.accounts_changed):
        wizard.remove()
        wizard.remove()
    assert dialog.table.rowCount() == 0 and not dialog.edit_button.isEnabled()
    assert memory_keyring.store == {}


def test_main_window_manage_accounts_passes_removals_on(qtbot, memory_keyring) -> None:
    from desktop.ui.account_wizard import AccountsDialog
    from desktop.ui.main_window import MainWindow

    AccountsStore().add(AccountConfig("okx:main", "okx", "Main"))
    SecretStore().set_many("okx:main", {"apiKey": KEY, "secret": SECRET, "password": "pass-1234"})
    window = MainWindow()
    qtbot.addWidget(window)
    window.manage_accounts_action.trigger()
    (dialog,) = window.findChildren(AccountsDialog)
    dialog.edit_selected()
    with qtbot.waitSignal(window.account_removed) as removed:
        dialog.wizard.remove()
        dialog.wizard.remove()
    assert removed.args == ["okx:main"] and memory_keyring.store == {}
    dialog.reject()
