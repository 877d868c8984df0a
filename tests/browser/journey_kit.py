"""What every journey of issue 13 shares: start at `/`, then only click what is on the screen,
in English or Spanish, on a 1280 px or a 360 px screen; every page reached is checked with axe
(WCAG 2 A/AA, WCAG 2.2 AA and best practices: no serious or critical violation) and for
horizontal scrolling.

Words on buttons and links are looked up in the app's own catalogues (`j._("Register")`), so a
journey in Spanish finds "Inscribirse" exactly as a Spanish reader would, and a missing
translation fails the journey.

    j = Journey(browser, live_server, language="es", width=360)
    j.start()                      # the only typed address: /
    j.click_link("Events")
    j.click_button("Register")
    j.fill("Email", "ana@example.org")
"""

import hashlib
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from babel.support import Translations

TRANSLATIONS = Path(__file__).resolve().parents[2] / "elearn" / "translations"
WIDTHS = {1280: 800, 360: 740}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}
_axe = Axe()
_catalogues: dict[str, Translations] = {}
# Pages already checked with axe in this test process, by the shape of their DOM: the same
# page seen again by another journey (or with other data in the same shape) is not checked
# twice. axe's verdict depends on the elements, their roles, names and classes, which the
# shape keeps; running it on every arrival took several minutes of every CI run.
_axe_checked: dict[str, list[str]] = {}
_SHAPE = """() => {
  const parts = [];
  for (const e of document.querySelectorAll('*')) {
    parts.push(e.tagName + '.' + (e.getAttribute('class') || '') + '#' +
      (e.getAttribute('role') || '') + (e.hasAttribute('aria-label') ? 'L' : '') +
      (e.hasAttribute('alt') ? 'A' : '') + (e.getAttribute('for') || '') + '@' +
      (e.id || '') + '~' + (e.getAttribute('style') || '') + (e.getAttribute('lang') || '') +
      (e.childElementCount === 0 && (e.textContent || '').trim() ? 'T' : ''));
  }
  return parts.join('|');
}"""


def translate(text: str, language: str) -> str:
    if language == "en":
        return text
    if language not in _catalogues:
        _catalogues[language] = Translations.load(str(TRANSLATIONS), [language])
    return _catalogues[language].gettext(text)


def accessibility_problems(page) -> list[str]:
    """Serious and critical axe violations of the page, one line each."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS},
                                      "resultTypes": ["violations"]})
    problems = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") not in BLOCKING:
            continue
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                        f"at {targets}")
    return problems


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - "
                         "document.documentElement.clientWidth")


class Journey:
    """A person in a browser who knows no URL but `/`."""

    def __init__(self, browser, live_server, language="en", width=1280, check=True):
        assert width in WIDTHS, width
        self.base = live_server.url
        self.language = language
        self.width = width
        self.check = check
        self.context = browser.new_context(
            locale={"en": "en-GB", "es": "es-ES"}.get(language, language),
            viewport={"width": width, "height": WIDTHS[width]})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.visited: list[str] = []
        self.problems: dict[str, list[str]] = {}
        self._checked: set[str] = set()

    # --- words ------------------------------------------------------------------------------
    def _(self, text: str) -> str:
        return translate(text, self.language)

    def name(self, text: str | re.Pattern) -> str | re.Pattern:
        return self._(text) if isinstance(text, str) else text

    def in_language(self, what: str, language: str) -> str:
        """The label of one language's input of a multilingual field: "Título (español)"
        (elearn/multilingual_forms.py), e.g. in_language("Title", "Spanish")."""
        return self._("%(what)s (%(language)s)") % {"what": self._(what),
                                                      "language": self._(language)}

    # --- moving -----------------------------------------------------------------------------
    def start(self) -> "Journey":
        self.page.goto(self.base + "/")
        if self.page.locator("html").get_attribute("lang") != self.language:
            # The language form on every page (the browser's own language usually suffices).
            switcher = self.page.locator("form.lang")
            switcher.locator("select").select_option(self.language)
            switcher.get_by_role("button").click()
        self.arrived()
        return self

    def click_link(self, text, within=None, exact=True):
        scope = within if within is not None else self.page
        scope.get_by_role("link", name=self.name(text), exact=exact).first.click()
        self.arrived()

    def click_button(self, text, within=None, exact=True):
        scope = within if within is not None else self.page
        scope.get_by_role("button", name=self.name(text), exact=exact).first.click()
        self.arrived()

    def fill(self, label, value, exact=False):
        self.page.get_by_label(self.name(label), exact=exact).first.fill(value)

    def check_box(self, label, exact=False):
        self.page.get_by_label(self.name(label), exact=exact).first.check()

    def select(self, label, value=None, option_label=None, exact=False):
        field = self.page.get_by_label(self.name(label), exact=exact).first
        if option_label is not None:
            field.select_option(label=option_label)
        else:
            field.select_option(value)

    def text(self) -> str:
        return self.page.locator("main").inner_text()

    def sees(self, text) -> bool:
        wanted = self.name(text)
        body = self.text()
        return bool(wanted.search(body)) if isinstance(wanted, re.Pattern) else wanted in body

    def log_in(self, email: str, password: str) -> None:
        self.click_link("Log in")
        self.fill("Email", email)
        self.fill("Password", password)
        self.click_button("Log in")

    def log_out(self) -> None:
        self.click_button("Log out")

    # --- checks -----------------------------------------------------------------------------
    def arrived(self) -> None:
        """After every click: the page loaded is checked once per path (and width)."""
        self.page.wait_for_load_state("load")
        url = self.page.url
        self.visited.append(url)
        path = re.sub(r"\?.*$", "", url[len(self.base):]) or "/"
        if not self.check or path in self._checked:
            return
        self._checked.add(path)
        shape = hashlib.sha256(
            f"{self.width}|{self.page.evaluate(_SHAPE)}".encode()).hexdigest()
        if shape not in _axe_checked:
            _axe_checked[shape] = accessibility_problems(self.page)
        found = list(_axe_checked[shape])
        overflow = horizontal_overflow(self.page)
        if overflow > 1:
            found.append(f"scrolls sideways by {overflow}px at {self.width}px")
        if found:
            self.problems[path] = found

    def assert_clean(self) -> None:
        """Call at the end of a journey: every page visited was accessible and fitted."""
        assert not self.problems, "\n".join(
            f"{path}:\n  " + "\n  ".join(lines) for path, lines in self.problems.items())

    def close(self) -> None:
        self.context.close()
