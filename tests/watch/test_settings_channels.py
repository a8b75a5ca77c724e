"""Settings > Always on: add a channel, Send test through apprise to a local receiver, save (URL to
the keychain, never to config.json), a failing test shown, a bad URL refused in words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from desktop.settings import AppConfig, config_path, load_config
from desktop.ui.settings_dialog import SettingsDialog
from tests.watch.receiver import Receiver


@pytest.fixture
def dialog(qtbot):
    dlg = SettingsDialog(AppConfig())
    qtbot.addWidget(dlg)
    return dlg


def _type_url(dlg: SettingsDialog, row: int, url: str) -> None:
    edit = dlg.always_on_box.table.cellWidget(row, 1)
    assert isinstance(edit, QLineEdit)
    edit.setText(url)


def test_send_test_delivers_and_save_keeps_the_url_in_the_keychain(qtbot, dialog, memory_keyring) -> None:
    box = dialog.always_on_box
    with Receiver() as rx:
        row = box.add_channel()
        _type_url(dialog, row, rx.url)
        box.send_test(row)
        qtbot.waitUntil(lambda: box.status_text(row) == "delivered", timeout=15_000)
        (post,) = rx.received()
    assert post["title"] == "LiqGuard test message" and post["type"] == "info"
    box.escalation_box.setValue(3.0)
    box.login_box.setChecked(False)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled(), dialog.error_label.text()
    ok.click()
    saved = load_config().config.always_on
    assert len(saved.channels) == 1 and saved.escalation_minutes == 3.0
    channel_id = saved.channels[0].channel_id
    assert memory_keyring.store[("io.liqguard.LiqGuard", f"push:{channel_id}:url")] == rx.url
    assert rx.url not in config_path().read_text()  # the settings file holds the id, not the URL


def test_a_failing_channel_test_shows_the_reason(qtbot, dialog) -> None:
    box = dialog.always_on_box
    with Receiver(status=500) as rx:
        row = box.add_channel()
        _type_url(dialog, row, rx.url)
        box.send_test(row)
        qtbot.waitUntil(lambda: box.status_text(row).startswith("FAILED: "), timeout=15_000)
    assert "500" in box.status_text(row) or "error" in box.status_text(row).lower()


def test_a_channel_url_apprise_cannot_use_disables_ok_with_a_message(dialog) -> None:
    row = dialog.always_on_box.add_channel()
    assert "enter its apprise URL" in dialog.error_label.text()
    _type_url(dialog, row, "nosuch://token-xyz")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "apprise does not understand this nosuch:// URL" in dialog.error_label.text()
    assert "token-xyz" not in dialog.error_label.text()


def test_removing_a_saved_channel_deletes_its_url(qtbot, memory_keyring) -> None:
    from desktop.secrets.store import SecretStore
    from desktop.watch.channels import save_channel_url
    from desktop.watch.config import AlwaysOnConfig, ChannelConfig

    save_channel_url(SecretStore(), "tg", "ntfy://my-private-topic")
    dlg = SettingsDialog(AppConfig(always_on=AlwaysOnConfig(channels=(ChannelConfig("tg", "Telegram"),))))
    qtbot.addWidget(dlg)
    dlg.always_on_box.table.setCurrentCell(0, 0)
    dlg.always_on_box.remove_selected()
    dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert ("io.liqguard.LiqGuard", "push:tg:url") not in memory_keyring.store
    assert load_config().config.always_on.channels == ()
