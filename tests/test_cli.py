"""The command line behaves as the README says."""

import os
import subprocess
import sys

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
