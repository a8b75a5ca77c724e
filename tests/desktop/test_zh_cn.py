"""Simplified Chinese is complete: the .ts has every string of the code, each one finished, and the demo
window built in zh_CN shows no English word in its labels, buttons, menus, actions, headers, dock titles,
chart titles, axis labels, table cells or status bar."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyqtgraph as pg
import pytest
from demo_window import demo_window
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMenu,
    QToolBar,
    QWidget,
)

from desktop.exchanges.demo_market import SCENARIOS
from desktop.ui.i18n import install_translator
from desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "liqguard_zh_CN.ts"

ALLOWED_WORDS = frozenset(
    {
        "LiqGuard",  # the product's name
        "English",  # the language menu names each language in itself
        "ccxt",
        "API",  # API 密钥 is the usual Chinese term
        "UTC",
        *("USDT", "USDC", "USD", "BTC", "ETH", "SOL"),
        *("Binance", "Hyperliquid", "OKX", "Bybit", "Gate", "Bitget", "USD-M", "COIN-M"),
    }
)
"""Proper names, tickers and units that stay in Latin letters in a Chinese UI."""
SYMBOL = re.compile(r"\b[A-Z0-9]+/[A-Z0-9]+(?::[A-Z0-9]+)?(?:-\d+)?\b")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def _ts_messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    messages = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            messages[(name, message.findtext("source", ""))] = message.find("translation")
    return messages


def test_ts_has_every_string_and_each_is_finished(tmp_path):
    lupdate = shutil.which("pyside6-lupdate") or shutil.which(
        "pyside6-lupdate", path=str(Path(sys.executable).parent)
    )
    assert lupdate, "pyside6-lupdate not found"
    fresh = tmp_path / "fresh.ts"
    sources = sorted(str(p) for p in (ROOT / "desktop").rglob("*.py"))
    subprocess.run([lupdate, *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(_ts_messages(fresh))
    committed = _ts_messages(TS)
    missing = sorted(in_code - set(committed))
    assert not missing, (
        f"{len(missing)} string(s) not in {TS.name}: run `uv run python installer/update_translations.py` "
        f"and translate them: {missing[:10]}"
    )
    problems = [
        (key, translation.get("type") or "empty")
        for key, translation in committed.items()
        if translation is None or translation.get("type") or not _translated(translation)
    ]
    assert not problems, f"{len(problems)} message(s) unfinished, obsolete or empty: {problems[:10]}"
    assert TS.with_suffix(".qm").stat().st_mtime_ns >= 0  # the compiled file is committed beside it


def _translated(translation: ET.Element) -> bool:
    """A translation has text, or (a plural message) every numerus form has text."""
    forms = translation.findall("numerusform")
    texts = [form.text for form in forms] if forms else [translation.text]
    return all((text or "").strip() for text in texts)


def _plain(text: str) -> str:
    text = re.sub(r"<[^>]*>", " ", text)
    return text.replace("&nbsp;", " ").replace("&amp;", "&")


def _english_left(text: str, data: tuple[str, ...]) -> list[str]:
    """Latin words of ``text`` that are not names, tickers, symbols or data."""
    text = _plain(text)
    for piece in data:
        text = text.replace(piece, " ")
    text = SYMBOL.sub(" ", text)
    for scenario in SCENARIOS:
        text = text.replace(scenario, " ")
    return [w for w in ENGLISH_WORD.findall(text) if w not in ALLOWED_WORDS and f"{w}" not in "".join(data)]


def _actions(actions: list[QAction], where: str) -> Iterator[tuple[str, str]]:
    for action in actions:
        if action.isSeparator():
            continue
        yield where, action.text()
        menu = action.menu()
        if isinstance(menu, QMenu):
            yield from _actions(menu.actions(), f"{where} > {action.text()}")


def visible_texts(window: MainWindow) -> Iterator[tuple[str, str]]:
    """(where, text) for every text the window shows or offers in a menu."""
    yield "window title", window.windowTitle()
    yield from _actions(window.menuBar().actions(), "menu")
    yield from _actions(window.column_menu.actions(), "column menu")
    for toolbar in window.findChildren(QToolBar):
        yield from _actions(toolbar.actions(), f"toolbar {toolbar.windowTitle()}")
        yield "toolbar title", toolbar.windowTitle()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        name = f"{type(widget).__name__} {widget.objectName()}".strip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield name, widget.text()
        elif isinstance(widget, QDockWidget):
            yield name, widget.windowTitle()
        elif isinstance(widget, QComboBox):
            yield name, widget.currentText()
        elif isinstance(widget, QHeaderView):
            model = widget.model()
            for section in range(widget.count()):
                if not widget.isSectionHidden(section):
                    yield f"{name} header", str(model.headerData(section, widget.orientation()) or "")
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(min(model.rowCount(), 20)):
                for column in range(model.columnCount()):
                    yield f"{name} cell", str(model.index(row, column).data() or "")
        elif isinstance(widget, pg.GraphicsLayoutWidget):
            yield from _chart_texts(widget, name)


def _chart_texts(chart: pg.GraphicsLayoutWidget, name: str) -> Iterator[tuple[str, str]]:
    for item in chart.scene().items():
        if isinstance(item, pg.PlotItem):
            yield f"{name} title", item.titleLabel.text
            for side in ("left", "bottom", "right", "top"):
                axis = item.getAxis(side)
                if axis.isVisible() and axis.labelText:
                    yield f"{name} axis", axis.labelText + " " + (axis.labelUnits or "")
        elif isinstance(item, pg.TextItem) and item.isVisible():
            yield f"{name} text", item.toPlainText()
        elif isinstance(item, pg.InfLineLabel) and item.isVisible():
            yield f"{name} line label", item.toPlainText()


@pytest.fixture
def chinese():
    app = QApplication.instance()
    assert install_translator(app, "zh_CN") == "zh_CN"
    yield
    install_translator(app, "en")


def test_demo_window_in_chinese_shows_no_english(chinese, qtbot):
    with demo_window(qtbot) as window:
        # Longer words must not widen the window past a 1366 px screen (docks would be pushed into tabs);
        # measured with the cascade dock on the right, where a screen that wide keeps it.
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, window.cascade_dock)
        window.cascade_dock.show()
        QApplication.processEvents()
        # The demo clock runs on: draw the latest snapshot and read its data with no event processed
        # in between, so the reasons shown are the reasons excluded below.
        window.redraw()
        snapshot = window.snapshot
        assert snapshot is not None
        # Data, not UI text: the user's account names and the explanations written by risk/ (stop and
        # cascade reasons are English sentences built from numbers in the pure library).
        data = [account.label for account in snapshot.accounts]
        for account in snapshot.accounts:
            for row in account.rows:
                data += list(row.stop.reasons) if row.stop else []
        for series in snapshot.markets.values():
            data += list(series.cascade.reasons) if series.cascade else []
            data += list(series.cascade.missing) if series.cascade else []
        data_tuple = tuple(sorted(set(data), key=len, reverse=True))
        assert window.minimumSizeHint().width() <= 1366
        texts = list(visible_texts(window))
        assert len(texts) > 100
        english = [(where, text) for where, text in texts if _english_left(text, data_tuple)]
        assert not english, "untranslated in zh_CN:\n" + "\n".join(f"{w}: {t!r}" for w, t in english[:40])


def test_account_dialogs_in_chinese_show_no_english(chinese, qtbot):
    from PySide6.QtWidgets import QGroupBox, QTableWidget

    from desktop.accounts import AccountsStore
    from desktop.secrets.store import SecretStore
    from desktop.ui.account_wizard import AccountsDialog, AccountWizard

    store, secrets = AccountsStore(), SecretStore()
    wizard = AccountWizard(store=store, secrets=secrets)
    dialog = AccountsDialog(store=store, secrets=secrets)
    for widget in (wizard, dialog):
        qtbot.addWidget(widget)
    texts = [("wizard title", wizard.windowTitle()), ("dialog title", dialog.windowTitle())]
    for root in (wizard, dialog):
        for child in root.findChildren(QWidget):
            # The keychain line is written by desktop/secrets (no Qt) and names the keyring backend.
            if child is getattr(root, "keychain_label", None) or isinstance(child, QComboBox):
                continue
            if isinstance(child, (QLabel, QAbstractButton)):
                texts.append((type(child).__name__, child.text()))
            elif isinstance(child, QGroupBox):
                texts.append(("group", child.title()))
            elif isinstance(child, QTableWidget):
                for column in range(child.columnCount()):
                    texts.append(("table header", child.horizontalHeaderItem(column).text()))
    wizard.status_label.setText(wizard.validation_error() or "")
    texts.append(("validation", wizard.status_label.text()))
    english = [(where, text) for where, text in texts if _english_left(text, ())]
    assert not english, english
