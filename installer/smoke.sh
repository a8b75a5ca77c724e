#!/usr/bin/env bash
# Smoke-test a frozen onedir: `liqguard-cli --smoke` offscreen, then on a real X server under xvfb-run
# (that one loads libqxcb and the system's xcb libraries, which offscreen never touches).
#
#   installer/smoke.sh dist/liqguard
#
# --smoke picks the offscreen platform unless QT_QPA_PLATFORM is set, so the xvfb run sets it to xcb
# and checks that the app really reports "xcb". Exit status: non-zero on the first failure.
# LIQGUARD_SMOKE_XVFB=0 skips the xvfb run.
set -euo pipefail

ONEDIR="${1:?usage: smoke.sh ONEDIR}"
CLI="$ONEDIR/liqguard-cli"
[ -x "$CLI" ] || CLI="$ONEDIR/liqguard-cli.exe"
[ -x "$CLI" ] || { echo "smoke.sh: no liqguard-cli in $ONEDIR" >&2; exit 1; }

run_smoke() {  # run_smoke PLATFORM COMMAND...
    local platform="$1"; shift
    local started ended out
    started=$(date +%s%N)
    out="$(timeout 120 "$@" --smoke)"
    ended=$(date +%s%N)
    echo "$out"
    if ! grep -q "\"platform\": \"$platform\"" <<<"$out"; then
        echo "smoke.sh: expected platform $platform" >&2
        return 1
    fi
    if ! grep -q '"window_icon": true' <<<"$out"; then
        echo "smoke.sh: the app reports no window icon (resources not bundled or not found)" >&2
        return 1
    fi
    echo "smoke $platform: $(((ended - started) / 1000000)) ms wall"
}

run_smoke offscreen env QT_QPA_PLATFORM=offscreen "$CLI"
if [ "${LIQGUARD_SMOKE_XVFB:-1}" = "0" ]; then
    echo "xcb smoke skipped (LIQGUARD_SMOKE_XVFB=0)"
elif command -v xvfb-run >/dev/null; then
    run_smoke xcb xvfb-run -a env QT_QPA_PLATFORM=xcb "$CLI"
else
    echo "xvfb-run not installed: xcb smoke skipped (apt-get install xvfb xauth)"
fi
