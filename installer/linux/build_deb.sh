#!/usr/bin/env bash
# Package the PyInstaller onedir as a .deb and a .tar.gz (Linux).
#
#   installer/linux/build_deb.sh                 # from dist/liqguard into dist/
#   ONEDIR=/path/to/liqguard OUT_DIR=/tmp/out installer/linux/build_deb.sh
#
# Layout of the .deb: /opt/liqguard/ (the onedir), /usr/bin/liqguard -> /opt/liqguard/liqguard,
# /usr/share/applications/<id>.desktop, /usr/share/metainfo/<id>.metainfo.xml and the icon in the
# hicolor theme (PNG 16..256 + scalable SVG). The desktop database and icon cache are refreshed by
# dpkg triggers of desktop-file-utils and the icon theme, so no maintainer scripts are needed.
#
# Environment: ONEDIR, OUT_DIR, VERSION (default: desktop/__init__.py), DEB_COMPRESS (default xz;
# zstd is faster but needs dpkg >= 1.21.18 on the installing machine), SOURCE_DATE_EPOCH.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/installer/linux"
ONEDIR="${ONEDIR:-$ROOT/dist/liqguard}"
OUT_DIR="${OUT_DIR:-$ROOT/dist}"
APP_ID="org.liqguard.LiqGuard"
VERSION="${VERSION:-$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/desktop/__init__.py")}"
DEB_COMPRESS="${DEB_COMPRESS:-xz}"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}"

die() { echo "build_deb.sh: $*" >&2; exit 1; }
[ -n "$VERSION" ] || die "cannot read __version__ from desktop/__init__.py; set VERSION"
[ -x "$ONEDIR/liqguard" ] || die "no executable $ONEDIR/liqguard: build the onedir first (installer/build.sh)"
command -v dpkg-deb >/dev/null || die "dpkg-deb not found (Debian/Ubuntu: apt-get install dpkg)"

ARCH="$(dpkg --print-architecture 2>/dev/null || true)"
if [ -z "$ARCH" ]; then
    case "$(uname -m)" in
        x86_64) ARCH=amd64 ;; aarch64) ARCH=arm64 ;; *) die "unknown machine $(uname -m); set ARCH" ;;
    esac
fi

# The bundled libraries (libstdc++, libexpat, ...) come from the build machine and carry its glibc
# symbol versions (house-style 10.4): declare the highest one so dpkg refuses older systems up front
# instead of the app failing to load there.
glibc_min() {
    local dir="$1"
    if ! command -v objdump >/dev/null; then return 0; fi
    find "$dir" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
        | xargs -0 -r objdump -T 2>/dev/null \
        | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1 \
        || true  # objdump fails on non-ELF executables (scripts); their symbols do not matter
}
GLIBC="$(glibc_min "$ONEDIR")"
LIBC_DEP="libc6"
[ -n "$GLIBC" ] && LIBC_DEP="libc6 (>= $GLIBC)"

# What Qt's xcb platform plugin needs from the system when the build machine did not bundle it
# (house-style 10.2, measured on Debian 12), plus the GL/xcb core every desktop has.
DEPENDS="$LIBC_DEP, libegl1, libgl1, libxcb1, libxkbcommon-x11-0, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libfontconfig1, libdbus-1-3"
RECOMMENDS="libpulse0, libwayland-client0, gnome-keyring | keepassxc | kwalletmanager"

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/pkg"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" "$PKG/usr/share/metainfo" \
    "$PKG/usr/share/doc/liqguard"
cp -a "$ONEDIR" "$PKG/opt/liqguard"
ln -s /opt/liqguard/liqguard "$PKG/usr/bin/liqguard"
install -m 644 "$HERE/$APP_ID.desktop" "$PKG/usr/share/applications/$APP_ID.desktop"
install -m 644 "$HERE/$APP_ID.metainfo.xml" "$PKG/usr/share/metainfo/$APP_ID.metainfo.xml"
for size in 16 24 32 48 64 128 256; do
    install -D -m 644 "$ROOT/resources/icons/liqguard-$size.png" \
        "$PKG/usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -D -m 644 "$ROOT/resources/icons/liqguard.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/$APP_ID.svg"
printf 'LiqGuard %s\nLicense: MIT\n' "$VERSION" >"$PKG/usr/share/doc/liqguard/copyright"
chmod -R u=rwX,go=rX "$PKG"

cat >"$PKG/DEBIAN/control" <<EOF
Package: liqguard
Version: $VERSION
Architecture: $ARCH
Maintainer: LiqGuard <noreply@liqguard.invalid>
Installed-Size: $(du -sk "$PKG" | cut -f1)
Depends: $DEPENDS
Recommends: $RECOMMENDS
Section: misc
Priority: optional
Description: liquidation-risk console for leveraged crypto derivatives
 LiqGuard reads positions through read-only exchange keys, computes how far
 every position and account is from liquidation as the venue computes it,
 suggests stop-losses and warns before a liquidation cascade. It never
 places an order.
EOF

mkdir -p "$OUT_DIR"
DEB="$OUT_DIR/liqguard_${VERSION}_${ARCH}.deb"
dpkg-deb --root-owner-group -Z"$DEB_COMPRESS" --build "$PKG" "$DEB" >/dev/null
echo "built $DEB ($(du -h "$DEB" | cut -f1), Depends: $DEPENDS)"

# The tarball: the onedir plus the desktop integration files, for non-Debian distributions.
TAR_ROOT="$STAGE/liqguard-$VERSION"
cp -a "$ONEDIR" "$TAR_ROOT"
mkdir -p "$TAR_ROOT/share"
cp -a "$PKG/usr/share/applications" "$PKG/usr/share/metainfo" "$PKG/usr/share/icons" "$TAR_ROOT/share/"
TGZ="$OUT_DIR/liqguard-$VERSION-linux-$ARCH.tar.gz"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
    -C "$STAGE" -czf "$TGZ" "liqguard-$VERSION"
echo "built $TGZ ($(du -h "$TGZ" | cut -f1))"
