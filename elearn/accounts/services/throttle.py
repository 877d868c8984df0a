"""Log-in throttling that slows a password guesser without locking the owner out.

Failed log-ins are counted per (account, client address) pair and per client address. After a
number of free failures, each further failure makes that pair (or address) wait 2, 4, 8...
seconds before the next try, up to a cap. Nothing is counted per account alone: an attacker
elsewhere cannot stop the owner signing in from their own address, and the emailed reset link
(which signs the person in) always works.

Counters live in Flask-Limiter's storage: Redis when REDIS_URL is set, so every worker and host
sees the same counts and they expire by themselves; in memory (one process) otherwise. A table
would turn each guess into a database write an attacker controls. Emails are hashed in the keys
so the store holds no addresses.
"""

import hashlib
import math
import time

from flask import current_app

from elearn.extensions import limiter

from .registration import normalise_email


def _keys(email: str, address: str) -> list[tuple[str, int]]:
    """(key, free failures) for each counter one attempt touches."""
    config = current_app.config
    account = hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]
    return [(f"login:pair:{account}:{address}", config["LOGIN_FREE_TRIES_PER_PAIR"]),
            (f"login:address:{address}", config["LOGIN_FREE_TRIES_PER_ADDRESS"])]


def _enabled() -> bool:
    return current_app.config.get("RATELIMIT_ENABLED", True)


def wait_seconds(email: str, address: str) -> int:
    """How long this client must wait before trying this account again (0: go ahead)."""
    if not _enabled():
        return 0
    storage = limiter.storage
    waits = [storage.get_expiry(f"{key}:wait") - time.time()
             for key, _free in _keys(email, address) if storage.get(f"{key}:wait") > 0]
    return max([0, *(math.ceil(w) for w in waits if w > 0)])


def record_failure(email: str, address: str) -> None:
    if not _enabled():
        return
    storage = limiter.storage
    config = current_app.config
    for key, free in _keys(email, address):
        failures = storage.incr(f"{key}:failures", config["LOGIN_FAILURE_WINDOW"])
        if failures >= free:
            delay = min(2 ** (failures - free + 1), config["LOGIN_MAX_DELAY"])
            storage.clear(f"{key}:wait")
            storage.incr(f"{key}:wait", delay)


def record_success(email: str, address: str) -> None:
    """The person proved they hold the password: forget this pair's failures."""
    if not _enabled():
        return
    key = _keys(email, address)[0][0]
    limiter.storage.clear(f"{key}:failures")
    limiter.storage.clear(f"{key}:wait")
