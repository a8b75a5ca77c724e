"""API secrets, only through the OS keychain (``keyring``), or in memory for this session only.

``SecretStore`` is the single place secrets are written or read. On a machine whose only keyring
backend is keyring's ``fail`` (or ``null``) backend — headless Linux without a Secret Service — the
store reports ``available == False`` and the UI offers session-only use: secrets then live in this
process's memory until it exits and are never written anywhere. There is no plaintext fallback.

Every value that passes through is registered with :mod:`desktop.secrets.redact`, so it is hidden in
log lines and error messages from then on. Errors raised from here never contain a secret.

Keychain entries: service :data:`SERVICE`, username ``"<account_id>:<field>"`` (field = ccxt config key:
``apiKey``, ``secret``, ``password``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping

import keyring
import keyring.backend
import keyring.errors

from desktop.secrets.redact import forget_secret, register_secret

SERVICE = "io.liqguard.LiqGuard"

# Session-only secrets belong to the process, not to one SecretStore object: the wizard and the engine
# each make their own store and must see the same in-memory values.
_session_lock = threading.Lock()
_session_memory: dict[tuple[str, str], str] = {}
_session_only = False


def reset_session() -> None:
    """Forget every session-only secret and leave session-only mode (tests; a user's "forget keys")."""
    global _session_only
    with _session_lock:
        for value in _session_memory.values():
            forget_secret(value)
        _session_memory.clear()
        _session_only = False


class SecretStoreError(RuntimeError):
    """The keychain refused or failed; the message names the account and field, never the value."""


def keychain_problem(error: BaseException, action: str) -> str:
    """A plain sentence for a keychain failure, safe to show (no value, no backend text).

    ``action`` is what was attempted ("read secret of okx:main"). Any backend exception counts, not only
    keyring's own: a Secret Service backend raises D-Bus errors, others ``OSError`` or ``RuntimeError``.
    """
    if isinstance(error, keyring.errors.KeyringLocked):
        return f"keychain locked: unlock it; LiqGuard tries again on its own ({action})"
    if isinstance(error, keyring.errors.InitError | keyring.errors.NoKeyringError):
        return f"no usable keychain ({type(error).__name__}); cannot {action}"
    return f"keychain error ({type(error).__name__}): cannot {action}"


def backend_usable(backend: keyring.backend.KeyringBackend) -> bool:
    """False for keyring's ``fail``/``null`` backends and for a chainer made only of those."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, chainer.ChainerBackend):
        return any(backend_usable(inner) for inner in backend.backends)
    return not isinstance(backend, fail.Keyring | null.Keyring)


def backend_name(backend: keyring.backend.KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


class SecretStore:
    """Secrets per account and field. Thread-safe.

    ``session_only`` (or an unusable keychain with :meth:`use_session_only`) keeps secrets in memory.
    """

    def __init__(self, *, session_only: bool = False) -> None:
        if session_only:
            self.use_session_only()
        self._memory = _session_memory
        self._lock = _session_lock

    # --- backend ----------------------------------------------------------------------------------
    @property
    def backend(self) -> keyring.backend.KeyringBackend:
        return keyring.get_keyring()

    @property
    def available(self) -> bool:
        """Whether a real OS keychain backend is present (False when even asking for it fails)."""
        try:
            return backend_usable(self.backend)
        except Exception:  # a backend that fails on discovery is not usable
            return False

    @property
    def session_only(self) -> bool:
        return _session_only

    @property
    def _session_only(self) -> bool:
        return _session_only

    def use_session_only(self) -> None:
        """Keep secrets in memory for this run only (the user's choice when no keychain is present);
        applies to every SecretStore of the process."""
        global _session_only
        _session_only = True

    def describe(self) -> str:
        """One line for the UI about where secrets are kept."""
        if self._session_only:
            return "Secrets are kept in memory for this session only and forgotten when LiqGuard exits."
        if self.available:
            return f"Secrets are kept in the system keychain ({backend_name(self.backend)})."
        return (
            "No secure credential store (system keychain) was found. LiqGuard will not write API secrets "
            "to a file; you can use them for this session only."
        )

    # --- values -----------------------------------------------------------------------------------
    @staticmethod
    def _username(account_id: str, field: str) -> str:
        return f"{account_id}:{field}"

    def set(self, account_id: str, field: str, value: str) -> None:
        """Store one secret; raises :class:`SecretStoreError` if the keychain cannot."""
        register_secret(value)
        with self._lock:
            if self._session_only:
                self._memory[(account_id, field)] = value
                return
        if not self.available:
            raise SecretStoreError(
                f"cannot store {field} of {account_id}: no system keychain; choose session-only use"
            )
        try:
            keyring.set_password(SERVICE, self._username(account_id, field), value)
        except Exception as error:  # any backend failure (D-Bus, locked, refused) is a plain message
            raise SecretStoreError(keychain_problem(error, f"store {field} of {account_id}")) from None

    def get(self, account_id: str, field: str) -> str | None:
        """One secret, or None if absent (or the keychain is unusable and nothing is in memory)."""
        with self._lock:
            value = self._memory.get((account_id, field))
        if value is None and not self._session_only and self.available:
            try:
                value = keyring.get_password(SERVICE, self._username(account_id, field))
            except Exception as error:  # any backend failure (D-Bus, locked, refused) is a plain message
                raise SecretStoreError(keychain_problem(error, f"read {field} of {account_id}")) from None
        register_secret(value)
        return value

    def delete(self, account_id: str, field: str) -> None:
        """Remove one secret everywhere; absent is fine."""
        with self._lock:
            value = self._memory.pop((account_id, field), None)
        if not self._session_only and self.available:
            try:
                value = keyring.get_password(SERVICE, self._username(account_id, field)) or value
                keyring.delete_password(SERVICE, self._username(account_id, field))
            except keyring.errors.PasswordDeleteError:
                pass
            except Exception as error:  # any backend failure (D-Bus, locked, refused) is a plain message
                raise SecretStoreError(keychain_problem(error, f"delete {field} of {account_id}")) from None
        forget_secret(value)

    def set_many(self, account_id: str, values: Mapping[str, str]) -> None:
        for field, value in values.items():
            self.set(account_id, field, value)

    def get_many(self, account_id: str, fields: Iterable[str]) -> dict[str, str]:
        """The present secrets among ``fields``."""
        found = {field: self.get(account_id, field) for field in fields}
        return {field: value for field, value in found.items() if value is not None}

    def delete_many(self, account_id: str, fields: Iterable[str]) -> None:
        for field in fields:
            self.delete(account_id, field)
