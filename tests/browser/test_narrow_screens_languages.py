"""Every page on a 360 px phone in French and in Portuguese (issue 18.4): the longest labels of
those languages must wrap, never push the page sideways.

The access matrix's world (tests/core/access_world.py: events, a course edition with lessons and
a quiz, a hackathon, certificates, statistics, forms, outputs) is built once; every GET route of
the matrix that answers an HTML page is visited once per language, as the first of these people
who may see it: a visitor, the participant, the organiser, the instructor, the programme
manager, the admin. Each page must fit: the document no wider than the screen, and no element
reaching past either edge of it, except inside a wrapper that scrolls on its own (a wide table
in .table-wrap). Visually hidden elements (the skip link, screen-reader text) do not count.

NARROW_PNG_DIR=/some/dir keeps a screenshot of every page (overflow-* for those that failed).
"""

import os
import re

import pytest
from flask import url_for

from elearn.accounts.models import User
from elearn.extensions import db
from tests.browser.journey_kit import translate
from tests.conftest import PASSWORD
from tests.core.access_matrix import (
    BLUEPRINT_ARGS,
    DEFAULT_ARGS,
    IGNORED_ENDPOINTS,
    LITERAL_ARGS,
    MATRIX,
)
from tests.core.access_world import build

WIDTH = 360
PEOPLE = ("anonymous", "owner", "organiser_a", "instructor_a", "programme_manager", "admin")
# Routes that are no page to look at: they act (log out), or only send elsewhere.
SKIPPED = {"accounts.logout"}
PNG_DIR = os.environ.get("NARROW_PNG_DIR")
# Long words of the kind French and Portuguese readers type in names, institutions and
# addresses: (full name, institution, email).
LONG_WORDS = {
    "owner": ("Maria-Conceição Albuquerque-Vasconcelos de Desembargadora-Figueiredo",
              "Secretaria-Executiva do Ministério do Desenvolvimento, Indústria, Comércio e "
              "Serviços", "maria.conceicao.albuquerquevasconcelos@desenvolvimento.gov.br"),
    "organiser_a": ("Jean-Christophe Anticonstitutionnellement-Deschamps",
                    "Direction générale de la Planification et de la Coopération externe",
                    "jeanchristophe.anticonstitutionnellement@planification.gouv.ht")}

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  if (document.documentElement.scrollWidth > width + 1)
    found.push('the page is ' + document.documentElement.scrollWidth + 'px wide');
  const scrolls = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const hidden = (e) => {
    const r = e.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= 0) return true;  // skip link, sr-only
    const s = getComputedStyle(e);
    return s.visibility === 'hidden' || (s.clip && s.clip !== 'auto');
  };
  const past = new Map();  // element -> the box (its own, or its text's) past the edge
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if ((r.right > width + 1 || r.left < -1) && !hidden(e) && !scrolls(e)) past.set(e, r);
  }
  // Text running out of its box (a word too long to wrap) leaves the box itself in place.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const e = t.parentElement;
    if (!t.textContent.trim() || !e || past.has(e) || hidden(e) || scrolls(t)) continue;
    const range = document.createRange();
    range.selectNodeContents(t);
    const r = range.getBoundingClientRect();
    if (r.width && (r.right > width + 1 || r.left < -1)) past.set(e, r);
  }
  for (const [e, r] of past) {
    if (past.has(e.parentElement)) continue;  // its container is reported already
    const classes = typeof e.className === 'string' ? e.className.trim() : '';
    const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (classes ? '.' + classes.split(/\\s+/).join('.') : '');
    found.push(name + ' spans ' + Math.round(r.left) + '..' + Math.round(r.right) + 'px: "' +
      (e.innerText || e.value || '').trim().slice(0, 50).replace(/\\s+/g, ' ') + '"');
  }
  return found;
}"""


@pytest.fixture
def app_config(app_config, tmp_path):
    app_config.update(COURSE_FILES_DIR=str(tmp_path / "course_files"),
                      HACKATHON_UPLOAD_DIR=str(tmp_path / "hackathon_files"),
                      OUTPUTS_DIR=str(tmp_path / "outputs"),
                      FORM_FILES_DIR=str(tmp_path / "form_files"))
    return app_config


def _cases(entry):
    if isinstance(entry, dict):
        return [({}, entry)]
    if isinstance(entry, tuple):
        return [entry]
    return entry


def _url(app, endpoint: str, overrides: dict, world) -> str:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
    wanted = set().union(*(r.arguments for r in rules))
    names = dict(DEFAULT_ARGS, **BLUEPRINT_ARGS.get(endpoint.split(".")[0], {}))
    args = {name: names[name] for name in wanted if name in names}
    args.update(overrides)
    if endpoint == "stats.dashboard" and not overrides:
        args = {}
    args = {name: world[value] if isinstance(value, str) and name not in LITERAL_ARGS
            and value in world else value for name, value in args.items()}
    with app.test_request_context():
        return url_for(endpoint, **args)


def _client(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/login", data={"email": world.people[role].email,
                                               "password": PASSWORD})
        assert response.status_code in (302, 303), f"{role} could not log in"
    return client


def pages(app, world) -> dict[str, list[str]]:
    """role -> the HTML pages (paths) that role is the first of PEOPLE to see."""
    routes = {}
    for rule in app.url_map.iter_rules():
        routes.setdefault(rule.endpoint, set()).update(rule.methods)
    clients = {role: _client(app, world, role) for role in PEOPLE}
    found: dict[str, list[str]] = {role: [] for role in PEOPLE}
    seen = set()
    for endpoint, entry in sorted(MATRIX.items()):
        if endpoint in IGNORED_ENDPOINTS or endpoint in SKIPPED or "GET" not in routes.get(
                endpoint, ()):
            continue
        for overrides, expect in _cases(entry):
            overrides = dict(overrides)
            if overrides.pop("method", "GET") != "GET":
                continue
            role = next((r for r in PEOPLE if expect.get(r) == "ok"), None)
            if role is None:
                continue
            try:
                url = _url(app, endpoint, overrides, world)
            except Exception:  # noqa: BLE001 - an entry for a route another branch renamed
                continue
            if url in seen:
                continue
            seen.add(url)
            response = clients[role].get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                found[role].append(url)
    return found


def _log_in(page, base: str, person: User) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", person.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, f"{person.email} could not log in"


def _shot(page, language: str, path: str, label: str) -> None:
    if PNG_DIR:
        os.makedirs(PNG_DIR, exist_ok=True)
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"
        page.screenshot(path=os.path.join(PNG_DIR, f"{label}-{language}-{name}.png"),
                        full_page=True)


def test_the_check_sees_what_pushes_a_page_sideways(page, live_server):
    page.set_viewport_size({"width": WIDTH, "height": 740})
    page.goto(live_server.url + "/")
    assert page.evaluate(OVERFLOW) == []
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
      '<div class="table-wrap"><table><tr><td>' + 'x'.repeat(200) + '</td></tr></table></div>')""")
    assert page.evaluate(OVERFLOW) == []  # a wide table in its scrolling wrapper is fine
    # Words that may not wrap (the page's CSP refuses inline styles: a class that says so).
    page.evaluate("""() => document.querySelector('main').insertAdjacentHTML('beforeend',
      '<p id="long" class="join-code">' + 'Anticonstitutionnellement '.repeat(4) + '</p>')""")
    found = page.evaluate(OVERFLOW)
    assert any(line.startswith("p#long.join-code spans") for line in found), found
    assert any("the page is" in line for line in found), found


def test_every_page_fits_a_360px_screen_in_french_and_portuguese(app, browser, live_server):
    for language in ("fr", "pt"):  # English labels would prove nothing
        assert translate("Log in", language) != "Log in", "run `make translations-compile`"
    world = build({})
    for role, (name, institution, email) in LONG_WORDS.items():
        person = world.people[role]
        person.full_name, person.institution, person.email = name, institution, email
    db.session.commit()
    found = pages(app, world)
    assert sum(len(paths) for paths in found.values()) > 60, found  # the world is all there
    problems, shown = {}, {True: 0, False: 0}
    for language in ("fr", "pt"):
        for person in world.people.values():
            person.preferred_language = language
        db.session.commit()
        for role, paths in found.items():
            context = browser.new_context(locale={"fr": "fr-FR", "pt": "pt-BR"}[language],
                                          viewport={"width": WIDTH, "height": 740})
            page = context.new_page()
            page.set_default_timeout(15_000)
            if role != "anonymous":
                _log_in(page, live_server.url, world.people[role])
            for path in paths:
                page.goto(live_server.url + path, wait_until="load")
                # A few pages speak the language of what they show (a certificate's
                # achievement page): checked all the same.
                shown[page.locator("html").get_attribute("lang") == language] += 1
                wrong = page.evaluate(OVERFLOW)
                if wrong:
                    problems[f"{language} {role} {path}"] = wrong
                _shot(page, language, path, "overflow" if wrong else "fits")
            context.close()
    assert shown[True] > 10 * shown[False], shown  # the pages were in French and Portuguese
    assert not problems, "\n".join(f"{where}:\n  " + "\n  ".join(lines)
                                   for where, lines in problems.items())
