#!/usr/bin/env bash
# Release pipeline for Linux (Debian 12, package registries only): build, verify and measure.
# Not part of .ci/run (it takes minutes); run it in a release job or by hand:
#
#   installer/ci_build.sh
#
# 1. system packages (Qt's xcb libraries, Xvfb, packaging and validation tools), 2. PyInstaller onedir,
# frozen smoke and .deb/.tar.gz (installer/build.sh), 3. smoke offscreen and under Xvfb with the xcb
# platform, 4. inspect and validate the .deb, run the app extracted from it, 5. compile the NSIS script
# against a dummy payload (the real Windows payload needs a Windows machine), 6. print figures.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
DIST_DIR="${DIST_DIR:-$ROOT/dist}"
export DIST_DIR
VERSION="$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' desktop/__init__.py)"
APP_ID="org.liqguard.LiqGuard"

echo "== system packages"
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
    libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-randr0 \
    libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libpulse0 fonts-dejavu-core \
    xvfb xauth binutils file nsis p7zip-full desktop-file-utils appstream >/dev/null
command -v uv >/dev/null || python3 -m pip install --quiet uv
uv sync --locked --group build

echo "== build (freeze, frozen smoke, .deb, .tar.gz)"
started=$(date +%s)
installer/build.sh
build_seconds=$(($(date +%s) - started))

echo "== smoke: offscreen and xcb under Xvfb"
installer/smoke.sh "$DIST_DIR/liqguard"

echo "== .deb"
DEB="$(ls "$DIST_DIR"/liqguard_"$VERSION"_*.deb)"
dpkg-deb --info "$DEB"
contents="$(dpkg-deb --contents "$DEB")"
for path in ./opt/liqguard/liqguard ./opt/liqguard/liqguard-cli "./usr/share/applications/$APP_ID.desktop" \
    "./usr/share/metainfo/$APP_ID.metainfo.xml" "./usr/share/icons/hicolor/256x256/apps/$APP_ID.png" \
    "./usr/share/icons/hicolor/scalable/apps/$APP_ID.svg" "./usr/bin/liqguard -> /opt/liqguard/liqguard"; do
    grep -qF -- "$path" <<<"$contents" || { echo "ci_build.sh: $path missing from $DEB" >&2; exit 1; }
done
extract="$(mktemp -d)"
trap 'rm -rf "$extract"' EXIT
dpkg-deb -x "$DEB" "$extract"
desktop-file-validate "$extract/usr/share/applications/$APP_ID.desktop"
appstreamcli validate --no-net "$extract/usr/share/metainfo/$APP_ID.metainfo.xml"
installer/smoke.sh "$extract/opt/liqguard"

echo "== NSIS script compiles (dummy payload)"
payload="$extract/nsis-payload"
mkdir -p "$payload/_internal"
printf 'MZ' >"$payload/liqguard.exe"
printf 'MZ' >"$payload/liqguard-cli.exe"
makensis -WX -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DSRCDIR="$payload" \
    -DOUTFILE="$extract/LiqGuard-$VERSION-setup.exe" installer/windows/liqguard.nsi
file "$extract/LiqGuard-$VERSION-setup.exe"
7z l "$extract/LiqGuard-$VERSION-setup.exe" | tail -n 8  # the payload and the uninstaller are inside

echo "== figures"
echo "build (freeze + smoke + .deb + .tar.gz): $build_seconds s"
echo "onedir: $(du -sh "$DIST_DIR/liqguard" | cut -f1)"
du -h "$DIST_DIR"/liqguard_"$VERSION"_*.deb "$DIST_DIR"/liqguard-"$VERSION"-linux-*.tar.gz
