"""The command line behaves as the README says."""

import os
import shutil
import subprocess
import sys

import pytest

from desktop import __version__
from desktop.__main__ import main


def test_version_prints_version(capsys):
    try:
        main(["--version"])
    except SystemExit as exc:
        assert exc.code == 0
    assert __version__ in capsys.readouterr().out


def test_smoke_builds_window_offscreen_and_exits_zero():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert '"platform": "offscreen"' in proc.stdout


def test_no_display_gives_message_and_exit_2():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "desktop"], capture_output=True, text=True, timeout=60, env=env
    )
    assert proc.returncode == 2
    assert "no display" in proc.stderr
    assert "Traceback" not in proc.stderr


def _png_stats(path):
    """Width, height and the number of distinct colours of a PNG, read with Qt (no extra dependency)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not a readable PNG"
    colours = set()
    step = 7
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            colours.add(image.pixel(x, y))
    return image.width(), image.height(), len(colours)


def _run_demo_screenshot(command_prefix, env, shot, after):
    proc = subprocess.run(
        [
            *command_prefix,
            sys.executable,
            "-m",
            "desktop",
            "--demo",
            "--screenshot",
            str(shot),
            "--after",
            after,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return _png_stats(shot)


def test_demo_screenshot_offscreen(tmp_path):
    # A 1366x768 screen (the offscreen platform's own is 800x800): the window opens within it.
    screen = tmp_path / "screen.json"
    screen.write_text(
        '{"screens": [{"name": "s", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, '
        '"logicalBaseDpi": 96, "dpr": 1}]}'
    )
    env = dict(
        os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}", XDG_CONFIG_HOME=str(tmp_path / "xdg")
    )
    width, height, colours = _run_demo_screenshot([], env, tmp_path / "demo.png", "3")
    assert 1000 <= width <= 1366 and 600 <= height <= 768
    assert colours >= 20


@pytest.mark.xvfb
def test_demo_screenshot_under_xvfb(tmp_path):
    """The real xcb platform (what a desktop user gets), under a virtual X server."""
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (apt-get install xvfb xauth); .ci/run installs it")
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "xdg")  # the window's layout is saved there, not in ~
    prefix = ["xvfb-run", "-a", "-s", "-screen 0 1920x1080x24"]
    width, height, colours = _run_demo_screenshot(prefix, env, tmp_path / "demo-xvfb.png", "4")
    assert (width, height) >= (1200, 700)
    assert colours >= 20  # a real rendered window: text, charts, coloured rows, not a flat fill


def test_app_without_accounts_opens_and_screenshots_offscreen(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "xdg"))
    env["LIQGUARD_CONFIG_DIR"] = str(tmp_path / "config")
    env["LIQGUARD_DATA_DIR"] = str(tmp_path / "data")
    shot = tmp_path / "empty.png"
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--screenshot", str(shot), "--after", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert shot.stat().st_size > 10_000
