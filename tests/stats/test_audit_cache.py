"""The disclosure audit's shared store (stats/audit_cache.py): a result is found again only
for the very input and algorithm it was computed for, and the store never decides alone."""

import json

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.stats import audit_cache, disclosure
from elearn.stats.models import DisclosureResult

# Genders as columns, the last row and column totals; small figures to protect.
MATRIX = [[3, 9, 12], [7, 2, 9], [6, 8, 14], [16, 19, 35]]


def _key(matrix=MATRIX, threshold=4, additive=(True, None), keep=frozenset(), algorithm=None):
    return audit_cache.key_of("suppress", (tuple(map(tuple, matrix)), threshold, additive,
                                           keep), algorithm)


def _fresh_worker():
    disclosure._suppress.cache_clear()
    disclosure._suppress_together.cache_clear()


def test_keys_follow_the_exact_input():
    assert _key() == _key()
    assert _key(threshold=5) != _key()
    assert _key(matrix=[[3, 9, 12], [7, 2, 9], [6, 8, 14], [16, 19, 35]]) == _key()
    changed = [[4, 8, 12], [7, 2, 9], [6, 8, 14], [17, 18, 35]]
    assert _key(matrix=changed) != _key()
    assert _key(additive=(False, True)) != _key() != _key(additive=(True, True))
    assert _key(keep=frozenset({(3, 2)})) != _key()
    assert _key(algorithm="an older audit") != _key()
    assert audit_cache.ALGORITHM.startswith(audit_cache.VERSION + ":")


def test_a_result_is_stored_once_and_read_back_by_a_fresh_worker(app):
    with app.app_context():
        _fresh_worker()
        first = disclosure.suppress(MATRIX, 4)
        assert first  # the 3 and the 2 at least
        rows = db.session.scalars(select(DisclosureResult)).all()
        assert [r.key for r in rows] == [_key()]
        assert {tuple(p) for p in json.loads(rows[0].hidden)} == first
        # A fresh worker reads the stored cells: shown by planting a different answer under
        # the same key, which only the store can give back.
        db.session.execute(DisclosureResult.__table__.update().values(
            hidden=json.dumps([[0, 0], [1, 1], [0, 2]])))
        db.session.commit()
        _fresh_worker()
        assert disclosure.suppress(MATRIX, 4) == {(0, 0), (1, 1), (0, 2)}
        _fresh_worker()


def test_entries_of_another_algorithm_or_unreadable_are_never_used(app):
    with app.app_context():
        _fresh_worker()
        expected = disclosure.suppress(MATRIX, 4)
        db.session.execute(DisclosureResult.__table__.delete())
        # An older algorithm's entry for the same table hides nothing: never read.
        audit_cache.store(_key(algorithm="0:older"), [])
        _fresh_worker()
        assert disclosure.suppress(MATRIX, 4) == expected
        for bogus in ([[0, 0], [9, 9]], [[0]], {"cells": []}, "x"):  # not cells of it
            db.session.execute(DisclosureResult.__table__.update().where(
                DisclosureResult.key == _key()).values(hidden=json.dumps(bogus)))
            db.session.commit()
            _fresh_worker()
            assert disclosure.suppress(MATRIX, 4) == expected
        _fresh_worker()


def test_linked_tables_are_stored_and_read_back(app):
    attended = [[2, 8, 10], [5, 1, 6], [7, 9, 16]]
    registered = [[3, 9, 12], [7, 2, 9], [10, 11, 21]]
    links = [((0, i, j), (1, i, j)) for i in range(3) for j in range(3)]
    tables = [(attended, True, True), (registered, True, True)]
    with app.app_context():
        _fresh_worker()
        first = disclosure.suppress_together(tables, 4, links)
        stored = db.session.scalar(select(func.count()).select_from(DisclosureResult))
        assert stored == 3  # each table alone, then the two together
        _fresh_worker()
        assert disclosure.suppress_together(tables, 4, links) == first
        _fresh_worker()


def test_the_store_is_bounded(app, monkeypatch):
    monkeypatch.setattr(audit_cache, "MAX_ENTRIES", 3)
    with app.app_context():
        for n in range(5):
            audit_cache.store(f"{n:064d}", [[0, n]])
        assert db.session.scalar(select(func.count()).select_from(DisclosureResult)) == 3


def test_outside_an_application_the_audit_runs_alone():
    from flask import has_app_context

    assert not has_app_context()
    _fresh_worker()
    assert disclosure.suppress(MATRIX, 4) == disclosure._search(
        (tuple(map(tuple, MATRIX)), 4, (True, None), frozenset()))
    _fresh_worker()


def test_switched_off_nothing_is_stored(app):
    app.config["DISCLOSURE_CACHE"] = False
    try:
        _fresh_worker()
        assert disclosure.suppress(MATRIX, 4)
        assert db.session.scalar(select(func.count()).select_from(DisclosureResult)) == 0
    finally:
        app.config["DISCLOSURE_CACHE"] = True
        _fresh_worker()


def test_redis_when_configured(app):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url("redis://localhost:6379/0")
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on localhost")
    matrix = [[1, 11, 12], [8, 3, 11], [9, 14, 23]]
    key = audit_cache.REDIS_PREFIX + _key(matrix=matrix)
    connection.delete(key)
    app.config["REDIS_URL"] = "redis://localhost:6379/0"
    try:
        with app.app_context():
            _fresh_worker()
            hidden = disclosure.suppress(matrix, 4)
            assert {tuple(p) for p in json.loads(connection.get(key))} == hidden
            assert 0 < connection.ttl(key) <= audit_cache.EXPIRY
            assert db.session.scalar(select(func.count()).select_from(DisclosureResult)) == 0
    finally:
        app.config["REDIS_URL"] = None
        connection.delete(key)
        _fresh_worker()
