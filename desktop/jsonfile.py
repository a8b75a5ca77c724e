"""One safe loader for every JSON file LiqGuard owns (settings, saved accounts).

:func:`load_json_object` never raises for a bad file: it returns a :class:`JsonLoad` whose ``problem``
says, in one plain sentence, what was wrong. It bounds what a damaged or hostile file can do before
``json`` sees it:

* size: at most ``max_bytes`` (a settings file is a few KB; 1 MiB is generous);
* encoding: strict UTF-8 (a leading BOM is accepted);
* nesting: at most :data:`MAX_DEPTH` levels of ``[``/``{`` (``json`` recurses and dies with
  ``RecursionError`` on 100,000 levels);
* numbers: at most :data:`MAX_NUMBER_CHARS` characters (Python refuses to build an int of more than
  4,300 digits with a bare ``ValueError``); ``NaN`` and ``Infinity`` are refused;
* shape: the top level is an object; ``schema_version`` is a whole number >= 0 (missing = 0).

A damaged file is kept aside by :func:`keep_aside` under a timestamped name
(``accounts.json.bad-20261203T093000Z``, then ``-2``, ``-3``...), never overwriting an earlier backup:
the name is claimed with a hard link (or an exclusive create), which fails instead of replacing.

No Qt, no clock beyond the backup's timestamp; safe to use from ``liqguard check``.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_BYTES = 1_048_576
MAX_DEPTH = 64
MAX_NUMBER_CHARS = 64
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonFileError(ValueError):
    """The text is not a JSON document this program accepts; the message says why, in plain words."""


@dataclass(frozen=True, slots=True)
class JsonLoad:
    """What :func:`load_json_object` found.

    ``data`` is the parsed object (None when the file is missing or unreadable); ``version`` its
    ``schema_version`` (0 when absent); ``problem`` a sentence for the user or None; ``missing`` True when
    there was no file at all.
    """

    path: Path
    data: dict[str, Any] | None = None
    version: int = 0
    problem: str | None = None
    missing: bool = False
    reason: str | None = None
    """``problem`` without the file's name: what is wrong, for a caller that names the file itself."""


def _check_depth(text: str, max_depth: int) -> None:
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        depth += 1 if match.group() in "[{" else -1
        if depth > max_depth:
            raise JsonFileError(f"nested more than {max_depth} levels deep")


def _number(kind: type) -> Any:
    def parse(text: str) -> Any:
        if len(text) > MAX_NUMBER_CHARS:
            raise JsonFileError(f"a number of {len(text)} characters (at most {MAX_NUMBER_CHARS})")
        return kind(text)

    return parse


def _constant(name: str) -> Any:
    raise JsonFileError(f"{name} is not a number this file may hold")


def parse_json_text(text: str, *, max_depth: int = MAX_DEPTH) -> Any:
    """Parse ``text`` within the depth and number limits; :class:`JsonFileError` says what is wrong."""
    _check_depth(text, max_depth)
    try:
        return json.loads(text, parse_int=_number(int), parse_float=_number(float), parse_constant=_constant)
    except JsonFileError:
        raise
    except json.JSONDecodeError as exc:
        raise JsonFileError(f"not valid JSON ({exc})") from None
    except (ValueError, RecursionError) as exc:  # belt and braces: the limits above should catch these
        raise JsonFileError(f"not readable JSON ({type(exc).__name__})") from None


def decode_json_bytes(raw: bytes, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Any:
    """Size and encoding checks, then :func:`parse_json_text`."""
    if len(raw) > max_bytes:
        raise JsonFileError(f"{len(raw):,} bytes, more than the {max_bytes:,} allowed")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonFileError(f"not UTF-8 text (byte {exc.start})") from None
    return parse_json_text(text, max_depth=max_depth)


def load_json_object(path: Path, *, what: str, max_bytes: int = MAX_BYTES) -> JsonLoad:
    """Read ``path`` as a JSON object with a ``schema_version``; never raises.

    ``what`` names the file for the user ("settings file", "accounts file"). A missing file is not a
    problem (``missing`` is True). The file is left where it is: the caller decides whether to
    :func:`keep_aside` it (it may still use part of it).
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise JsonFileError(f"{size:,} bytes, more than the {max_bytes:,} allowed")
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
        data = decode_json_bytes(raw, max_bytes=max_bytes)
    except FileNotFoundError:
        return JsonLoad(path, missing=True)
    except JsonFileError as exc:
        return _damaged(path, what, str(exc))
    except OSError as exc:
        reason = f"cannot be read ({exc.strerror or exc})"
        return JsonLoad(path, problem=f"The {what} {path} {reason}.", reason=reason)
    if not isinstance(data, dict):
        return _damaged(path, what, "expected a JSON object")
    version = data.get("schema_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        return _damaged(path, what, f"schema_version must be a whole number >= 0, got {version!r}", data)
    return JsonLoad(path, data, version)


def _damaged(path: Path, what: str, reason: str, data: dict[str, Any] | None = None) -> JsonLoad:
    return JsonLoad(path, data, problem=f"The {what} {path} is damaged: {reason}.", reason=reason)


def backup_name(path: Path, now: float | None = None, number: int = 1) -> Path:
    """``<name>.bad-<UTC timestamp>`` (``-<number>`` from the second one in the same second)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    suffix = "" if number == 1 else f"-{number}"
    return path.with_name(f"{path.name}.bad-{stamp}{suffix}")


def keep_aside(path: Path, now: float | None = None) -> Path:
    """Move ``path`` to a new timestamped backup (never replacing one); returns the backup's path.

    OSError propagates when the file can be neither linked nor copied (the caller reports it and
    leaves the file in place).
    """
    for number in range(1, 10_000):
        target = backup_name(path, now, number)
        try:
            os.link(path, target)
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links: copy with an exclusive create
            try:
                with target.open("xb") as out:
                    out.write(path.read_bytes())
            except FileExistsError:
                continue
        path.unlink()
        return target
    raise OSError(f"no free backup name next to {path}")


__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_NUMBER_CHARS",
    "JsonFileError",
    "JsonLoad",
    "backup_name",
    "decode_json_bytes",
    "keep_aside",
    "load_json_object",
    "parse_json_text",
]
