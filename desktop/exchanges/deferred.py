"""An account whose secrets could not be read at start (keychain locked, D-Bus failure): a per-account
problem, never a crash.

:class:`DeferredAccountReader` stands in for the :class:`desktop.exchanges.live.ExchangeAccountReader`
of such an account. Each read asks the keychain again; while it fails, ``read_account`` raises
:class:`ExchangeReadError` with the plain keychain message, so the engine shows it on that account's feed
and retries with its backoff. Once the keychain answers, the real reader is built and takes over: no
restart needed. Other accounts are not affected.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop.accounts import AccountConfig
from desktop.exchanges.reader import ExchangeReadError
from desktop.secrets.store import SecretStore, SecretStoreError
from risk import Account


class _NothingHeld:
    """What the market reader sees of an account that has not been read yet: no symbols."""

    held_symbols: list[str] = []  # noqa: RUF012 - read-only by convention, shared empty list


class DeferredAccountReader:
    """Engine account reader that builds its exchange only once the account's secrets can be read."""

    def __init__(
        self,
        config: AccountConfig,
        secrets: SecretStore,
        build: Callable[[AccountConfig, Mapping[str, str]], Any],
        poll_interval: float,
        problem: str,
    ) -> None:
        """``build(config, credentials)`` makes the real reader; ``problem`` is the first failure."""
        self.account_id = config.account_id
        self.label = config.label
        self.venue = config.venue
        self.poll_interval = poll_interval
        self.problem: str | None = problem
        self._config = config
        self._secrets = secrets
        self._build = build
        self._inner: Any = None

    @property
    def reader(self) -> Any:
        return self._inner.reader if self._inner is not None else _NothingHeld()

    @property
    def latest(self) -> Any:
        return self._inner.latest if self._inner is not None else None

    @property
    def audit(self) -> Any:
        return self._inner.audit if self._inner is not None else None

    @property
    def funding_paid_24h(self) -> float | None:
        return self._inner.funding_paid_24h if self._inner is not None else None

    async def read_account(self) -> Account:
        if self._inner is None:
            try:
                credentials = self._config.credentials(self._secrets)
            except SecretStoreError as error:
                self.problem = str(error)
                raise ExchangeReadError(f"{self.label}: {error}") from None
            self._inner = self._build(self._config, credentials)
            self.problem = None
        account: Account = await self._inner.read_account()
        return account

    async def close(self) -> None:
        if self._inner is not None:
            await self._inner.close()
