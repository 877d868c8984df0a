"""Where files live: one interface for every domain, a local directory by default and
S3-compatible object storage when `STORAGE_BACKEND=s3` (several app hosts then see the same
files).

A file is named by a key, `<area>/<name>`: the area is a folder of the local layout (the
instance folder's `course_files/`, `hackathon_uploads/`, as before) and a prefix in the bucket.
Downloads still pass the app's permission checks: a view decides who may have a file, then
`send()` streams it from the backend (or, with `STORAGE_S3_PRESIGNED=1`, redirects to a URL
the bucket honours for a minute).

Below every domain: no translations and no domain rules here. A missing file is
FileNotFoundError; a key that could leave its area (`..`, an absolute path) is InvalidKey."""

import re
from typing import IO, BinaryIO

from flask import Flask, Response, current_app

from .base import (  # noqa: F401 - the package's interface
    AREAS,
    Area,
    Backend,
    InvalidKey,
    Stat,
    StorageConfigError,
    area,
    check_key,
)
from .base import SEGMENT as _SEGMENT

LOCAL, S3 = "local", "s3"
BACKENDS = (LOCAL, S3)

# --- settings -------------------------------------------------------------------------------

_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


def normalised_prefix(prefix: str | None) -> str:
    """'' or 'a/b/' (a trailing slash added; leading and doubled slashes dropped)."""
    parts = [part for part in (prefix or "").split("/") if part]
    return "".join(f"{part}/" for part in parts)


def check_settings(config) -> list[str]:
    """Every problem with the STORAGE_* settings, each naming the variable to set."""
    problems = []
    kind = config.get("STORAGE_BACKEND") or LOCAL
    if kind not in BACKENDS:
        problems.append(f"STORAGE_BACKEND must be 'local' or 's3', not {kind!r}.")
    if kind != S3:
        return problems
    bucket = config.get("STORAGE_S3_BUCKET") or ""
    if not bucket:
        problems.append("STORAGE_BACKEND=s3 needs STORAGE_S3_BUCKET: the bucket's name.")
    elif not _BUCKET.fullmatch(bucket):
        problems.append(f"STORAGE_S3_BUCKET {bucket!r} is not a bucket name (3-63 lower-case "
                        "letters, digits, dots and dashes).")
    prefix = normalised_prefix(config.get("STORAGE_S3_PREFIX"))
    if prefix and not all(_SEGMENT.fullmatch(part) for part in prefix.rstrip("/").split("/")):
        problems.append(f"STORAGE_S3_PREFIX {prefix!r} may hold only letters, digits, '.', '-', "
                        "'_' and '/'.")
    endpoint = config.get("STORAGE_S3_ENDPOINT_URL") or ""
    if endpoint and not re.match(r"https?://[^/\s]+", endpoint):
        problems.append(f"STORAGE_S3_ENDPOINT_URL {endpoint!r} must be an http(s):// address "
                        "(leave it unset for AWS itself).")
    seconds = config.get("STORAGE_S3_PRESIGNED_SECONDS", 60)
    if not isinstance(seconds, int) or not 1 <= seconds <= 3600:
        problems.append("STORAGE_S3_PRESIGNED_SECONDS must be between 1 and 3600.")
    return problems


def _local_dirs(config) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((a.name, config[a.dir_setting]) for a in AREAS.values()
                        if a.dir_setting and config.get(a.dir_setting)))


def _signature(app: Flask) -> tuple:
    config = app.config
    kind = config.get("STORAGE_BACKEND") or LOCAL
    if kind == S3:
        return (S3, config.get("STORAGE_S3_BUCKET"),
                normalised_prefix(config.get("STORAGE_S3_PREFIX")),
                config.get("STORAGE_S3_ENDPOINT_URL") or None,
                config.get("STORAGE_S3_REGION") or None,
                bool(config.get("STORAGE_S3_PRESIGNED")),
                config.get("STORAGE_S3_PRESIGNED_SECONDS", 60))
    return (kind, config.get("STORAGE_LOCAL_DIR") or app.instance_path, _local_dirs(config))


def local_backend(app: Flask | None = None):
    """The directory backend whatever STORAGE_BACKEND says (the migration reads from it)."""
    from .local import LocalBackend

    app = app or current_app._get_current_object()
    return LocalBackend(app.config.get("STORAGE_LOCAL_DIR") or app.instance_path,
                        dict(_local_dirs(app.config)))


def backend(app: Flask | None = None) -> Backend:
    """The app's backend, built on first use from its settings (and rebuilt if they change)."""
    app = app or current_app._get_current_object()
    signature = _signature(app)
    cache = app.extensions.setdefault("elearn_storage", {})
    found = cache.get(signature)
    if found is None:
        problems = check_settings(app.config)
        if problems:
            raise StorageConfigError(" ".join(problems))
        if signature[0] == S3:
            from .s3 import S3Backend

            found = S3Backend(*signature[1:])
        else:
            found = local_backend(app)
        cache.clear()
        cache[signature] = found
    return found


# --- the interface every domain uses ---------------------------------------------------------

def put(key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None:
    backend().put(check_key(key), data, content_type)


def open(key: str) -> IO[bytes]:  # noqa: A001 - the storage's own verb
    """A binary file object to read (and close); FileNotFoundError when there is none."""
    return backend().open(check_key(key))


def read(key: str) -> bytes:
    return backend().read(check_key(key))


def delete(key: str) -> None:
    """Remove a file; already gone is fine."""
    backend().delete(check_key(key))


def exists(key: str) -> bool:
    return backend().stat(check_key(key)) is not None


def stat(key: str) -> Stat | None:
    return backend().stat(check_key(key))


def copy(source: str, target: str) -> None:
    backend().copy(check_key(source), check_key(target))


def send(key: str, *, download_name: str, mimetype: str) -> Response:
    """The file as a download (never shown inline in the app's origin). Call it only after the
    view's permission check; FileNotFoundError when the file is gone."""
    return backend().send(check_key(key), download_name=download_name, mimetype=mimetype)


def ping() -> None:
    """Raise when the backend cannot be reached (for readiness checks)."""
    backend().ping()
