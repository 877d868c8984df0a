"""Browser journeys: Playwright driving Debian's Chromium against the app served on a loopback
port by a real WSGI server in a thread. No browser is downloaded: where /usr/bin/chromium (or
CHROMIUM_PATH) is missing these tests skip, saying how to enable them."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from elearn import create_app
from elearn.extensions import db

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Module scope: Playwright's sync API keeps an asyncio loop running on the main thread while it
# is open, and code under test elsewhere (pyHanko signing) calls asyncio.run(), which refuses
# to start inside a running loop.
@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium not found: install Debian's `chromium` (apt-get install chromium) "
                    "or set CHROMIUM_PATH to run the browser journeys.")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app served over HTTP on 127.0.0.1 (same database and mail server as `app`)."""
    served = create_app(dict(app.config))
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_port}"
    yield served
    server.shutdown()
    with served.app_context():
        db.session.remove()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
