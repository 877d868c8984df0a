"""The report's audits warmed after the statistics change (elearn/reports/warmup.py): a fresh
worker then renders the page, the PDF and the Word document without solving any linear
program, and a warm-up with nothing changed builds nothing."""

from datetime import date

from elearn.attendance.models import AttendanceSource, AttendanceStatus
from elearn.attendance.services import record_attendance
from elearn.events.models import AttendanceMode
from elearn.extensions import db
from elearn.jobs.schedule import TASKS
from elearn.reports import warmup
from elearn.stats import disclosure
from elearn.stats.models import DisclosureResult


def _fresh_worker(store: bool = False):
    disclosure._suppress.cache_clear()
    disclosure._suppress_together.cache_clear()
    if store:
        db.session.execute(DisclosureResult.__table__.delete())
        db.session.commit()


def test_the_scheduler_runs_the_warm_up_every_minute():
    task, = (t for t in TASKS if t.name == "warm-reports")
    assert task.path == "elearn.reports.warmup.warm_reports" and task.minutes == 1


def test_years_warmed_are_this_year_and_the_last_within_the_programme():
    assert warmup.years_to_warm(date(2025, 3, 1)) == [2025, 2024]
    assert warmup.years_to_warm(date(2022, 3, 1)) == [2022]
    assert warmup.years_to_warm(date(2027, 1, 5)) == [2026]


def test_after_the_warm_up_a_fresh_worker_audits_nothing(app, client, login, world,
                                                         monkeypatch):
    _fresh_worker(store=True)
    assert warmup.warm_reports([2025]) == 2  # English and Spanish
    assert warmup.warm_reports([2025]) == 0  # nothing changed: nothing built
    _fresh_worker()
    with monkeypatch.context() as patch:
        patch.setattr(disclosure, "_search", _refuse)
        patch.setattr(disclosure, "_search_together", _refuse)
        login(world["manager"])
        for lang in ("es", "en"):
            for path in ("", "/report.pdf", "/report.docx"):
                response = client.get(f"/reports/2025{path}?lang={lang}")
                assert response.status_code == 200, (path, lang)


def test_a_change_of_the_figures_is_warmed_again(app, world, make_user, register):
    _fresh_worker(store=True)
    assert warmup.warm_reports([2025], languages=("es",)) == 1
    event = world["event"]
    person = make_user(gender="woman", country="VE")
    register(event, person)
    record_attendance(event.sessions[0], person, status=AttendanceStatus.PRESENT,
                      mode=AttendanceMode.IN_PERSON, source=AttendanceSource.ROLL_CALL)
    db.session.commit()
    assert warmup.warm_reports([2025], languages=("es",)) == 1
    assert warmup.warm_reports([2025], languages=("es",)) == 0


def _refuse(*_args):
    raise AssertionError("an audit ran: the warm-up left this table cold")
