"""A locked or broken keychain (issue #10) is a per-account problem with a plain message, never a crash:
the app builds its readers, ``liqguard check`` reports the account, and the account recovers when the
keychain answers again."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

import keyring
import keyring.errors
import pytest

from desktop.accounts import AccountConfig, AccountsStore
from desktop.exchanges import ExchangeReadError
from desktop.exchanges.factory import build_exchange
from desktop.exchanges.live import build_live_readers
from desktop.secrets import SecretStore, SecretStoreError
from tests.conftest import MemoryKeyring
from tests.exchanges.local_server import local_venue
from tests.exchanges.replay import swap_market
from tests.exchanges.test_live_readers import serve

SECRET = "bybit-secret-never-shown-0001"
LTCUSDT = swap_market("LTCUSDT", "LTC", "USDT", "USDT", info={"fundingInterval": 480})


class DBusException(Exception):
    """What a Secret Service backend raises when the session bus is gone (not a keyring error)."""


class BrokenKeyring(MemoryKeyring):
    """The in-memory keyring, failing with ``error`` while ``error`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.error: BaseException | None = None

    def get_password(self, service: str, username: str) -> str | None:
        if self.error is not None:
            raise self.error
        return super().get_password(service, username)


@pytest.fixture
def broken() -> BrokenKeyring:
    backend = BrokenKeyring()
    keyring.set_keyring(backend)
    SecretStore().set_many("bybit:main", {"apiKey": "bybit-key-0001", "secret": SECRET})
    return backend


ERRORS = {
    "locked": (
        keyring.errors.KeyringLocked("Failed to unlock the collection!"),
        "keychain locked: unlock it",
    ),
    "dbus": (DBusException("org.freedesktop.DBus.Error.ServiceUnknown"), "keychain error (DBusException)"),
    "os": (OSError(13, "Permission denied"), "keychain error (PermissionError)"),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_every_keychain_error_is_a_plain_secret_store_error(broken: BrokenKeyring, name: str) -> None:
    broken.error, text = ERRORS[name]
    with pytest.raises(SecretStoreError) as raised:
        SecretStore().get("bybit:main", "secret")
    assert text in str(raised.value) and "bybit:main" in str(raised.value)
    assert SECRET not in str(raised.value)


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_locked_keychain_is_an_account_problem_that_recovers(broken: BrokenKeyring, name: str) -> None:
    broken.error, text = ERRORS[name]
    configs = [AccountConfig("bybit:main", "bybit", "Main"), AccountConfig("okx:x", "okx", "OKX")]
    with local_venue() as venue:
        serve(venue)

        def connect(venue_id: str, credentials: Mapping[str, str]) -> Any:
            options = {"enableUnifiedAccount": True, "enableUnifiedMargin": False}
            ex = build_exchange(venue_id, credentials, timeout_ms=2000, options=options)
            ex.urls["api"] = {key: venue.base for key in ex.urls["api"]}
            ex.set_markets([LTCUSDT])
            return ex

        accounts, markets = build_live_readers(configs, SecretStore(), connect)  # does not raise
        bybit = accounts[0]
        assert text in (getattr(bybit, "problem", "") or "")

        async def scenario() -> None:
            try:
                with pytest.raises(ExchangeReadError, match=re.escape(text)):
                    await bybit.read_account()
                assert venue.count("/v5/position/list") == 0
                broken.error = None  # the user unlocked the keychain: the next poll reads
                account = await bybit.read_account()
                assert [p.instrument.symbol for p in account.positions] == ["LTC/USDT:USDT"]
                assert bybit.reader.held_symbols == ["LTC/USDT:USDT"]
            finally:
                for reader in [*accounts, *markets]:
                    await reader.close()

        asyncio.run(scenario())


def test_check_reports_a_locked_keychain_per_account(broken: BrokenKeyring, capsys) -> None:
    from desktop.cli.check import main

    broken.error = keyring.errors.KeyringLocked("cancelled")
    AccountsStore().add(AccountConfig("bybit:main", "bybit", "Main"))
    assert main(["--json"]) == 1
    out = capsys.readouterr().out
    assert "keychain locked" in out and SECRET not in out
