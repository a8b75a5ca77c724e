"""Hostile JSON files (issue #10): settings and accounts never crash, keep the file, and say why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.accounts import AccountConfig, AccountsStore
from desktop.jsonfile import JsonFileError, decode_json_bytes, keep_aside, load_json_object
from desktop.settings import AppConfig, config_path, load_config

HOSTILE: dict[str, tuple[bytes, str]] = {
    # bytes, and a word the message must contain
    "latin-1": ('{"theme": "light", "label": "B\xf6rse"}'.encode("latin-1"), "UTF-8"),
    "deep": (b"[" * 100_000 + b"]" * 100_000, "nested"),
    "deep-object": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, "nested"),
    "big-number": (b'{"schema_version": 1, "snooze_minutes": ' + b"9" * 5_000 + b"}", "number"),
    "nan": (b'{"schema_version": 1, "distance_tiers": [NaN, 0.1, 0.05]}', "NaN"),
    "huge": (b'{"x": "' + b"a" * 2_000_000 + b'"}', "bytes"),
    "not-object": (b"[1, 2]", "object"),
    "negative-version": (b'{"schema_version": -3}', "schema_version"),
    "truncated": (b'{"schema_version": 1, "accounts": [', "JSON"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_settings_file_gives_defaults_a_message_and_a_backup(name: str) -> None:
    raw, word = HOSTILE[name]
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(raw)
    loaded = load_config()
    assert loaded.config == AppConfig()
    assert loaded.message is not None and word in loaded.message
    assert loaded.backup_path is not None and loaded.backup_path.read_bytes() == raw
    assert not path.exists()


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_accounts_file_is_kept_aside_and_reported(name: str) -> None:
    raw, word = HOSTILE[name]
    store = AccountsStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(raw)
    assert store.load() == []
    assert store.problem is not None and word in store.problem
    (aside,) = store.path.parent.glob("accounts.json.bad-*")
    assert aside.read_bytes() == raw and str(aside) in store.problem


def test_a_second_damaged_file_in_the_same_second_keeps_the_first_backup(tmp_path: Path) -> None:
    path = tmp_path / "accounts.json"
    path.write_text("first")
    one = keep_aside(path, now=1_800_000_000.0)
    path.write_text("second")
    two = keep_aside(path, now=1_800_000_000.0)
    assert one != two and one.read_text() == "first" and two.read_text() == "second"
    assert one.name == "accounts.json.bad-20270115T080000Z" and two.name.endswith("Z-2")


def test_one_unknown_venue_drops_only_that_account_and_keeps_it_in_the_file() -> None:
    store = AccountsStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    future = {"account_id": "kraken:main", "venue": "krakenfutures", "label": "Kraken"}
    payload = {
        "schema_version": 1,
        "accounts": [
            {"account_id": "okx:main", "venue": "okx", "label": "OKX main"},
            future,
            {"account_id": "bybit:a", "venue": "bybit", "label": "Bybit"},
            "junk",
        ],
    }
    store.path.write_text(json.dumps(payload))
    accounts = store.load()
    assert [a.account_id for a in accounts] == ["okx:main", "bybit:a"]
    assert store.problem is not None and "Kraken" in store.problem and "krakenfutures" in store.problem
    assert "entry 4" in store.problem
    store.add(AccountConfig("hyperliquid:v", "hyperliquid", "HL", {"walletAddress": "0x" + "1" * 40}))
    saved = json.loads(store.path.read_text())["accounts"]
    assert future in saved and "junk" in saved and len(saved) == 5
    assert not list(store.path.parent.glob("accounts.json.bad-*"))


def test_newer_accounts_schema_is_kept_aside_not_overwritten() -> None:
    store = AccountsStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_text(json.dumps({"schema_version": 99, "accounts": []}))
    assert store.load() == []
    assert store.problem is not None and "schema_version 99" in store.problem
    assert len(list(store.path.parent.glob("accounts.json.bad-*"))) == 1


def test_missing_file_is_not_a_problem(tmp_path: Path) -> None:
    loaded = load_json_object(tmp_path / "none.json", what="settings file")
    assert loaded.missing and loaded.problem is None and loaded.data is None


def test_decode_limits_raise_value_errors_with_a_message() -> None:
    with pytest.raises(JsonFileError, match="nested more than"):
        decode_json_bytes(b"[" * 65 + b"]" * 65)
    assert decode_json_bytes(b"[" * 64 + b"]" * 64) is not None
    # brackets inside strings do not count as nesting
    assert decode_json_bytes(json.dumps({"s": "[" * 1000}).encode()) == {"s": "[" * 1000}
    with pytest.raises(JsonFileError, match="Infinity"):
        decode_json_bytes(b"[Infinity]")
    assert decode_json_bytes(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}  # a BOM from Notepad is fine
