"""Files in a directory: `<root>/<area>/<name>`, the instance folder's layout, so files stored
before this backend existed are found where they are."""

import os
import shutil
import tempfile
from typing import IO, BinaryIO

from flask import Response, send_file

from .base import Stat, check_key


class LocalBackend:
    name = "local"

    def __init__(self, root: str, area_dirs: dict[str, str] | None = None):
        self.root = os.path.abspath(root)
        self.area_dirs = {name: os.path.abspath(path) for name, path in (area_dirs or {}).items()}

    def area_dir(self, area_name: str) -> str:
        return self.area_dirs.get(area_name) or os.path.join(self.root, area_name)

    def path(self, key: str) -> str:
        area_name, _, rest = check_key(key).partition("/")
        folder = self.area_dir(area_name)
        path = os.path.join(folder, *rest.split("/"))
        # check_key already keeps a key inside; this says so again for the file system.
        if os.path.commonpath([folder, os.path.abspath(path)]) != folder:
            raise FileNotFoundError(key)
        return path

    def put(self, key: str, data: bytes | BinaryIO, content_type: str | None = None) -> None:
        path = self.path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        # Written aside, then renamed: a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                if isinstance(data, bytes | bytearray | memoryview):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out)
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise

    def open(self, key: str) -> IO[bytes]:
        return open(self.path(key), "rb")  # FileNotFoundError when missing

    def read(self, key: str) -> bytes:
        with self.open(key) as src:
            return src.read()

    def delete(self, key: str) -> None:
        try:
            os.remove(self.path(key))
        except FileNotFoundError:
            pass

    def stat(self, key: str) -> Stat | None:
        try:
            return Stat(size=os.stat(self.path(key)).st_size)
        except (FileNotFoundError, NotADirectoryError):
            return None

    def copy(self, source: str, target: str) -> None:
        with self.open(source) as src:
            self.put(target, src)

    def keys(self, area_name: str):
        """Every stored key of an area, in name order (temporary and odd names skipped)."""
        folder = self.area_dir(area_name)
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames.sort()
            relative = os.path.relpath(dirpath, folder)
            for filename in sorted(filenames):
                parts = [area_name] + ([] if relative == "." else relative.split(os.sep))
                key = "/".join(parts + [filename])
                try:
                    yield check_key(key)
                except ValueError:
                    continue

    def send(self, key: str, *, download_name: str, mimetype: str) -> Response:
        path = self.path(key)
        if not os.path.isfile(path):
            raise FileNotFoundError(key)
        return send_file(path, mimetype=mimetype, as_attachment=True,
                         download_name=download_name, max_age=0)

    def ping(self) -> None:
        if not os.path.isdir(self.root) or not os.access(self.root, os.W_OK):
            raise OSError(f"storage directory {self.root} is missing or not writable")
