"""Settings dialog (validation, save), themes and translations."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from desktop.settings import AppConfig, config_path, load_config
from desktop.ui import i18n, theme
from desktop.ui.alerts_dock import AlertsDock
from desktop.ui.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot):
    dlg = SettingsDialog(AppConfig())
    qtbot.addWidget(dlg)
    return dlg


def ok_button(dlg: SettingsDialog):
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_dialog_shows_the_config_in_percent(dialog):
    assert [b.value() for b in dialog.distance_boxes] == [20.0, 10.0, 5.0]
    assert [b.value() for b in dialog.margin_boxes] == [70.0, 80.0, 90.0]
    assert [b.value() for b in dialog.cascade_boxes] == [50.0, 70.0, 85.0]
    assert dialog.sound_box.isChecked() and dialog.snooze_box.value() == 15
    assert ok_button(dialog).isEnabled() and not dialog.error_label.isVisibleTo(dialog)


def test_edit_save_and_reload_in_a_fresh_object(dialog, qtbot):
    dialog.distance_boxes[0].setValue(25.0)
    dialog.margin_boxes[2].setValue(95.0)
    dialog.sound_box.setChecked(False)
    dialog.snooze_box.setValue(30)
    dialog.theme_box.setCurrentIndex(dialog.theme_box.findData("light"))
    dialog.language_box.setCurrentIndex(dialog.language_box.findData("zh_CN"))
    with qtbot.waitSignal(dialog.config_saved) as blocker:
        ok_button(dialog).click()
    saved = blocker.args[0]
    assert saved.distance_tiers == (0.25, 0.10, 0.05) and saved.margin_ratio_tiers == (0.70, 0.80, 0.95)
    assert (saved.sound_enabled, saved.snooze_minutes, saved.theme, saved.language) == (
        False,
        30,
        "light",
        "zh_CN",
    )
    assert config_path().exists()
    reloaded = load_config()
    assert reloaded.message is None and reloaded.config == saved


def test_out_of_order_tiers_disable_ok_with_a_message(dialog):
    dialog.distance_boxes[1].setValue(30.0)  # 20 %, 30 %, 5 %: not getting closer
    assert not ok_button(dialog).isEnabled()
    assert "closer to liquidation" in dialog.error_label.text()
    dialog.accept()  # even forced, nothing is written
    assert not config_path().exists()
    dialog.distance_boxes[1].setValue(10.0)
    assert ok_button(dialog).isEnabled() and dialog.error_label.text() == ""


def test_tiers_closer_than_the_hysteresis_are_refused(dialog):
    dialog.distance_boxes[1].setValue(5.5)  # 10 % → 5.5 %: 0.5 points from the 5 % tier, band is 1 point
    assert not ok_button(dialog).isEnabled()
    assert "too close" in dialog.error_label.text()


def test_margin_and_cascade_order(dialog):
    dialog.margin_boxes[0].setValue(85.0)
    assert "Margin-ratio" in dialog.error_label.text()
    dialog.margin_boxes[0].setValue(70.0)
    dialog.cascade_boxes[2].setValue(60.0)
    assert "Cascade-score" in dialog.error_label.text()


def test_restore_defaults(qtbot):
    dlg = SettingsDialog(AppConfig(distance_tiers=(0.4, 0.3, 0.2), theme="light"))
    qtbot.addWidget(dlg)
    dlg.restore_defaults()
    assert dlg.config() == AppConfig()


def test_save_failure_keeps_the_dialog_open(qtbot, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    dlg = SettingsDialog(AppConfig(), path=blocker / "config.json")  # parent is a file: cannot save
    qtbot.addWidget(dlg)
    dlg.open()
    dlg.accept()
    assert dlg.isVisible() and dlg.saved_config is None
    assert "could not be saved" in dlg.error_label.text()


# -- themes ---------------------------------------------------------------------------------------------


@pytest.fixture
def app_theme(qapp):
    yield qapp
    qapp.setStyleSheet("")
    qapp.setProperty(theme.THEME_PROPERTY, None)


@pytest.mark.parametrize("name", theme.THEMES)
def test_apply_theme(app_theme, name, qtbot):
    changes: list[str] = []
    theme.theme_events.theme_changed.connect(changes.append)
    try:
        theme.apply_theme(app_theme, name)
    finally:
        theme.theme_events.theme_changed.disconnect(changes.append)
    assert changes == [name] and theme.current_theme() == name
    assert "QFrame#toast" in app_theme.styleSheet()
    expected = {"dark": "#0d1117", "light": "#ffffff"}[name]
    assert app_theme.palette().color(app_theme.palette().ColorRole.Base).name() == expected
    assert theme.chart_colors()["background"] == expected


def test_both_themes_style_the_same_selectors():
    import re

    def selectors(name: str) -> set[str]:
        text = re.sub(r"/\*.*?\*/", "", theme.stylesheet(name), flags=re.S)
        return {s.strip() for s in re.findall(r"([^{}]+)\{", text)}

    assert selectors("dark") == selectors("light") and len(selectors("dark")) > 10


def test_unknown_theme_is_refused(app_theme):
    with pytest.raises(ValueError, match="theme"):
        theme.apply_theme(app_theme, "solarized")


# -- translations ---------------------------------------------------------------------------------------


@pytest.fixture
def english_after(qapp):
    yield qapp
    i18n.install_translator(qapp, "en")


@pytest.mark.parametrize(
    ("setting", "locale", "expected"),
    [
        ("system", "zh_CN", "zh_CN"),
        ("system", "zh_TW", "zh_CN"),
        ("system", "de_DE", "en"),
        ("system", "en_US", "en"),
        ("en", "zh_CN", "en"),
        ("zh_CN", "en_US", "zh_CN"),
    ],
)
def test_resolve_language(setting, locale, expected):
    assert i18n.resolve_language(setting, QLocale(locale)) == expected


def test_unknown_language_setting():
    with pytest.raises(ValueError, match="language"):
        i18n.resolve_language("fr")


def test_chinese_translation_applies_to_widgets(english_after, qtbot):
    assert i18n.install_translator(english_after, "zh_CN") == "zh_CN"
    dock = AlertsDock()
    qtbot.addWidget(dock)
    assert dock.windowTitle() == "警报"
    assert dock.model.headerData(0, Qt.Orientation.Horizontal) == "时间"
    assert dock.ack_button.text() == "确认"
    dlg = SettingsDialog(AppConfig())
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "LiqGuard 设置"


def test_english_removes_the_translation(english_after, qtbot):
    i18n.install_translator(english_after, "zh_CN")
    assert i18n.install_translator(english_after, "en") == "en"
    dock = AlertsDock()
    qtbot.addWidget(dock)
    assert dock.windowTitle() == "Alerts"


def test_missing_translation_file_falls_back_to_english(english_after, monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(i18n, "translation_file", lambda language: str(tmp_path / "missing.qm"))
    assert i18n.install_translator(english_after, "zh_CN") == "en"
    assert "using English" in caplog.text
    assert QApplication.translate("AlertsDock", "Alerts") == "Alerts"


def test_every_string_is_translated():
    from desktop.resources import resources_path

    ts = resources_path("i18n", "liqguard_zh_CN.ts").read_text(encoding="utf-8")
    assert 'type="unfinished"' not in ts
    assert resources_path("i18n", "liqguard_zh_CN.qm").stat().st_size > 1000
