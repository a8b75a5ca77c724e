"""Command-line entry point: ``liqguard``.

Sub-commands (``check``, ``replay``) live in their own modules, imported lazily: ``--version``
stays instant and a missing part fails with a message, not a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop import __version__

EXIT_OK = 0
EXIT_QT_UNAVAILABLE = 2
EXIT_NOT_AVAILABLE = 3


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liqguard",
        description="Liquidation-risk console for leveraged crypto derivatives (read-only).",
    )
    parser.add_argument("--version", action="version", version=f"liqguard {__version__}")
    parser.add_argument("--demo", action="store_true", help="run on the built-in demo venue")
    parser.add_argument("--smoke", action="store_true", help="build the main window offscreen and exit 0")
    parser.add_argument("--screenshot", metavar="PATH", help="save a PNG of the main window")
    parser.add_argument(
        "--after", metavar="SECONDS", type=float, default=5.0, help="delay before --screenshot"
    )
    parser.add_argument(
        "--size",
        metavar="WxH",
        type=_size,
        help="window size in pixels, e.g. 1366x768 (kept within the screen)",
    )
    parser.add_argument("--theme", choices=("dark", "light"), help="theme for this run (not saved)")
    parser.add_argument(
        "--language", choices=("system", "en", "zh_CN"), help="UI language for this run (not saved)"
    )
    parser.add_argument(
        "--speed", type=float, choices=(1.0, 10.0, 60.0), help="demo clock speed (default 10)"
    )
    parser.epilog = (
        "sub-commands:\n"
        "  check [--json] [--demo]   read every saved account once and print its risk (liqguard check -h)\n"
        "  replay FILE.csv | --scenario NAME\n"
        "                            cascade indicators and alerts over a series (liqguard replay -h)\n"
        "  watch                     headless monitoring (liqguard watch -h, when this build has it)"
    )
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def _size(text: str) -> tuple[int, int]:
    """``"1366x768"`` -> (1366, 768); a clear argparse error otherwise."""
    width, _, height = text.lower().partition("x")
    if not (width.isdigit() and height.isdigit() and int(width) >= 320 and int(height) >= 240):
        raise argparse.ArgumentTypeError(
            f"size must be WIDTHxHEIGHT in pixels, at least 320x240, got {text!r}"
        )
    return int(width), int(height)


def _qt_display_missing() -> bool:
    """True on Linux when no display is reachable and no platform plugin was chosen.

    Qt aborts the process (SIGABRT) in that case instead of returning an error, so we check first.
    """
    if not sys.platform.startswith("linux"):
        return False
    if os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _run_subcommand(name: str, argv: Sequence[str]) -> int:
    if name == "replay":
        from desktop.cli.replay import main as replay_main

        return replay_main(list(argv))
    if name == "check":
        from desktop.cli.check import main as check_main

        return check_main(list(argv))
    if name == "watch":
        from desktop.watch.watcher import main as watch_main

        return watch_main(list(argv))
    if name == "notify-test":
        from desktop.watch.notify_test import main as notify_test_main

        return notify_test_main(list(argv))
    raise AssertionError(name)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in ("replay", "check", "watch", "notify-test"):
        try:
            return _run_subcommand(args_list[0], args_list[1:])
        except ModuleNotFoundError as exc:
            if not (exc.name or "").startswith("desktop."):
                raise
            print(f"liqguard: '{args_list[0]}' is not available in this build yet.", file=sys.stderr)
            return EXIT_NOT_AVAILABLE
    args = _build_parser().parse_args(args_list)

    if args.smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    elif _qt_display_missing():
        print(
            "liqguard: no display found (DISPLAY/WAYLAND_DISPLAY unset). Run it on a desktop, "
            "under xvfb-run, or with QT_QPA_PLATFORM=offscreen.",
            file=sys.stderr,
        )
        return EXIT_QT_UNAVAILABLE

    try:
        from desktop.app import run_app
    except ImportError as exc:  # Qt libraries missing on this system
        print(f"liqguard: Qt cannot start: {exc}", file=sys.stderr)
        return EXIT_QT_UNAVAILABLE
    return run_app(args)


if __name__ == "__main__":
    raise SystemExit(main())
