"""The journey kit itself: the language is changed by the select on screen, words come from the
catalogue, and axe and the sideways-scroll check do report a problem when there is one."""

import pytest

from tests.browser.journey_kit import Journey


@pytest.mark.parametrize("language,width", [("en", 1280), ("es", 360)])
def test_home_in_each_language_and_width(browser, live_server, language, width):
    j = Journey(browser, live_server, language=language, width=width).start()
    assert j.page.locator("html").get_attribute("lang") == language
    assert j.page.get_by_role("link", name=j._("Work programme")).count() >= 1
    j.click_link("Events")
    j.assert_clean()
    j.close()


def test_the_checks_catch_a_broken_page(browser, live_server):
    j = Journey(browser, live_server, width=360).start()
    j.page.evaluate("""() => {
        const img = document.createElement('img'); img.src = 'data:,';
        document.querySelector('main').appendChild(img);
        const wide = document.createElement('div'); wide.style.width = '900px';
        wide.textContent = 'x'; document.querySelector('main').appendChild(wide);
    }""")
    j._checked.clear()
    j.arrived()
    lines = j.problems["/"]
    assert any(line.startswith("image-alt") for line in lines), lines
    assert any("sideways" in line for line in lines), lines
    j.close()
