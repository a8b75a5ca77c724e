"""Push channels: apprise URLs kept in the OS keychain, and one blocking send through apprise.

A channel URL (``tgram://bottoken/chatid``, ``ntfy://topic``, ``json://host:port/path`` ...) usually
holds a token, so it is a secret: it lives only in the keychain (:class:`desktop.secrets.SecretStore`,
account ``push:<channel_id>``, field ``url``), the settings keep the channel id and label. The heartbeat
URL is kept the same way (account ``heartbeat``). Every URL read or written is registered for
redaction, so log lines and messages show ``[REDACTED]`` in its place.

:func:`send` never raises: it returns a :class:`SendResult` whose ``error`` says what went wrong in
words (from apprise's own log, redacted), so a failing channel is shown, not swallowed.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from desktop.secrets.redact import redact, register_secret
from desktop.secrets.store import SecretStore, SecretStoreError

log = logging.getLogger(__name__)

URL_FIELD = "url"
HEARTBEAT_ACCOUNT = "heartbeat"
# apprise's notify types: info / success / warning / failure (the JSON webhook's "type" field).
NOTIFY_TYPES = {"info": "info", "warning": "warning", "critical": "failure"}
_capture_lock = threading.Lock()  # apprise.LogCapture swaps a handler on a global logger


def channel_account(channel_id: str) -> str:
    return f"push:{channel_id}"


def save_channel_url(secrets: SecretStore, channel_id: str, url: str) -> None:
    """Keep ``url`` in the keychain (SecretStoreError if it cannot; ValueError if apprise rejects it)."""
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)
    secrets.set(channel_account(channel_id), URL_FIELD, url.strip())


def channel_url(secrets: SecretStore, channel_id: str) -> str | None:
    """The channel's URL from the keychain, or None when it is not there (or unreadable)."""
    try:
        return secrets.get(channel_account(channel_id), URL_FIELD)
    except SecretStoreError as exc:
        log.error("push channel %s: %s", channel_id, exc)
        return None


def delete_channel_url(secrets: SecretStore, channel_id: str) -> None:
    secrets.delete(channel_account(channel_id), URL_FIELD)


def url_problem(url: str) -> str | None:
    """Why apprise cannot use ``url`` (a message without the URL), or None when it can."""
    import apprise

    if not isinstance(url, str) or not url.strip():
        return "the channel URL is empty"
    register_secret(url.strip())
    scheme = url.strip().split("://", 1)[0] if "://" in url else ""
    if not scheme:
        return "the channel URL needs a scheme such as tgram://, ntfy://, discord:// or json://"
    if apprise.Apprise.instantiate(url.strip(), suppress_exceptions=True) is None:
        return f"apprise does not understand this {scheme}:// URL (see the apprise wiki for its form)"
    return None


@dataclass(frozen=True, slots=True)
class SendResult:
    """Outcome of one push: ``ok``, and when not, ``error`` in words (redacted, no URL)."""

    ok: bool
    error: str = ""


def send(url: str, title: str, body: str, level: str = "info") -> SendResult:
    """Send one message through apprise (blocking: network, up to apprise's timeouts; call it off the
    GUI and engine threads). ``level`` is "info", "warning" or "critical"."""
    import apprise

    register_secret(url)
    problem = url_problem(url)
    if problem:
        return SendResult(False, problem)
    sender = apprise.Apprise()
    sender.add(url)
    with _capture_lock, apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        try:
            ok = bool(sender.notify(body=body, title=title, notify_type=NOTIFY_TYPES.get(level, "info")))
        except Exception as exc:  # an apprise plugin bug must become a channel problem, not a crash
            return SendResult(False, redact(f"{type(exc).__name__}: {exc}")[:300])
        text = captured.getvalue()
    if ok:
        return SendResult(True)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    detail = "; ".join(lines[-3:]) if lines else "apprise reported a failure without details"
    return SendResult(False, redact(detail)[:300])


def save_heartbeat_url(secrets: SecretStore, url: str) -> None:
    """Keep the heartbeat URL (it identifies the check: a secret) in the keychain."""
    if not url.strip().lower().startswith(("https://", "http://")):
        raise ValueError("the heartbeat URL must start with https:// (or http://)")
    secrets.set(HEARTBEAT_ACCOUNT, URL_FIELD, url.strip())


def heartbeat_url(secrets: SecretStore) -> str | None:
    try:
        return secrets.get(HEARTBEAT_ACCOUNT, URL_FIELD)
    except SecretStoreError as exc:
        log.error("heartbeat: %s", exc)
        return None
