"""What a web worker does once, before its first request, instead of during it.

A fresh gunicorn worker (after a deploy, a restart, or `max_requests` recycling it) spent
~390 ms of CPU on its first registration, against ~9 ms for the next ones: SQLAlchemy
configuring every mapper (~210 ms, whatever the request), Jinja compiling the page layout and
the mails, and Babel loading the language's date formats (bench/registration.py). In a rush,
every worker paid that while people waited.

Called by wsgi.py, the production entry point, so a worker is warm before it accepts a
connection (with GUNICORN_PRELOAD=1, once in the master before the fork). The tests build many
apps and leave it out.
"""

import gc

from babel import localedata
from sqlalchemy.orm import configure_mappers

# Every page extends the layout; every registration, cancellation and promotion sends a mail.
WARM_TEMPLATES = ("base.html", "error.html")
WARM_TEMPLATE_FOLDERS = ("email/", "macros/")


def warm_up(app) -> None:
    configure_mappers()
    for name in app.jinja_env.list_templates():
        if name in WARM_TEMPLATES or name.startswith(WARM_TEMPLATE_FOLDERS):
            app.jinja_env.get_template(name)
    # The default language's dates and numbers (~50 ms to load); the other languages' (~2.5 MB
    # each) only where someone asks for them.
    localedata.load(app.config.get("BABEL_DEFAULT_LOCALE") or "en")
    # What start-up built lives as long as the worker: out of the collector's sight, a full
    # collection scans what requests made (~200,000 objects fewer), ~0.4 ms a page.
    gc.freeze()
