"""With the demo data loaded, every page reachable without parameters answers without a server
error, for a visitor and for an admin, and stays under the page-weight budget (HTML + the CSS and
JS it links: 60 KB) that officials on slow connections need."""

import re

import pytest
from flask import url_for

from elearn.demo import populate

PAGE_BUDGET = 60 * 1024
# Organisers' forms carry the full lists of countries (twice) and of time zones (about 55 KB of
# HTML for a new event): a handful of staff use them, on office connections. Every page a
# participant or visitor sees keeps the 60 KB budget.
STAFF_FORM_BUDGET = 80 * 1024
STAFF_FORMS = ("/organise/",)
# Static URLs carry ?v=<content hash> (elearn/core/static_assets.py).
ASSET = re.compile(rb'(?:href|src)="(/static/[^"?]+\.(?:css|js)(?:\?v=[0-9a-f]+)?)"')


def _parameterless_get_urls(app):
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.arguments or rule.endpoint == "static":
                continue
            urls.append(url_for(rule.endpoint))
    return sorted(set(urls))


def _page_weight(client, response) -> int:
    size = len(response.data)
    for asset in set(ASSET.findall(response.data)):
        size += len(client.get(asset.decode()).data)
    return size


@pytest.fixture
def demo(app):
    populate()
    return app


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_every_simple_page_answers_and_stays_light(demo, client, login, who):
    if who == "admin":
        from elearn.accounts.models import Role, User, UserRole
        from elearn.extensions import db

        admin = db.session.scalar(
            db.select(User).join(UserRole).where(UserRole.role == Role.ADMIN).limit(1)
        )
        login(admin, password=_demo_password())
    failures, heavy = [], []
    for url in _parameterless_get_urls(demo):
        response = client.get(url)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
        elif response.mimetype == "text/html" and response.status_code == 200:
            weight = _page_weight(client, response)
            budget = STAFF_FORM_BUDGET if url.startswith(STAFF_FORMS) else PAGE_BUDGET
            if weight > budget:
                heavy.append((url, weight))
    assert not failures, failures
    assert not heavy, heavy


def _demo_password() -> str:
    from elearn.accounts import demo as accounts_demo

    return accounts_demo.DEMO_PASSWORD
