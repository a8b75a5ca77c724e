"""The installer sources are well-formed and do what they say, without the minutes-long frozen build.

Each test runs the real tool where the machine has it (dpkg-deb, makensis, desktop-file-validate,
appstreamcli, shellcheck) and is skipped, with the package to install, where it does not. The full
PyInstaller build is in test_frozen.py (opt-in).
"""

from __future__ import annotations

import ast
import configparser
import os
import plistlib
import runpy
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop import __version__
from desktop.resources import APP_ID, ICON_SIZES

REPO = Path(__file__).resolve().parents[2]
INSTALLER = REPO / "installer"
SPEC = INSTALLER / "pyinstaller" / "liqguard.spec"
DESKTOP_FILE = INSTALLER / "linux" / f"{APP_ID}.desktop"
METAINFO = INSTALLER / "linux" / f"{APP_ID}.metainfo.xml"
SHELL_SCRIPTS = sorted(INSTALLER.rglob("*.sh"))


def needs(tool: str, package: str):
    return pytest.mark.skipif(
        shutil.which(tool) is None, reason=f"{tool} missing (apt-get install {package})"
    )


def run(cmd: list[str | Path], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120, **kwargs)


def script_entry_point() -> str:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    return pyproject["project"]["scripts"]["liqguard"]


# --- PyInstaller spec -------------------------------------------------------------------------------


def spec_calls() -> dict[str, list[ast.Call]]:
    calls: dict[str, list[ast.Call]] = {}
    for node in ast.walk(ast.parse(SPEC.read_text(), filename=str(SPEC))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            calls.setdefault(node.func.id, []).append(node)
    return calls


def keyword(call: ast.Call, name: str) -> ast.expr:
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    raise AssertionError(f"{ast.unparse(call)[:80]} has no {name}=")


def test_launcher_runs_the_console_script_entry_point():
    module, func = script_entry_point().split(":")
    tree = ast.parse((INSTALLER / "pyinstaller" / "launcher.py").read_text())
    imports = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [(i.module, [a.name for a in i.names]) for i in imports] == [(module, [func])]


def test_spec_builds_gui_and_console_exes_without_upx():
    calls = spec_calls()
    exes = {
        ast.literal_eval(keyword(c, "name")): ast.literal_eval(keyword(c, "console")) for c in calls["EXE"]
    }
    assert exes == {"liqguard": False, "liqguard-cli": True}
    (common,) = [c for c in calls["dict"] if any(k.arg == "upx" for k in c.keywords)]
    assert ast.literal_eval(keyword(common, "upx")) is False
    assert ast.literal_eval(keyword(common, "exclude_binaries")) is True  # onedir, not onefile
    (collect,) = calls["COLLECT"]
    assert ast.literal_eval(keyword(collect, "upx")) is False


def test_spec_excludes_pyqtgraph_extras_and_other_qt_bindings():
    (analysis,) = spec_calls()["Analysis"]
    excludes = keyword(analysis, "excludes")
    assert isinstance(excludes, ast.Name)  # the module-level list
    tree = ast.parse(SPEC.read_text())
    (assign,) = [
        n
        for n in tree.body
        if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == excludes.id for t in n.targets)
    ]
    names = set(ast.literal_eval(assign.value))
    assert {"pyqtgraph.opengl", "pyqtgraph.examples", "PyQt5", "PyQt6", "tkinter"} <= names


def test_spec_bundle_uses_app_id_and_files_that_exist():
    calls = spec_calls()
    (bundle,) = calls["BUNDLE"]
    assert ast.unparse(keyword(bundle, "bundle_identifier")) == "APP_ID"
    info = keyword(bundle, "info_plist")
    keys = {ast.literal_eval(k) for k in info.keys}  # type: ignore[attr-defined]
    assert {"NSHighResolutionCapable", "LSMinimumSystemVersion", "NSRequiresAquaSystemAppearance"} <= keys
    for name in ("launcher.py", "rthook_liqguard.py"):
        assert (INSTALLER / "pyinstaller" / name).is_file()
    assert (INSTALLER / "macos" / "entitlements.plist").is_file()


def test_runtime_hook_replaces_missing_console_streams(monkeypatch):
    # Windowed Windows builds start with sys.stdout/sys.stderr set to None.
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.delenv("PYQTGRAPH_QT_LIB", raising=False)
    runpy.run_path(str(INSTALLER / "pyinstaller" / "rthook_liqguard.py"))
    try:
        assert sys.stdout is not None and sys.stderr is not None
        print("goes to the null device", file=sys.stderr)
        assert os.environ["PYQTGRAPH_QT_LIB"] == "PySide6"
    finally:
        sys.stdout.close()
        sys.stderr.close()


def test_entitlements_are_the_single_jit_entry():
    entitlements = plistlib.loads((INSTALLER / "macos" / "entitlements.plist").read_bytes())
    assert entitlements == {"com.apple.security.cs.allow-unsigned-executable-memory": True}


# --- Linux desktop integration --------------------------------------------------------------------


def test_desktop_file_launches_the_installed_command_with_the_app_icon():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive in .desktop files
    parser.read(DESKTOP_FILE)
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "liqguard"  # the /usr/bin symlink the .deb installs
    assert entry["Icon"] == APP_ID
    assert "Finance" in entry["Categories"].split(";")


@needs("desktop-file-validate", "desktop-file-utils")
def test_desktop_file_validates():
    proc = run(["desktop-file-validate", DESKTOP_FILE])
    assert proc.returncode == 0 and not proc.stdout.strip(), proc.stdout + proc.stderr


def test_metainfo_names_the_desktop_file_and_current_release():
    root = ET.parse(METAINFO).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    versions = [r.get("version") for r in root.iter("release")]
    assert __version__ in versions, f"add a <release version={__version__!r}> to {METAINFO.name}"


@needs("appstreamcli", "appstream")
def test_metainfo_validates():
    proc = run(["appstreamcli", "validate", "--no-net", METAINFO])
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --- scripts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("script", SHELL_SCRIPTS, ids=lambda p: p.name)
def test_shell_script_parses_and_is_executable(script):
    assert os.access(script, os.X_OK), f"chmod +x {script}"
    proc = run(["bash", "-n", script])
    assert proc.returncode == 0, proc.stderr


@needs("shellcheck", "shellcheck")
def test_shell_scripts_pass_shellcheck():
    proc = run(["shellcheck", *SHELL_SCRIPTS])
    assert proc.returncode == 0, proc.stdout


@pytest.mark.skipif(sys.platform == "darwin", reason="on macOS the script really builds")
def test_make_dmg_refuses_other_systems_with_a_message():
    proc = run([INSTALLER / "macos" / "make_dmg.sh"])
    assert proc.returncode == 1
    assert "needs macOS" in proc.stderr


def fake_onedir(root: Path, report: str) -> Path:
    """A stand-in onedir whose liqguard-cli prints `report` (with $QT_QPA_PLATFORM substituted)."""
    onedir = root / "liqguard"
    (onedir / "_internal").mkdir(parents=True)
    cli = onedir / "liqguard-cli"
    cli.write_text(f"#!/bin/sh\necho '{report}' | sed \"s/PLATFORM/$QT_QPA_PLATFORM/\"\n")
    cli.chmod(0o755)
    # A real ELF, so build_deb.sh has glibc symbol versions to read.
    shutil.copy2("/bin/true", onedir / "liqguard")
    return onedir


@pytest.mark.parametrize(
    ("report", "ok", "message"),
    [
        ('{"platform": "PLATFORM", "window_icon": true}', True, ""),
        ('{"platform": "minimal", "window_icon": true}', False, "expected platform offscreen"),
        ('{"platform": "PLATFORM", "window_icon": false}', False, "no window icon"),
    ],
)
def test_smoke_script_checks_platform_and_icon(tmp_path, report, ok, message):
    onedir = fake_onedir(tmp_path, report)
    env = dict(os.environ, LIQGUARD_SMOKE_XVFB="0")
    proc = run([INSTALLER / "smoke.sh", onedir], env=env)
    assert (proc.returncode == 0) is ok, proc.stdout + proc.stderr
    assert message in proc.stderr


@needs("dpkg-deb", "dpkg")
def test_deb_layout_control_and_tarball(tmp_path):
    onedir = fake_onedir(tmp_path / "dist", '{"platform": "PLATFORM"}')
    out = tmp_path / "out"
    env = dict(os.environ, ONEDIR=str(onedir), OUT_DIR=str(out))
    proc = run([INSTALLER / "linux" / "build_deb.sh"], env=env)
    assert proc.returncode == 0, proc.stderr
    (deb,) = out.glob(f"liqguard_{__version__}_*.deb")
    (tarball,) = out.glob(f"liqguard-{__version__}-linux-*.tar.gz")

    control = run(["dpkg-deb", "--field", deb]).stdout
    fields = dict(line.split(": ", 1) for line in control.splitlines() if ": " in line)
    assert fields["Package"] == "liqguard" and fields["Version"] == __version__
    depends = fields["Depends"].split(", ")
    assert {"libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxkbcommon-x11-0", "libegl1"} <= set(
        depends
    )
    if shutil.which("objdump"):  # the glibc floor comes from the payload's symbol versions
        assert depends[0].startswith("libc6 (>= 2."), depends[0]

    contents = run(["dpkg-deb", "--contents", deb]).stdout
    expected = [
        "./usr/bin/liqguard -> /opt/liqguard/liqguard",
        "./opt/liqguard/liqguard-cli",
        f"./usr/share/applications/{APP_ID}.desktop",
        f"./usr/share/metainfo/{APP_ID}.metainfo.xml",
        f"./usr/share/icons/hicolor/scalable/apps/{APP_ID}.svg",
        *(f"./usr/share/icons/hicolor/{s}x{s}/apps/{APP_ID}.png" for s in ICON_SIZES),
    ]
    for path in expected:
        assert path in contents, path
    assert "root/root" in contents.splitlines()[0]  # --root-owner-group

    listing = run(["tar", "-tzf", tarball]).stdout.splitlines()
    assert f"liqguard-{__version__}/liqguard-cli" in listing
    assert f"liqguard-{__version__}/share/applications/{APP_ID}.desktop" in listing


@needs("makensis", "nsis")
def test_nsis_script_compiles_against_a_dummy_payload(tmp_path):
    payload = tmp_path / "payload"
    (payload / "_internal" / "resources").mkdir(parents=True)
    (payload / "_internal" / "resources" / "marker.txt").write_text("bundled")
    for exe in ("liqguard.exe", "liqguard-cli.exe"):
        (payload / exe).write_bytes(b"MZ")
    setup = tmp_path / f"LiqGuard-{__version__}-setup.exe"
    proc = run(
        [
            "makensis",
            "-WX",  # a warning is an error: the script must compile clean
            "-V2",
            "-INPUTCHARSET",
            "UTF8",
            f"-DVERSION={__version__}",
            f"-DSRCDIR={payload}",
            f"-DOUTFILE={setup}",
            INSTALLER / "windows" / "liqguard.nsi",
        ]
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = setup.read_bytes()
    assert data[:2] == b"MZ" and b"NullsoftInst" in data
    if shutil.which("7z"):  # 7-Zip opens NSIS installers: the whole onedir and the uninstaller are in
        listing = run(["7z", "l", "-ba", setup]).stdout
        names = {line.split()[-1].replace("\\", "/") for line in listing.splitlines() if line.strip()}
        assert {
            "liqguard.exe",
            "liqguard-cli.exe",
            "_internal/resources/marker.txt",
            "uninstall.exe",
        } <= names
