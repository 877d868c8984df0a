"""The demo's next hybrid meeting asks registration questions and its registrants answered
them: an organiser trying the demo finds answers, a filter and a sensitive question."""

import random

from sqlalchemy import select

from elearn.events.models import Event, Registration
from elearn.extensions import db
from elearn.forms import reading


def test_the_demo_meeting_has_answered_registration_questions(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.events import demo, demo_questions
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    for step in (programme_demo, accounts_demo, demo, demo_questions):
        step.populate(rng)
        db.session.commit()
    event = db.session.scalar(select(Event).where(Event.registration_form_id.is_not(None)))
    assert event is not None and event.starts_at is not None
    regs = list(db.session.scalars(select(Registration).where(Registration.event_id == event.id)))
    assert regs and all(r.form_response_id for r in regs)
    form = event.registration_form
    sensitive = [q.key for q in form.current_version.questions if q.sensitive]
    assert sensitive == ["accessibility"]
    # Interpretation asked into Portuguese, French or English only of those who said yes.
    table = reading.values([r.form_response_id for r in regs], "en", with_sensitive=False)
    for values in table.values():
        assert "accessibility" not in values
        assert ("interpretation_language" in values) == (values["interpretation"] == "Yes")
    assert {v["delegation_role"] for v in table.values()} <= {
        "Head of delegation", "Delegate", "Technical adviser", "Observer"}
