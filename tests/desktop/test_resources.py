"""The app icon and the resource lookup work from source and in the frozen layout."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from PySide6.QtGui import QIcon, QImageReader, QPixmap

from desktop import resources
from desktop.resources import APP_ID, ICON_SIZES, app_icon, icon_path, resources_path, resources_root

REPO = Path(__file__).resolve().parents[2]


def test_source_checkout_uses_repository_resources():
    assert resources_root() == REPO / "resources"
    assert resources_path("icons", "liqguard.svg").is_file()


def test_frozen_layout_uses_meipass(tmp_path, monkeypatch):
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_root() == tmp_path / "resources"
    assert icon_path(32) == tmp_path / "resources" / "icons" / "liqguard-32.png"


def test_missing_resources_name_every_place_looked(tmp_path, monkeypatch):
    places = [tmp_path / "a", tmp_path / "b"]
    monkeypatch.setattr(resources, "_candidate_roots", lambda: places)
    with pytest.raises(FileNotFoundError, match="looked in") as info:
        resources_path("icons")
    assert str(places[0]) in str(info.value) and str(places[1]) in str(info.value)


def test_missing_resources_give_null_icon_not_a_crash(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "_candidate_roots", lambda: [tmp_path])
    assert app_icon().isNull()


def test_unshipped_icon_size_names_the_size():
    with pytest.raises(ValueError, match="17"):
        icon_path(17)


@pytest.mark.gui
@pytest.mark.parametrize("size", ICON_SIZES)
def test_every_png_loads_at_its_size(qapp, size):
    pixmap = QPixmap(str(icon_path(size)))
    assert not pixmap.isNull()
    assert (pixmap.width(), pixmap.height()) == (size, size)


@pytest.mark.gui
def test_svg_master_loads(qapp):
    pixmap = QIcon(str(icon_path())).pixmap(64, 64)
    assert not pixmap.isNull()


@pytest.mark.gui
def test_app_icon_has_all_sizes(qapp):
    icon = app_icon()
    assert not icon.isNull()
    assert {(s.width(), s.height()) for s in icon.availableSizes()} == {(s, s) for s in ICON_SIZES}


@pytest.mark.gui
def test_windows_ico_holds_every_size(qapp):
    reader = QImageReader(str(resources_path("icons", "liqguard.ico")))
    assert reader.canRead(), reader.errorString()
    widths = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        widths.append(reader.read().width())
    assert sorted(widths) == sorted(ICON_SIZES)


def test_macos_icns_holds_standard_and_retina_sizes():
    # Read with Pillow, not Qt: Qt 6.11's ICNS reader rejects the table of contents that Apple's
    # iconutil (and Pillow) write, and only macOS reads this file in the product.
    with Image.open(resources_path("icons", "liqguard.icns")) as icns:
        sizes = set(icns.info["sizes"])
        assert {(16, 16, 2), (32, 32, 2), (128, 128, 1), (256, 256, 1), (512, 512, 1)} <= sizes
        icns.size = (512, 512)
        icns.load(scale=2)
        assert icns.size == (1024, 1024)


@pytest.mark.gui
def test_create_qapp_sets_window_icon_and_desktop_id(qapp):
    from desktop.app import create_qapp

    app = create_qapp()
    assert not app.windowIcon().isNull()
    assert app.desktopFileName() == APP_ID


def test_committed_icons_match_the_svg(tmp_path):
    """Someone edited liqguard.svg without re-running installer/make_icons.py, or the reverse."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "installer" / "make_icons.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    for size in ICON_SIZES:
        fresh = Image.open(tmp_path / f"liqguard-{size}.png").convert("RGBA")
        committed = Image.open(icon_path(size)).convert("RGBA")
        diff = ImageChops.difference(fresh, committed).getextrema()
        # Allow antialiasing rounding between Qt builds; a changed drawing moves channels by far more.
        assert max(high for _low, high in diff) <= 8, f"liqguard-{size}.png is stale: run make_icons.py"
