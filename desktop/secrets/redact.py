"""Redaction of secret values from any text that leaves the process (logs, messages, crash reports).

Every secret the app loads or the user types is registered here (:func:`register_secret`); a logging
filter and :func:`redact` replace each registered value by ``[REDACTED]``. The registry holds values in
memory only, for the life of the process.
"""

from __future__ import annotations

import json
import logging
import threading
import traceback
import urllib.parse

REDACTED = "[REDACTED]"
MIN_SECRET_LENGTH = 4
"""Shorter values are not registered: redacting them would mangle ordinary text."""

_lock = threading.Lock()
_secrets: set[str] = set()


def _forms(value: str) -> set[str]:
    """``value`` as it can appear in a venue's error text: as is, JSON-escaped (a passphrase with ``"``
    or ``\\`` echoed inside a JSON body), ASCII-escaped JSON, and URL-encoded (echoed query strings)."""
    forms = {value, json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]}
    forms |= {urllib.parse.quote(value, safe=""), urllib.parse.quote_plus(value, safe="")}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


def register_secret(value: str | None) -> None:
    """Remember ``value`` (and its escaped forms) so that :func:`redact` and the logging filter hide it
    from now on."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _lock:
            _secrets.update(_forms(value))


def forget_secret(value: str | None) -> None:
    """Stop redacting ``value`` (after the secret was deleted everywhere)."""
    if not value:
        return
    with _lock:
        _secrets.difference_update(_forms(value))


def redact(text: str) -> str:
    """``text`` with every registered secret replaced by ``[REDACTED]`` (longest first)."""
    with _lock:
        values = sorted(_secrets, key=len, reverse=True)
    for value in values:
        if value in text:
            text = text.replace(value, REDACTED)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that renders the record once and redacts message, exception and stack text.

    Attach it to handlers (``install_log_redaction`` does so for the root logger's handlers and for
    records created anywhere through the record factory).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> None:
    """Redact ``record`` in place: message with its args, exception text and stack text."""
    if getattr(record, "_liqguard_redacted", False):
        return
    try:
        message = record.getMessage()
    except Exception:  # a broken format string must not hide the record
        message = f"{record.msg!r} % {record.args!r}"
    record.msg = redact(message)
    record.args = None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    record._liqguard_redacted = True


_installed = False


def install_log_redaction() -> None:
    """Redact every log record created in this process, whatever logger or handler it goes to.

    Wraps the log record factory (so records are redacted before any handler sees them) and adds a
    :class:`RedactingFilter` to the root logger's handlers for records built elsewhere. Idempotent.
    """
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    previous = logging.getLogRecordFactory()

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        redact_record(record)
        return record

    logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
