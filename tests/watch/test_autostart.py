"""Start at login: the XDG autostart entry is written, validated by desktop-file-validate and removed;
the LaunchAgent plist and the Windows Run value are built from the same command."""

from __future__ import annotations

import plistlib
import shutil
import subprocess
import sys

import pytest

from desktop.watch import autostart


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def test_xdg_autostart_entry_is_written_validated_and_removed(xdg) -> None:
    command = [sys.executable, "-m", "desktop", "--flag=with space", "100%"]
    where = autostart.enable(command, platform="linux")
    path = xdg / "xdg" / "autostart" / "org.liqguard.LiqGuard.desktop"
    assert where == str(path) and path.exists()
    assert autostart.is_enabled("linux")
    text = path.read_text()
    # Desktop Entry spec: an argument with a reserved character is quoted; "%" is written "%%"
    assert f'Exec={sys.executable} -m desktop "--flag=with space" 100%%\n' in text
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt install desktop-file-utils)")
    result = subprocess.run([validator, str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr
    autostart.disable("linux")
    assert not path.exists() and not autostart.is_enabled("linux")
    autostart.disable("linux")  # removing twice is fine


def test_apply_follows_the_setting(xdg) -> None:
    autostart.apply(True, platform="linux")
    assert autostart.is_enabled("linux")
    text = (xdg / "xdg" / "autostart" / "org.liqguard.LiqGuard.desktop").read_text()
    assert "-m desktop" in text  # not frozen: this interpreter runs the package
    autostart.apply(False, platform="linux")
    assert not autostart.is_enabled("linux")


def test_macos_launch_agent_plist(xdg) -> None:
    command = ["/Applications/LiqGuard.app/Contents/MacOS/liqguard"]
    path = autostart.enable(command, platform="darwin")
    assert path.endswith("home/Library/LaunchAgents/org.liqguard.LiqGuard.plist")
    with open(path, "rb") as handle:
        agent = plistlib.load(handle)
    assert agent == {
        "Label": "org.liqguard.LiqGuard",
        "ProgramArguments": command,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
    }
    autostart.disable("darwin")
    assert not autostart.is_enabled("darwin")


def test_an_unwritable_folder_gives_a_clear_error(tmp_path, monkeypatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    with pytest.raises(autostart.AutostartError, match="cannot write the login entry"):
        autostart.enable(["liqguard"], platform="linux")
