"""Benchmark: the results page of a survey with 5,000 responses x 20 questions (issue 16,
point 6), on SQLite.

The survey (8 ratings, 4 single-choice, 3 multiple-choice, 3 yes/no, 2 open questions;
gender, country, sub-region and mode shared by most people) is bulk-inserted past the ORM
(executemany), about 110,000 answers. Then, through the test client, logged in as the
event's organiser: the results page first (cold: the disclosure audit's cache empty, highspy
not yet imported), then best and median of 7 renders by gender and by country while the
survey is OPEN (every render counts the answers in SQL), then the same once it is CLOSED (its
tallies are counted once and kept, results._tallies), against /health in the same run and
process (the ratio says what the machine does not); the SQL statements of one render are
counted with an engine listener (they must not grow with the responses: BENCH_RESPONSES=1000
gives the same count). Target: < 300 ms per render.

    .venv/bin/python bench/surveys.py            # BENCH_RESPONSES=5000 by default

Findings (the machine is shared: 2 cores at a load average of 3-10 during these runs, so
wall times are 1.5-3 times the CPU time; CPU times by time.process_time are given where the
load made wall times useless):
- first version (one GROUP BY per dimension joined to the questions, nine scans of the
  answers): median 5.2-5.7 s per render, about 25 statements;
- second (both answers' GROUP BYs by question id, option id, number, text and the four
  dimensions at once): 18 statements; median 0.51-0.71 s, best 0.51-0.66 s (/health ratio
  1185-1285x), render 327-341 ms CPU. cProfile of one render: tallies 80 % (SQLite 290 ms of
  it, Python adding 12,000 rows up 60 ms), Jinja 45 ms. EXPLAIN QUERY PLAN: survey_response by
  ix_survey_response_survey_id, form_answer by ix_form_answer_response_id plus a table lookup
  per answer, "USE TEMP B-TREE FOR GROUP BY" over 108,000 rows. Timed apart (CPU): the join
  alone 30 ms; GROUP BY question, option, number 66 ms; + gender 90 ms; + the four dimensions
  170 ms; + text 184 ms: the cost is SQLite's sorter, about 25 ms per column, strings dearest.
  A bigger cache_size or temp_store=MEMORY changed nothing (the sort does not spill);
- now (results_queries.tallies): a CTE numbers each response's combination of the four
  dimensions (dense_rank, a few hundred at most) and the answers are grouped by that integer,
  question, option and number (text only for country questions): 93 ms instead of 184 ms for
  the closed questions; the people answering multiple-choice and open questions, and the
  dimensions of each combination, are two more parts of the same statement (one snapshot: the
  numbers agree even while answers arrive): 17 statements. "question_id + 0" keeps SQLite
  from reading the answers through the question index and looking each up in the CTE (1.1 s).
  The covering index form_answer(response_id, question_id, option_id, number) (migration
  h16_answer_index, replacing ix_form_answer_response_id) saves the table lookups: statement
  168 -> 141 ms CPU. The suggested (question_id, response_id, ...) order was refuted: the
  planner then seeks each (response, question) pair, 2.5 times slower, or with "+ 0" does not
  use it at all. Render: 204-208 ms CPU against 327-341 ms before (same data, same run);
  wall time, open survey: median 564-683 ms, best 480-600 ms (ratio 750-1050x) at a load of
  8.5-10, so NOT under 300 ms on this machine while the survey is open;
- a closed survey takes no more answers, so its tallies are kept per application, keyed by
  its closing time, form version, questions asked and number of responses (erasure lowers it;
  reopening clears the closing time): closed survey median 101-149 ms, best 89-142 ms (ratio
  134-229x), XLSX 179-210 ms: the target is met for the case results are read in. The first
  render after closing (each worker) pays the open-survey cost once;
- the statistics' disclosure audit (linear programs for every question by every dimension)
  costs only on the first render of given figures: suppress() caches by matrix.
"""

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime

# The script's own folder must not shadow the standard library (bench/calendar.py exists).
sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from sqlalchemy import event, insert, select  # noqa: E402

RESPONSES = int(os.environ.get("BENCH_RESPONSES", "5000"))
PASSWORD = "bench-password-123"
GENDERS = ["woman"] * 46 + ["man"] * 40 + ["non_binary"] * 2 + ["another"] * 1 + \
    ["prefer_not_to_say"] * 4 + [None] * 7
COUNTRIES = {"VE": "south_america", "CO": "south_america", "BR": "south_america",
             "AR": "south_america", "PE": "south_america", "MX": "mexico",
             "GT": "central_america", "CR": "central_america", "PA": "central_america",
             "JM": "caribbean", "TT": "caribbean", "BB": "caribbean"}


def definition() -> dict:
    def options(key, n):
        return [{"key": f"{key}{k}", "label": {"en": f"Option {k} of {key}"}}
                for k in range(n)]

    questions = [{"key": "satisfaction", "type": "rating", "text": {"en": "Overall"},
                  "settings": {"low": {"en": "Very poor"}, "high": {"en": "Excellent"}}}]
    questions += [{"key": f"rate{n}", "type": "rating", "text": {"en": f"Aspect {n}"}}
                  for n in range(1, 8)]
    questions += [{"key": f"single{n}", "type": "single_choice", "text": {"en": f"Pick {n}"},
                   "options": options(f"s{n}_", 4)} for n in range(4)]
    questions += [{"key": f"multi{n}", "type": "multiple_choice", "text": {"en": f"Many {n}"},
                   "options": options(f"m{n}_", 4)} for n in range(3)]
    questions += [{"key": f"yes{n}", "type": "yes_no", "text": {"en": f"Agree {n}?"}}
                  for n in range(3)]
    questions += [{"key": f"open{n}", "type": "long_text", "text": {"en": f"Say {n}"}}
                  for n in range(2)]
    return {"title": {"en": "Bench evaluation"}, "sections": [{"questions": questions}]}


def build(db, rng: random.Random) -> tuple[int, str, int]:
    from elearn.accounts.models import Role, User, UserRole
    from elearn.accounts.services.passwords import hash_password
    from elearn.events.models import Event, EventKind, EventMode, EventOrganiser, EventStatus
    from elearn.forms.building import from_definition
    from elearn.forms.models import FormAnswer, FormPurpose, FormResponse, QuestionType
    from elearn.surveys.models import Survey, SurveyInvitation, SurveyResponse, SurveyStatus

    now = datetime.now(UTC)
    organiser = User(email="organiser@bench.example.org", full_name="Bench Organiser",
                     password_hash=hash_password(PASSWORD), email_confirmed_at=now)
    organiser.roles.append(UserRole(role=Role.ORGANISER))
    ev = Event(kind=EventKind.WORKSHOP, mode=EventMode.HYBRID, timezone="UTC",
               title_en="Bench workshop", status=EventStatus.COMPLETED, starts_at=now,
               ends_at=now)
    db.session.add_all([organiser, ev])
    db.session.flush()
    db.session.add(EventOrganiser(event_id=ev.id, user_id=organiser.id))
    form = from_definition(definition(), FormPurpose.SURVEY, "event", ev.id)
    survey = db.session.scalar(select(Survey).where(Survey.owner_kind == "event",
                                                    Survey.owner_id == ev.id))
    if survey is None:  # the surveys' hook makes one with the event
        survey = Survey(form_id=form.id, owner_kind="event", owner_id=ev.id)
        db.session.add(survey)
    survey.form_id, survey.anonymous, survey.status = form.id, True, SurveyStatus.OPEN
    db.session.flush()
    version = form.current_version
    people = [{"email": f"p{n}@bench.example.org", "full_name": f"Participant {n}",
               "preferred_language": "en", "session_version": 1, "is_active_account": True,
               "created_at": now} for n in range(int(RESPONSES * 1.2))]
    db.session.execute(insert(User), people)
    user_ids = db.session.scalars(select(User.id).where(User.email.like("p%@bench%"))).all()
    db.session.execute(insert(SurveyInvitation), [
        {"survey_id": survey.id, "user_id": u, "token_hash": uuid.uuid4().hex * 2,
         "answered": k < RESPONSES, "invited_at": now} for k, u in enumerate(user_ids)])
    ids = [uuid.uuid4().hex for _ in range(RESPONSES)]
    db.session.execute(insert(FormResponse), [{"id": i, "version_id": version.id}
                                              for i in ids])
    dims = []
    for i in ids:
        country = rng.choice([*COUNTRIES, None])
        dims.append({"id": i, "survey_id": survey.id, "gender": rng.choice(GENDERS),
                     "country": country, "subregion": COUNTRIES.get(country),
                     "mode": rng.choice(["in_person", "online", None])})
    db.session.execute(insert(SurveyResponse), dims)
    answers = []
    for i in ids:
        for q in version.questions:
            if q.type is QuestionType.RATING:
                answers.append({"response_id": i, "question_id": q.id,
                                "number": float(rng.choices([1, 2, 3, 4, 5],
                                                            [3, 7, 20, 40, 30])[0])})
            elif q.type is QuestionType.SINGLE_CHOICE:
                answers.append({"response_id": i, "question_id": q.id,
                                "option_id": rng.choice(q.options).id})
            elif q.type is QuestionType.MULTIPLE_CHOICE:
                for option in rng.sample(q.options, rng.randint(1, 3)):
                    answers.append({"response_id": i, "question_id": q.id,
                                    "option_id": option.id})
            elif q.type is QuestionType.YES_NO:
                answers.append({"response_id": i, "question_id": q.id,
                                "number": float(rng.random() < 0.8)})
            elif rng.random() < 0.3:
                answers.append({"response_id": i, "question_id": q.id,
                                "text": f"Suggestion {rng.randrange(10**6)}"})
    db.session.execute(insert(FormAnswer), answers)
    db.session.commit()
    return survey.id, organiser.email, len(answers)


def timed(fn, repeat=7):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times)


def main():
    from elearn import create_app
    from elearn.extensions import db
    from elearn.surveys.models import Survey, SurveyStatus

    with tempfile.TemporaryDirectory() as folder:
        url = "sqlite:///" + os.path.join(folder, "bench.db")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                          "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                          "MAIL_SERVER": None, "SERVER_NAME": None})
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            survey_id, email, answers = build(db, random.Random(16))
            print(f"built {RESPONSES} responses x 20 questions ({answers} answers) in "
                  f"{time.perf_counter() - started:.1f} s (SQLite)")
            client = app.test_client()
            client.post("/login", data={"email": email, "password": PASSWORD})
            page = f"/surveys/{survey_id}/results"

            def get(path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            statements = []
            listener = lambda *args: statements.append(1)  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            started = time.perf_counter()
            body = get(page).data
            cold = (time.perf_counter() - started) * 1000
            event.remove(db.engine, "before_cursor_execute", listener)
            print(f"results page, first render (audit cache empty): {cold:.0f} ms, "
                  f"{len(statements)} SQL statements, {len(body) // 1024} KB HTML")
            health = timed(lambda: get("/health"))
            # Open first: every render counts the answers (the SQL aggregates themselves);
            # then closed, as results are mostly read: the tallies are counted once and kept.
            for state in ("open", "closed"):
                if state == "closed":
                    survey = db.session.get(Survey, survey_id)
                    survey.status, survey.closed_at = SurveyStatus.CLOSED, datetime.now(UTC)
                    db.session.commit()
                for by in ("gender", "country"):
                    median, best = timed(lambda by=by: get(f"{page}?by={by}"))
                    print(f"{state} survey, results by {by}: median {median:.0f} ms "
                          f"(best {best:.0f} ms); /health median {health[0]:.2f} ms; "
                          f"ratio {median / health[0]:.0f}x; target < 300 ms: "
                          f"{'met' if median < 300 else 'NOT met'}")
            median, _best = timed(lambda: get(f"{page}.xlsx"), 3)
            print(f"results XLSX: median {median:.0f} ms")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
