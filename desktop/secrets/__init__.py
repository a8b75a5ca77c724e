"""Secrets: the OS keychain through ``keyring`` (or session-only memory), and redaction of secret values.

Public interface: ``SecretStore`` (set/get/delete per account and field, ``available``,
``use_session_only``), ``SecretStoreError``, ``redact``, ``register_secret``, ``RedactingFilter``,
``install_log_redaction``.
"""

from desktop.secrets.redact import RedactingFilter, install_log_redaction, redact, register_secret
from desktop.secrets.store import SERVICE, SecretStore, SecretStoreError, backend_usable, reset_session

__all__ = [
    "SERVICE",
    "RedactingFilter",
    "SecretStore",
    "SecretStoreError",
    "backend_usable",
    "install_log_redaction",
    "redact",
    "register_secret",
    "reset_session",
]
