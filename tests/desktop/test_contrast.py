"""Text in the positions table is readable in both themes: every cell of a normal, a tinted and the
selected row, and every header, has a contrast ratio of at least 4.5:1 (WCAG 2.x AA for normal text)
against its own background, measured on the rendered pixels."""

from __future__ import annotations

import dataclasses
import time
from collections import Counter

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from ui_fixtures import make_row, make_snapshot

from desktop.engine.snapshots import Severity
from desktop.ui.main_window import MainWindow
from desktop.ui.style import SEVERITY_COLORS, THEME_SEVERITY_COLORS
from desktop.ui.theme import apply_theme

MIN_CONTRAST = 4.5
"""WCAG 2.x success criterion 1.4.3 (contrast minimum, level AA) for text below 18 pt."""


def relative_luminance(color: QColor) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (0 black .. 1 white)."""

    def channel(value: int) -> float:
        c = value / 255.0
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_wcag_examples():
    # WCAG: black on white is 21:1; #777777 on white is 4.48:1 (the classic "just fails AA" grey).
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def text_contrast(image: QImage, rect: QRect) -> float | None:
    """Contrast of the text in ``rect``: the most common colour is the background, the pixel farthest
    from it in luminance is the text's colour (the core of a glyph); None when the cell is empty."""
    rect = rect.intersected(image.rect()).adjusted(1, 1, -1, -1)
    pixels = Counter(
        image.pixel(x, y)
        for x in range(rect.left(), rect.right() + 1)
        for y in range(rect.top(), rect.bottom() + 1)
    )
    if len(pixels) < 2:
        return None
    background = QColor.fromRgb(pixels.most_common(1)[0][0])
    return max(contrast(QColor.fromRgb(p), background) for p in pixels)


ROWS = (
    make_row("BTC/USDT:USDT", 0.03, Severity.CRITICAL),
    make_row("ETH/USDT:USDT", 0.08, Severity.WARNING, side="short"),
    make_row("SOL/USDT:USDT", 0.15, Severity.INFO),
    make_row("XRP/USDT:USDT", 0.40, Severity.OK, side="short"),
    dataclasses.replace(make_row("DOGE/USDT:USDT", 0.04, Severity.CRITICAL), unrealized_pnl=-1234.5),
)


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_table_text_and_headers_reach_4_5_to_1(qtbot, theme):
    app = QApplication.instance()
    window = MainWindow(demo=True)
    qtbot.addWidget(window)
    window.redraw_timer.stop()
    window.show()
    window.resize(1600, 900)  # after show: the offscreen screen (800 px) would shrink it
    apply_theme(app, theme)
    try:
        window.on_snapshot(make_snapshot(ROWS, wall_time=time.time()))
        window.redraw()
        table = window.positions_table
        table.selectRow(1)  # one selected row, the others normal or tinted by severity
        qtbot.wait(20)
        image = table.viewport().grab().toImage()
        header = table.horizontalHeader()
        header_image = header.viewport().grab().toImage()
        proxy = table.model()
        failures = []
        for row in range(proxy.rowCount()):
            for column in range(proxy.columnCount()):
                if header.isSectionHidden(column):
                    continue
                ratio = text_contrast(image, table.visualRect(proxy.index(row, column)))
                if ratio is not None and ratio < MIN_CONTRAST:
                    failures.append((theme, "row", row, proxy.index(row, column).data(), round(ratio, 2)))
        for section in range(header.count()):
            if header.isSectionHidden(section):
                continue
            rect = QRect(
                header.sectionViewportPosition(section), 0, header.sectionSize(section), header.height()
            )
            ratio = text_contrast(header_image, rect)
            assert ratio is not None, f"{theme}: header {section} renders no text"
            if ratio < MIN_CONTRAST:
                failures.append(
                    (theme, "header", section, proxy.headerData(section, header.orientation()), ratio)
                )
        assert not failures, failures
        assert THEME_SEVERITY_COLORS[theme] == SEVERITY_COLORS
    finally:
        apply_theme(app, "dark")
