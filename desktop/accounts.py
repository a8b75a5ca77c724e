"""Saved exchange accounts (without secrets): a versioned JSON file in the config folder.

API (for the main window, the engine and ``liqguard check``)::

    store = AccountsStore()                      # <config_dir>/accounts.json; path= for tests
    configs = store.load()                       # list[AccountConfig], [] when no file
    store.add(config)                            # raises ValueError on a duplicate id
    store.update(config)                         # replaces the entry with the same id
    store.remove(account_id, secrets)            # also deletes its secrets from the keychain
    credentials = config.credentials(secrets)    # ccxt config: public fields + secrets

``AccountConfig.public`` holds only non-secret credential fields (Hyperliquid's ``walletAddress``); API key,
secret and passphrase live in the keychain (:class:`desktop.secrets.SecretStore`). Writes are atomic (temp
file, fsync, rename). A file that cannot be read is kept aside as ``accounts.json.bad-<UTC time>`` and
reported in ``AccountsStore.problem``; an entry that cannot be used drops only that account (kept in the
file). Nothing is lost silently.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from desktop.exchanges.adapters import ADAPTERS, adapter_for
from desktop.jsonfile import keep_aside, load_json_object
from desktop.paths import config_dir
from desktop.secrets.store import SecretStore
from desktop.settings import atomic_write_text

SCHEMA_VERSION = 1
FILE_NAME = "accounts.json"


def secret_fields(venue: str) -> tuple[str, ...]:
    """The credential fields of ``venue`` kept in the keychain (everything except a wallet address)."""
    return tuple(f for f in adapter_for(venue).credentials if f != "walletAddress")


def public_fields(venue: str) -> tuple[str, ...]:
    return tuple(f for f in adapter_for(venue).credentials if f == "walletAddress")


def make_account_id(venue: str, label: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A stable id ``"<venue>:<slug>"`` unique among ``taken``."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "account"
    base = f"{venue}:{slug}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


@dataclass(frozen=True, slots=True)
class AccountConfig:
    """One saved account. ``created_at`` is Unix seconds."""

    account_id: str
    venue: str
    label: str
    public: dict[str, str] = field(default_factory=dict)
    created_at: float = 0.0

    def __post_init__(self) -> None:
        if self.venue not in ADAPTERS:
            raise ValueError(f"AccountConfig.venue: unsupported venue {self.venue!r}")
        if not self.account_id:
            raise ValueError("AccountConfig.account_id must not be empty")
        unexpected = set(self.public) - set(public_fields(self.venue))
        if unexpected:
            raise ValueError(
                f"AccountConfig.public: {sorted(unexpected)} are secrets; keep them in the keychain"
            )

    def credentials(self, secrets: SecretStore) -> dict[str, str]:
        """The ccxt credential config: public fields plus the secrets found in ``secrets``."""
        return {**self.public, **secrets.get_many(self.account_id, secret_fields(self.venue))}

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "venue": self.venue,
            "label": self.label,
            "public": dict(self.public),
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AccountConfig:
        return cls(
            account_id=str(data["account_id"]),
            venue=str(data["venue"]),
            label=str(data.get("label") or data["account_id"]),
            public={str(k): str(v) for k, v in (data.get("public") or {}).items()},
            created_at=float(data.get("created_at") or 0.0),
        )


class AccountsStore:
    """The list of saved accounts in one JSON file. Thread-safe within the process.

    Read through :mod:`desktop.jsonfile`. A damaged file is kept aside under a timestamped name (never
    overwriting an earlier backup) and reported in ``problem``. An entry this version cannot use (an
    unknown venue, a missing field) drops only that account: it is named in ``problem`` and written back
    unchanged on the next save, so a newer version's accounts survive a downgrade.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / FILE_NAME
        self.problem: str | None = None
        self._kept: list[Any] = []
        """Entries of the file that could not be read, written back as they are."""
        self._lock = threading.Lock()

    def load(self) -> list[AccountConfig]:
        """The saved accounts; a damaged file is moved aside and reported in ``problem``."""
        with self._lock:
            return self._load()

    def _load(self) -> list[AccountConfig]:
        self.problem = None
        self._kept = []
        loaded = load_json_object(self.path, what="accounts file")
        if loaded.missing:
            return []
        problem = loaded.problem
        entries: Any = None
        if problem is None and loaded.data is not None:
            if loaded.version != SCHEMA_VERSION:
                problem = (
                    f"The accounts file {self.path} has schema_version {loaded.version!r}; this version "
                    f"reads {SCHEMA_VERSION}."
                )
            else:
                entries = loaded.data.get("accounts") or []
                if not isinstance(entries, list):
                    problem = f"The accounts file {self.path} is damaged: 'accounts' is not a list."
        if problem is not None:
            self.problem = self._set_aside(problem)
            return []
        accounts: list[AccountConfig] = []
        dropped: list[str] = []
        for index, entry in enumerate(entries):
            try:
                if not isinstance(entry, dict):
                    raise TypeError("not an object")
                accounts.append(AccountConfig.from_dict(entry))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                self._kept.append(entry)
                name = entry.get("label") or entry.get("account_id") if isinstance(entry, dict) else None
                reason = f"missing {error}" if isinstance(error, KeyError) else str(error)
                dropped.append(f"{name or f'entry {index + 1}'!s}: {reason}")
        if dropped:
            self.problem = (
                f"{len(dropped)} saved account(s) could not be used and are kept in the file unchanged: "
                + "; ".join(dropped)
            )
        return accounts

    def _set_aside(self, problem: str) -> str:
        try:
            aside = keep_aside(self.path)
        except OSError as error:
            return f"{problem} It could not be moved aside ({error.strerror or error}); it is left in place."
        return f"{problem} It was kept as {aside}; no accounts were loaded."

    def _save(self, accounts: list[AccountConfig]) -> None:
        entries = [a.to_dict() for a in accounts] + self._kept
        payload = {"schema_version": SCHEMA_VERSION, "accounts": entries}
        atomic_write_text(self.path, json.dumps(payload, indent=2, ensure_ascii=False) + "\n")

    def add(self, config: AccountConfig) -> AccountConfig:
        with self._lock:
            accounts = self._load()
            if any(a.account_id == config.account_id for a in accounts):
                raise ValueError(f"an account with id {config.account_id!r} already exists")
            if not config.created_at:
                config = replace(config, created_at=time.time())
            self._save([*accounts, config])
            return config

    def update(self, config: AccountConfig) -> None:
        with self._lock:
            accounts = self._load()
            if not any(a.account_id == config.account_id for a in accounts):
                raise ValueError(f"no saved account with id {config.account_id!r}")
            self._save([config if a.account_id == config.account_id else a for a in accounts])

    def remove(self, account_id: str, secrets: SecretStore | None = None) -> None:
        """Forget the account and (with ``secrets``) delete its secrets from the keychain."""
        with self._lock:
            accounts = self._load()
            gone = [a for a in accounts if a.account_id == account_id]
            self._save([a for a in accounts if a.account_id != account_id])
        if secrets is not None:
            for config in gone:
                secrets.delete_many(config.account_id, secret_fields(config.venue))

    def ids(self) -> set[str]:
        return {a.account_id for a in self.load()}
