"""A venue that echoes the key, secret or passphrase back in an error (issue #10): every error text the
user can see has the account's own credential values redacted, also in their JSON-escaped form, even
when the credentials never went through the secret store."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from desktop.engine.core import _error_text
from desktop.exchanges import AccountReader
from desktop.exchanges.factory import build_exchange
from desktop.secrets import redact
from tests.exchanges.local_server import local_venue
from tests.exchanges.replay import swap_market

KEY = "echoed-okx-key-7f3a9c"
SECRET = "echoed-okx-secret-Q8v2"
PASSPHRASE = 'pa"ss\\phrase-echo-1'  # a quote and a backslash: JSON escapes both


def test_okx_echoing_every_credential_in_an_error_is_redacted() -> None:
    echoed = {
        "code": "50113",
        "msg": f"Invalid Sign: key {KEY} secret {SECRET} passphrase {PASSPHRASE}",
        "data": [],
    }
    raw = json.dumps(echoed).encode()
    assert PASSPHRASE.encode() not in raw  # the body carries only the escaped form
    with local_venue() as venue:
        venue.routes["/api/v5/account/positions"] = (401, raw, 0.0)

        async def scenario() -> Any:
            ex = build_exchange("okx", {"apiKey": KEY, "secret": SECRET, "password": PASSPHRASE})
            ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
            ex.set_markets([swap_market("BTC-USDT-SWAP", "BTC", "USDT", "USDT", contract_size=0.01)])
            try:
                reader = AccountReader(ex, read_market=False)
                snapshot = await reader.read()
                try:
                    await ex.fetch_positions()
                except Exception as exc:  # the raw ccxt error, as the engine and check format it
                    return snapshot, exc
                raise AssertionError("the venue's error was not raised")
            finally:
                await ex.close()

        snapshot, error = asyncio.run(scenario())
    assert KEY in str(error) and json.dumps(PASSPHRASE)[1:-1] in str(error)  # ccxt keeps the body as is
    texts = [snapshot.feeds["positions"].message, _error_text(error), redact(str(error))]
    from desktop.cli.check import _error_text as check_error_text

    texts.append(check_error_text(error))
    for text in texts:
        for value in (KEY, SECRET, PASSPHRASE, json.dumps(PASSPHRASE)[1:-1]):
            assert value not in text, (value, text)
        assert "[REDACTED]" in text
