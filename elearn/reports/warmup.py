"""Audit the annual report's tables soon after the statistics change, so that the first person
to open the report afterwards does not wait for the disclosure audit.

The audit (stats/disclosure.py) is a pure function of a table's figures; its results are kept
for every worker in the shared store (stats/audit_cache.py). Right after the figures change
nothing is stored for the new tables, and the report of a busy year took 3-7 s to audit them
(bench/report.py), against under a second once stored. `warm_reports` builds the report of the
current and the previous year in English and Spanish (each language sorts its rows by its own
names, which makes different tables), which audits and stores every table the page, the PDF
and the Word document show; the request then only reads the results.

It runs as the scheduled task "warm-reports" (elearn/jobs/schedule.py: every minute, on an RQ
worker when REDIS_URL is set, else in the scheduler's process). Each run first reads a
fingerprint of the statistics (the roll-up's row count and newest row, which a refresh
changes since refreshed facts are written again, and the disclosure settings): when it is the
one last warmed, the run ends after that one query. SQLite may give rewritten rows the very
ids they had, so the fingerprint may miss a change: each report is therefore warmed again
every REWARM_MINUTES whatever it says. A change missed costs the next person the audit's
time, never a wrong figure: the audit's results are keyed by the tables' exact figures.
"""

import logging
import time
from datetime import date

from flask_babel import force_locale
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.stats import audit_cache
from elearn.stats.models import StatsFact
from elearn.stats.services import settings

from .documents import report_outline
from .period import FIRST_YEAR, LAST_YEAR

log = logging.getLogger(__name__)
LANGUAGES = ("en", "es")
REWARM_MINUTES = 15


def years_to_warm(today: date | None = None) -> list[int]:
    """The current year's report and the previous one's, within the work programme."""
    today = today or date.today()
    return [y for y in (today.year, today.year - 1) if FIRST_YEAR <= y <= LAST_YEAR]


def fingerprint() -> list:
    """What changes whenever the report's figures may have changed: one query."""
    count, newest = db.session.execute(
        select(func.count(), func.max(StatsFact.id)).select_from(StatsFact)).one()
    return [count, newest, list(settings()), int(time.time() // (REWARM_MINUTES * 60))]


def warm_reports(years: list[int] | None = None, languages=LANGUAGES) -> int:
    """Audit (and store) the tables of each report not yet warmed for the present figures;
    the number of reports built."""
    built = 0
    marks = fingerprint()
    for year in years_to_warm() if years is None else years:
        for lang in languages:
            done = audit_cache.key_of("report-warmed", [marks, year, lang])
            if audit_cache.lookup(done):
                continue
            with force_locale(lang):
                report_outline(year, lang)
            audit_cache.store(done, True)
            built += 1
    if built:
        log.info("annual report audits warmed: %s report(s)", built)
    return built
