"""Start-up problems reach the window (issue #10): a damaged settings or accounts file shows a banner.

Runs the start-up path of ``run_accounts`` (settings, saved accounts, engine, window) without
``app.exec()``: quitting the shared QApplication inside the test session would stall later tests'
queued cross-thread signals.
"""

from __future__ import annotations

from desktop import app as app_module
from desktop.accounts import AccountsStore
from desktop.engine import Engine
from desktop.settings import config_path
from desktop.ui.problem_banner import ProblemBanner


def test_damaged_settings_and_accounts_files_show_in_the_window(qtbot, memory_keyring) -> None:
    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_bytes(b"\xff\xfe not utf-8")
    AccountsStore().path.write_bytes(b"[" * 100_000)
    config, problems = app_module._load_config()
    found = list(problems)
    engine = app_module._live_engine(config, found) or Engine([])
    window = app_module.build_main_window(engine, config=config, store=True, quiet=True, problems=found)
    qtbot.addWidget(window)
    banner = window.findChild(ProblemBanner)
    assert banner is not None and not banner.isHidden()
    text = banner.label.text()
    assert "settings file" in text and "UTF-8" in text
    assert "accounts file" in text and "nested" in text
    assert window.alert_center is not None and window.alert_center.store is not None
    window.alert_center.close()
    window.alert_center.store.close()
