"""Run the account flows with real secrets and scan everything written for them.

Flows: save an account (keychain + accounts file), connect through the real HTTP stack to a local venue
(positions, a revoked key, a timeout), audit the key, log every status and an exception that echoes the
secret, save the settings, remove the account. Then every file under the isolated config/data folders,
the app's log file and the captured log records are searched for the secret values.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from desktop.accounts import AccountConfig, AccountsStore
from desktop.exchanges import AccountReader
from desktop.exchanges.audit import audit_key
from desktop.exchanges.factory import build_exchange
from desktop.secrets import SecretStore, install_log_redaction
from desktop.settings import AppConfig, save_config
from tests.exchanges.local_server import local_venue
from tests.exchanges.replay import case, swap_market

API_KEY = "LEAKCHECK-apikey-7f3a9c"
API_SECRET = "LEAKCHECK-secret-4b8e1d"
VALUES = (API_KEY, API_SECRET)


def scan(root: Path, texts: list[str]) -> list[str]:
    """Where any secret value appears: file paths under ``root`` and indexes into ``texts``."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [f"{path}: {v}" for v in VALUES if v.encode() in data]
    for index, text in enumerate(texts):
        found += [f"text[{index}]: {v}" for v in VALUES if v in text]
    return found


def test_no_secret_in_files_logs_or_messages(
    isolated_settings: Path, caplog: pytest.LogCaptureFixture
) -> None:
    install_log_redaction()
    log_file = isolated_settings / "logs" / "liqguard.log"
    log_file.parent.mkdir(parents=True)
    file_handler = logging.FileHandler(log_file, encoding="utf-8")
    root = logging.getLogger()
    root.addHandler(file_handler)
    caplog.set_level(logging.DEBUG)
    log = logging.getLogger("liqguard.leakcheck")
    messages: list[str] = []
    try:
        secrets = SecretStore()
        accounts = AccountsStore()
        config = accounts.add(AccountConfig("bybit:leak", "bybit", "Leak check"))
        secrets.set_many(config.account_id, {"apiKey": API_KEY, "secret": API_SECRET})
        save_config(AppConfig())

        with local_venue() as venue:
            venue.routes["/v5/position/list"] = (
                200,
                case("bybit.fetchPositions.json", "fetchPositions"),
                0.0,
            )
            venue.routes["/v5/account/wallet-balance"] = (
                200,
                {"retCode": 10003, "retMsg": "API key is invalid."},
                0,
            )
            venue.routes["/v5/market/risk-limit"] = (503, {"message": f"Service Unavailable {API_KEY}"}, 0.0)
            venue.routes["/v5/user/query-api"] = (
                200,
                {"retCode": 10003, "retMsg": f"bad key {API_KEY}"},
                0.0,
            )

            async def connect() -> None:
                ex = build_exchange(
                    "bybit",
                    config.credentials(secrets),
                    timeout_ms=400,
                    options={"enableUnifiedAccount": True, "enableUnifiedMargin": False},
                )
                ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
                ex.set_markets([swap_market("LTCUSDT", "LTC", "USDT", "USDT")])
                ex.verbose = False
                try:
                    snapshot = await AccountReader(ex, read_market=False).read()
                    for status in snapshot.feeds.values():
                        messages.append(status.message)
                        log.warning("feed %s: %s", status.name, status.message)
                    result = await audit_key(ex)
                    messages.append(result.message)
                    log.warning("audit: %s", result.message)
                finally:
                    await ex.close()

            asyncio.run(connect())
        assert any("AuthenticationError" in m for m in messages)  # the flows really ran into errors
        try:
            raise RuntimeError(f"venue echoed the key {API_KEY} and secret {API_SECRET}")
        except RuntimeError:
            log.exception("unexpected failure while reading %s", API_KEY)
        accounts.remove(config.account_id, secrets)
        assert secrets.get(config.account_id, "secret") is None
    finally:
        root.removeHandler(file_handler)
        file_handler.close()
    assert "[REDACTED]" in log_file.read_text()
    assert scan(isolated_settings, [caplog.text, *messages, *(r.getMessage() for r in caplog.records)]) == []
