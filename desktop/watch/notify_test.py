"""``liqguard notify-test [URL ...]``: send a test message to the given apprise URLs, or to every push
channel of the settings; one line per channel. Exit 0 all delivered, 1 any failed, 2 nothing to test."""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence

from desktop.settings import load_config
from desktop.watch.channels import send
from desktop.watch.routing import adhoc_channels, configured_channels

TEST_TITLE = "LiqGuard test message"


def test_body() -> str:
    return f"This channel works: LiqGuard on {socket.gethostname()} can reach you here."


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="liqguard notify-test", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("urls", nargs="*", metavar="URL", help="apprise URLs (default: the saved channels)")
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return 2 if exc.code else 0
    from desktop.secrets.redact import install_log_redaction

    install_log_redaction()
    try:
        channels = adhoc_channels(args.urls)
    except ValueError as exc:
        print(f"liqguard notify-test: {str(exc).replace('--notify ', '')}", file=sys.stderr)
        return 2
    problems: list[str] = []
    if not args.urls:
        loaded = load_config()
        if loaded.message:
            print(f"liqguard notify-test: settings: {loaded.message}", file=sys.stderr)
        channels, problems = configured_channels(loaded.config.always_on)
        for problem in problems:
            print(f"liqguard notify-test: {problem}", file=sys.stderr)
        if not channels and not problems:
            print(
                "liqguard notify-test: no push channels. Add one in Settings > Push channels, or give "
                "an apprise URL: liqguard notify-test 'ntfy://my-topic'",
                file=sys.stderr,
            )
            return 2
    failed = bool(not args.urls and problems)
    for config, url in channels:
        result = send(url, TEST_TITLE, test_body(), "info")
        name = config.name.replace("--notify ", "URL ")
        print(f"{name}: {'delivered' if result.ok else 'FAILED: ' + result.error}")
        failed |= not result.ok
    return 1 if failed else 0
