"""Static URLs carry a hash of the file's content (`/static/css/app.css?v=3f2a91c0de`), so nginx
can tell browsers to keep static files for a year (deploy/nginx/elearn-common.conf) and a new
release is still fetched at once: its URL differs. A content hash, not a modification time, so
every app host names a file the same way."""

import hashlib
import os
from functools import lru_cache


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:10]


def version_of(static_folder: str, filename: str) -> str | None:
    path = os.path.join(static_folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _digest(path, stat.st_mtime_ns, stat.st_size)


def add_static_versions(app) -> None:
    @app.url_defaults
    def _versioned(endpoint, values):
        if endpoint == "static" and "v" not in values and values.get("filename"):
            version = version_of(app.static_folder, values["filename"])
            if version:
                values["v"] = version
