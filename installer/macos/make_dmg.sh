#!/usr/bin/env bash
# macOS: verify, notarise, smoke-test and wrap dist/LiqGuard.app into a DMG.
#
#   installer/macos/make_dmg.sh                  # after the PyInstaller build (installer/build.sh)
#
# Signing happens in the PyInstaller build itself: with CODESIGN_IDENTITY set, the spec passes it as
# codesign_identity (every collected binary and the bundle, hardened runtime, entitlements.plist).
# Without it the bundle carries PyInstaller's ad-hoc signature, which runs locally but is rejected by
# Gatekeeper on other Macs. Each credential-dependent step below is skipped with a message when its
# credentials are absent, so an unsigned developer DMG still builds.
#
# Environment:
#   CODESIGN_IDENTITY   "Developer ID Application: NAME (TEAMID)"; also signs the DMG
#   NOTARY_PROFILE      a keychain profile made with `xcrun notarytool store-credentials`, or
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   (an app-specific password)
#   APP, OUT_DIR, VERSION   defaults: dist/LiqGuard.app, dist, desktop/__init__.py
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="${APP:-$ROOT/dist/LiqGuard.app}"
OUT_DIR="${OUT_DIR:-$ROOT/dist}"
VERSION="${VERSION:-$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' "$ROOT/desktop/__init__.py")}"
ARCH="${TARGET_ARCH:-$(uname -m)}"
DMG="$OUT_DIR/LiqGuard-$VERSION-macos-$ARCH.dmg"

die() { echo "make_dmg.sh: $*" >&2; exit 1; }
[ "$(uname -s)" = "Darwin" ] || die "needs macOS (codesign, notarytool, hdiutil); this is $(uname -s)"
[ -d "$APP" ] || die "no $APP: build it first (installer/build.sh)"

notary_auth=()
if [ -n "${NOTARY_PROFILE:-}" ]; then
    notary_auth=(--keychain-profile "$NOTARY_PROFILE")
elif [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
    notary_auth=(--apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" --password "$APPLE_APP_PASSWORD")
fi

echo "== signature"
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --verify --deep --strict --verbose=2 "$APP"
else
    echo "CODESIGN_IDENTITY not set: ad-hoc signed bundle, not for distribution"
fi

echo "== notarisation"
if [ -n "${CODESIGN_IDENTITY:-}" ] && [ ${#notary_auth[@]} -gt 0 ]; then
    zip="$(mktemp -d)/LiqGuard.zip"
    ditto -c -k --keepParent "$APP" "$zip"
    xcrun notarytool submit "$zip" "${notary_auth[@]}" --wait
    xcrun stapler staple "$APP"
    codesign --verify --deep --strict --check-notarization --verbose=2 "$APP"
    spctl --assess --type execute --verbose=2 "$APP"
else
    echo "skipped: needs CODESIGN_IDENTITY and NOTARY_PROFILE (or APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD)"
fi

echo "== smoke (the bundled console exe, offscreen)"
QT_QPA_PLATFORM=offscreen "$APP/Contents/MacOS/liqguard-cli" --smoke

echo "== DMG"
stage="$(mktemp -d)"
cp -R "$APP" "$stage/"
ln -s /Applications "$stage/Applications"
mkdir -p "$OUT_DIR"
rm -f "$DMG"
# hdiutil fails now and then with "Resource busy" (Spotlight, XProtect scanning the staging folder);
# Picard retries five times, so do we.
for attempt in 1 2 3 4 5; do
    if hdiutil create -volname "LiqGuard $VERSION" -srcfolder "$stage" -ov -format UDBZ "$DMG"; then
        break
    fi
    [ "$attempt" = 5 ] && die "hdiutil create failed 5 times"
    echo "hdiutil failed (attempt $attempt), retrying in 5 s"
    sleep 5
done
rm -rf "$stage"

if [ -n "${CODESIGN_IDENTITY:-}" ]; then
    codesign --sign "$CODESIGN_IDENTITY" --timestamp "$DMG"
    if [ ${#notary_auth[@]} -gt 0 ]; then
        xcrun notarytool submit "$DMG" "${notary_auth[@]}" --wait
        xcrun stapler staple "$DMG"
    fi
fi
echo "built $DMG ($(du -h "$DMG" | cut -f1))"
