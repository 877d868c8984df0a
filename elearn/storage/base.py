"""The pieces of the storage every backend shares: keys, areas, file facts."""

import re
from dataclasses import dataclass
from typing import IO, BinaryIO, Protocol

from flask import Response

# One segment: letters, digits, dot, dash, underscore, not starting with a dot (so never "."
# or ".."); no slash, backslash, colon or NUL can reach a path or a bucket.
SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]{0,127}")
_AREA = re.compile(r"[a-z][a-z0-9_]{0,63}")
MAX_KEY_LENGTH = 512


class InvalidKey(ValueError):
    """A key that is not a plain relative name: refused before any backend sees it."""


class StorageConfigError(RuntimeError):
    """The storage settings are unusable; the message says what to set."""


def check_key(key) -> str:
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise InvalidKey(repr(key)[:80])
    parts = key.split("/")
    if len(parts) < 2 or not all(SEGMENT.fullmatch(part) for part in parts):
        raise InvalidKey(repr(key)[:80])
    return key


@dataclass(frozen=True)
class Area:
    """A folder of files. Locally `<STORAGE_LOCAL_DIR>/<name>/`, unless the app setting named
    by `dir_setting` gives another directory (tests, or a volume of its own)."""
    name: str
    dir_setting: str | None = None

    def key(self, name: str) -> str:
        return check_key(f"{self.name}/{name}")


AREAS: dict[str, Area] = {}


def area(name: str, dir_setting: str | None = None) -> Area:
    """Declare (once, at import) a domain's folder; the migration command copies every one."""
    if not _AREA.fullmatch(name):
        raise InvalidKey(name)
    found = AREAS.setdefault(name, Area(name, dir_setting))
    if found.dir_setting != dir_setting:
        raise ValueError(f"storage area {name!r} declared twice with different settings")
    return found


@dataclass(frozen=True)
class Stat:
    size: int
    etag: str | None = None  # the bucket's ETag (MD5 of a single-part object), unquoted


class Backend(Protocol):
    name: str

    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None: ...
    def open(self, key: str) -> IO[bytes]: ...
    def read(self, key: str) -> bytes: ...
    def delete(self, key: str) -> None: ...
    def stat(self, key: str) -> Stat | None: ...
    def copy(self, source: str, target: str) -> None: ...
    def keys(self, area_name: str): ...
    def send(self, key: str, *, download_name: str, mimetype: str) -> Response: ...
    def ping(self) -> None: ...


