"""Start LiqGuard at login: written and removed by the app (Settings > Always on > Start at login).

* Linux (and other XDG desktops): ``$XDG_CONFIG_HOME/autostart/org.liqguard.LiqGuard.desktop``
  (XDG Autostart spec; default ``~/.config``), a Desktop Entry validated by ``desktop-file-validate``.
* macOS: ``~/Library/LaunchAgents/org.liqguard.LiqGuard.plist`` with ``RunAtLoad`` (launchd loads it at
  the next login).
* Windows: the value ``LiqGuard`` under ``HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

The command is the running program: the frozen executable, or ``python -m desktop``. No Qt here.
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP_ID = "org.liqguard.LiqGuard"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "LiqGuard"


class AutostartError(RuntimeError):
    """Writing or removing the login entry failed; the message says where and why."""


def launch_command() -> list[str]:
    """How to start this LiqGuard again: the frozen app, or this interpreter with ``-m desktop``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desktop"]


def _exec_quote(argument: str) -> str:
    """One argument of a Desktop Entry ``Exec`` key (quoting rules of the Desktop Entry spec 1.5)."""
    escaped = argument.replace("%", "%%")
    if not any(c in escaped for c in " \t\n\"'\\><~|&;$*?#()`="):
        return escaped
    for char in ("\\", '"', "`", "$"):
        escaped = escaped.replace(char, "\\" + char)
    return f'"{escaped}"'


def desktop_entry(command: Sequence[str]) -> str:
    """The XDG autostart Desktop Entry that runs ``command``."""
    exec_line = " ".join(_exec_quote(arg) for arg in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.0\n"
        "Name=LiqGuard\n"
        "Comment=Liquidation-risk monitor for leveraged crypto derivatives (read-only)\n"
        f"Exec={exec_line}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def launch_agent(command: Sequence[str]) -> bytes:
    """The launchd LaunchAgent plist that runs ``command`` at login."""
    return plistlib.dumps(
        {"Label": APP_ID, "ProgramArguments": list(command), "RunAtLoad": True, "ProcessType": "Interactive"}
    )


def autostart_path(platform: str = sys.platform, env: Mapping[str, str] | None = None) -> Path | None:
    """Where the entry lives on ``platform`` (None on Windows: the registry)."""
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home())
    if platform.startswith("win"):
        return None
    if platform == "darwin":
        return home / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    config_home = env.get("XDG_CONFIG_HOME") or str(home / ".config")
    return Path(config_home) / "autostart" / f"{APP_ID}.desktop"


def enable(command: Sequence[str] | None = None, platform: str = sys.platform) -> str:
    """Write the login entry; returns where (a path or the registry key)."""
    command = list(command or launch_command())
    path = autostart_path(platform)
    if path is None:
        return _windows_set(subprocess.list2cmdline(command))
    content = launch_agent(command) if platform == "darwin" else desktop_entry(command).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError as exc:
        raise AutostartError(f"cannot write the login entry {path}: {exc.strerror or exc}") from None
    return str(path)


def disable(platform: str = sys.platform) -> None:
    """Remove the login entry (absent is fine)."""
    path = autostart_path(platform)
    if path is None:
        _windows_delete()
        return
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise AutostartError(f"cannot remove the login entry {path}: {exc.strerror or exc}") from None


def is_enabled(platform: str = sys.platform) -> bool:
    path = autostart_path(platform)
    if path is None:
        return _windows_get() is not None
    return path.exists()


def apply(wanted: bool, platform: str = sys.platform) -> None:
    """Make the login entry match the setting."""
    if wanted:
        enable(platform=platform)
    else:
        disable(platform)


# ---- Windows registry (HKCU Run) -------------------------------------------------------------------


def _windows_set(value: str) -> str:
    import winreg  # type: ignore[import-not-found]

    try:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)
    except OSError as exc:
        raise AutostartError(f"cannot write HKCU\\{RUN_KEY}\\{RUN_VALUE}: {exc}") from None
    return f"HKCU\\{RUN_KEY}\\{RUN_VALUE}"


def _windows_get() -> str | None:
    import winreg  # type: ignore[import-not-found]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
            return str(winreg.QueryValueEx(key, RUN_VALUE)[0])
    except OSError:
        return None


def _windows_delete() -> None:
    import winreg  # type: ignore[import-not-found]

    try:
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            winreg.DeleteValue(key, RUN_VALUE)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AutostartError(f"cannot remove HKCU\\{RUN_KEY}\\{RUN_VALUE}: {exc}") from None
