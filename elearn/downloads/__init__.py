"""Prepared downloads: an export (a list of registrations, a gradebook, statistics, a ZIP of
certificates) is built by a job, kept in the storage area `exports` for a while, and handed to
its owner from `/downloads/<id>` after the domain's permission rule says yes once more.

Below every domain: a domain REGISTERS each kind of file it prepares (a builder and a
permission rule, both taking the owner and the parameters the request stored), and this
package never imports a domain. Registering happens when the domain's module is imported,
which `create_app` does for the web app and for the worker alike."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO


@dataclass(frozen=True)
class Built:
    """What a builder returns: the bytes (or a binary file object, read once and closed by
    the caller), the name the person's browser saves it under, and its content type."""
    data: bytes | BinaryIO
    filename: str
    content_type: str


class DownloadError(Exception):
    """A builder's refusal worded for the person (already translated): the download fails
    with this message instead of the generic one."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Kind:
    name: str
    # (owner, parameters) -> Built; runs in the worker (or inline), with the owner's language
    build: Callable[[object, dict], Built]
    # (user, parameters) -> bool: the domain's own can(...) rule, asked again at download time
    may_download: Callable[[object, dict], bool]


KINDS: dict[str, Kind] = {}


def register(name: str, *, build, may_download) -> Kind:
    """Declare a kind of prepared file (at import; importing the module again is fine)."""
    found = KINDS.get(name)
    if found is not None and (found.build.__qualname__, found.may_download.__qualname__) != (
            build.__qualname__, may_download.__qualname__):
        raise ValueError(f"download kind {name!r} registered twice")  # two domains, one name
    KINDS[name] = Kind(name, build, may_download)
    return KINDS[name]


def kind_of(name: str) -> Kind | None:
    return KINDS.get(name)
