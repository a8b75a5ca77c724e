#!/usr/bin/env bash
# Build LiqGuard's installer for the OS this runs on.
#
#   installer/build.sh            # Linux: .deb + .tar.gz; macOS: .app + .dmg; Windows (Git Bash): setup .exe
#
# Steps: freeze with PyInstaller (installer/pyinstaller/liqguard.spec, onedir), run the frozen
# `liqguard-cli --smoke` (a frozen app that cannot start must not be packaged), then package.
# PyInstaller cannot cross-compile: each OS's installer is built on that OS.
#
# Environment: DIST_DIR (default dist), WORK_DIR (default build/pyinstaller); the per-OS scripts read
# CODESIGN_IDENTITY, NOTARY_PROFILE, ... (see installer/macos/make_dmg.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST_DIR="${DIST_DIR:-$ROOT/dist}"
WORK_DIR="${WORK_DIR:-$ROOT/build/pyinstaller}"
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)"

case "$(uname -s)" in
    Linux) os=linux; cli="$DIST_DIR/liqguard/liqguard-cli" ;;
    Darwin) os=macos; cli="$DIST_DIR/liqguard/liqguard-cli" ;;
    MINGW* | MSYS* | CYGWIN*) os=windows; cli="$DIST_DIR/liqguard/liqguard-cli.exe" ;;
    *) echo "build.sh: unsupported OS $(uname -s)" >&2; exit 1 ;;
esac

echo "== freeze ($os, liqguard $VERSION)"
started=$(date +%s)
uv run --group build pyinstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST_DIR" --workpath "$WORK_DIR" installer/pyinstaller/liqguard.spec
echo "froze in $(($(date +%s) - started)) s: $(du -sh "$DIST_DIR/liqguard" | cut -f1) onedir"

echo "== smoke (frozen, offscreen)"
QT_QPA_PLATFORM=offscreen "$cli" --smoke

echo "== package"
case "$os" in
    linux) ONEDIR="$DIST_DIR/liqguard" OUT_DIR="$DIST_DIR" installer/linux/build_deb.sh ;;
    macos) APP="$DIST_DIR/LiqGuard.app" OUT_DIR="$DIST_DIR" installer/macos/make_dmg.sh ;;
    windows)
        # makensis resolves relative paths against the script's folder; hand it absolute Windows paths.
        src="$(cygpath -w "$DIST_DIR/liqguard")"
        out="$(cygpath -w "$DIST_DIR/LiqGuard-$VERSION-setup.exe")"
        makensis -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$src" -DOUTFILE="$out" \
            installer/windows/liqguard.nsi
        echo "built $DIST_DIR/LiqGuard-$VERSION-setup.exe"
        ;;
esac
