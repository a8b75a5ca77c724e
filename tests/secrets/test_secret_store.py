"""Secret store on the in-memory keyring, the fail backend, redaction and the accounts store."""

from __future__ import annotations

import json
import logging

import keyring
import keyring.backends.fail
import pytest

from desktop.accounts import AccountConfig, AccountsStore, make_account_id
from desktop.secrets import SERVICE, RedactingFilter, SecretStore, SecretStoreError, redact, register_secret

SECRET = "s3cr3t-value-for-tests-0001"


def test_secrets_go_to_the_keychain_and_are_deleted(memory_keyring) -> None:
    store = SecretStore()
    assert store.available and "keychain" in store.describe()
    store.set_many("bybit:main", {"apiKey": "key-abcdef", "secret": SECRET})
    assert memory_keyring.store[(SERVICE, "bybit:main:secret")] == SECRET
    assert SecretStore().get("bybit:main", "secret") == SECRET  # a new store reads the keychain
    store.delete_many("bybit:main", ["apiKey", "secret"])
    assert memory_keyring.store == {}
    store.delete("bybit:main", "secret")  # absent: fine


def test_fail_backend_is_detected_and_session_only_use_is_offered() -> None:
    keyring.set_keyring(keyring.backends.fail.Keyring())
    store = SecretStore()
    assert not store.available
    assert "No secure credential store" in store.describe()
    with pytest.raises(SecretStoreError, match="session-only") as raised:
        store.set("okx:main", "secret", SECRET)
    assert SECRET not in str(raised.value)
    store.use_session_only()
    store.set("okx:main", "secret", SECRET)
    assert store.get("okx:main", "secret") == SECRET
    assert "this session only" in store.describe()
    # the engine's own store sees the session secret; nothing was written to any keychain or file
    assert SecretStore().get("okx:main", "secret") == SECRET
    keyring.set_keyring(keyring.backends.fail.Keyring())
    from desktop.secrets import reset_session

    reset_session()
    assert SecretStore().get("okx:main", "secret") is None


def test_redaction_of_messages_and_log_records(caplog: pytest.LogCaptureFixture) -> None:
    register_secret(SECRET)
    assert redact(f"signature failed for {SECRET}!") == "signature failed for [REDACTED]!"
    logger = logging.getLogger("liqguard.test.redaction")
    handler_filter = RedactingFilter()
    caplog.handler.addFilter(handler_filter)
    try:
        try:
            raise RuntimeError(f"venue echoed {SECRET}")
        except RuntimeError:
            logger.exception("request with key %s failed", SECRET)
    finally:
        caplog.handler.removeFilter(handler_filter)
    assert SECRET not in caplog.text
    assert "[REDACTED]" in caplog.text and "RuntimeError" in caplog.text


def test_accounts_store_round_trip_without_secrets(isolated_settings, memory_keyring) -> None:
    secrets = SecretStore()
    store = AccountsStore()
    assert store.load() == []
    account_id = make_account_id("okx", "Main OKX")
    config = store.add(AccountConfig(account_id, "okx", "Main OKX"))
    secrets.set_many(account_id, {"apiKey": "okx-key-1234", "secret": SECRET, "password": "passphrase-99"})
    hl = store.add(
        AccountConfig("hyperliquid:vault", "hyperliquid", "Vault", {"walletAddress": "0x" + "a" * 40})
    )
    assert [c.account_id for c in store.load()] == ["okx:main-okx", "hyperliquid:vault"]
    assert config.created_at > 0
    assert config.credentials(secrets) == {
        "apiKey": "okx-key-1234",
        "secret": SECRET,
        "password": "passphrase-99",
    }
    assert hl.credentials(secrets) == {"walletAddress": "0x" + "a" * 40}
    text = store.path.read_text()
    assert SECRET not in text and "okx-key-1234" not in text and "passphrase-99" not in text
    assert json.loads(text)["schema_version"] == 1
    with pytest.raises(ValueError, match="already exists"):
        store.add(AccountConfig(account_id, "okx", "again"))
    with pytest.raises(ValueError, match="keychain"):
        AccountConfig("okx:x", "okx", "x", {"secret": SECRET})
    assert make_account_id("okx", "Main OKX", store.ids()) == "okx:main-okx-2"
    store.remove(account_id, secrets)
    assert [c.account_id for c in store.load()] == ["hyperliquid:vault"]
    assert secrets.get(account_id, "secret") is None and memory_keyring.store == {}


def test_damaged_accounts_file_is_kept_aside_and_reported(isolated_settings) -> None:
    store = AccountsStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text("{not json")
    assert store.load() == []
    assert store.problem is not None and "accounts.json.bad" in store.problem
    (aside,) = store.path.parent.glob("accounts.json.bad-*")
    assert aside.read_text() == "{not json"
