"""Where a `next=` parameter may send the browser: only a path on this site.

Browsers forgive a lot when they read a Location header: they drop tabs and newlines, treat `\\`
as `/`, and read `//host` or `/\\host` as another site; `https:evil` and `javascript:` carry a
scheme. Percent-encoded forms (`/%2F/evil`, `/%09/evil`) decode to the same after one round.
So the target is decoded once, refused when anything suspicious remains, and otherwise used as a
plain absolute path. Both the log-in page and the language switcher go through `safe_next`.
"""

from urllib.parse import unquote, urlsplit

_MAX_LENGTH = 2000


def is_safe_path(target: str | None) -> bool:
    """True when `target` is a same-site path such as `/events/3?page=2`."""
    if not target or len(target) > _MAX_LENGTH:
        return False
    # Check the raw value and every decoded form: a browser or a later redirect may decode.
    for _round in range(4):
        if not _plain_path(target):
            return False
        decoded = unquote(target)
        if decoded == target:
            return True
        target = decoded
    return False  # still encoded after several rounds: nobody means that


def _plain_path(value: str) -> bool:
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F for ch in value):
        return False
    if "\\" in value or not value.startswith("/") or value.startswith("//"):
        return False
    parts = urlsplit(value)
    return not parts.scheme and not parts.netloc


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a same-site path, else `fallback`."""
    return target if is_safe_path(target) else fallback
