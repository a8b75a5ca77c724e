"""The frozen app starts: PyInstaller build of installer/pyinstaller/liqguard.spec, then --smoke.

Opt-in (it takes a minute or more and needs the `build` dependency group):

    LIQGUARD_FROZEN_TEST=1 uv run --group build pytest -m frozen

Set LIQGUARD_FROZEN_DIST=/path/to/dist/liqguard to test an existing onedir instead of building one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop import __version__

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.frozen,
    pytest.mark.skipif(
        os.environ.get("LIQGUARD_FROZEN_TEST") != "1", reason="opt-in: set LIQGUARD_FROZEN_TEST=1"
    ),
]

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""


@pytest.fixture(scope="module")
def onedir(tmp_path_factory) -> Path:
    existing = os.environ.get("LIQGUARD_FROZEN_DIST")
    if existing:
        return Path(existing)
    if shutil.which("pyinstaller") is None:
        pytest.fail("pyinstaller not installed: run with `uv run --group build pytest -m frozen`")
    work = tmp_path_factory.mktemp("pyinstaller")
    proc = subprocess.run(
        [
            "pyinstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(REPO / "installer" / "pyinstaller" / "liqguard.spec"),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return work / "dist" / "liqguard"


def smoke(onedir: Path, platform: str, wrapper: list[str] | None = None) -> dict:
    cli = onedir / f"liqguard-cli{EXE_SUFFIX}"
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    proc = subprocess.run(
        [*(wrapper or []), str(cli), "--smoke"], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_frozen_layout(onedir):
    assert (onedir / f"liqguard{EXE_SUFFIX}").is_file()
    assert (onedir / f"liqguard-cli{EXE_SUFFIX}").is_file()
    icons = onedir / "_internal" / "resources" / "icons"
    assert (icons / "liqguard-256.png").is_file() and (icons / "liqguard.svg").is_file()
    assert not (onedir / "_internal" / "pyqtgraph" / "opengl").exists()


def source_modules(package: str) -> set[str]:
    modules = set()
    for path in (REPO / package).rglob("*.py"):
        parts = path.relative_to(REPO).with_suffix("").parts
        modules.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_frozen_bundles_every_app_module(onedir):
    # Lazily imported modules (sub-commands, QtMultimedia sound) and namespace packages (no
    # __init__.py) are invisible to PyInstaller's import analysis; the spec lists them from disk.
    from PyInstaller.archive.readers import CArchiveReader

    archive = CArchiveReader(str(onedir / f"liqguard-cli{EXE_SUFFIX}"))
    bundled = set(archive.open_embedded_archive("PYZ.pyz").toc)
    missing = (source_modules("desktop") | source_modules("risk")) - bundled
    assert not missing, sorted(missing)


def test_frozen_version(onedir):
    proc = subprocess.run(
        [str(onedir / f"liqguard-cli{EXE_SUFFIX}"), "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"liqguard {__version__}"


def test_frozen_smoke_offscreen(onedir):
    info = smoke(onedir, "offscreen")
    assert info["platform"] == "offscreen"
    assert info["version"] == __version__
    assert info["window_icon"] is True  # resources were bundled and found through sys._MEIPASS


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run missing (apt-get install xvfb xauth)")
def test_frozen_smoke_on_a_real_x_server(onedir):
    # Loads the bundled libqxcb and the system's xcb libraries, which offscreen never touches.
    info = smoke(onedir, "xcb", wrapper=["xvfb-run", "-a"])
    assert info["platform"] == "xcb"
    assert info["window_icon"] is True


def test_frozen_app_finds_the_same_keyring_backend_as_from_source(onedir):
    # keyring discovers backends through entry-point metadata, which freezing can lose (house-style
    # 10.4: keyrings.alt vanished from a frozen app). Same machine, same answer expected.
    frozen = smoke(onedir, "offscreen")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run(
        [sys.executable, "-m", "desktop", "--smoke"], capture_output=True, text=True, timeout=120, env=env
    )
    assert proc.returncode == 0, proc.stderr
    source = json.loads(proc.stdout.strip().splitlines()[-1])
    if "keyring_backend" not in source:
        pytest.skip("--smoke does not report keyring_backend")
    assert frozen["keyring_backend"] == source["keyring_backend"]
