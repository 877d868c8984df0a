"""The demo's outputs: real PDFs (read back with pypdf) on the past events and the diploma's
first edition, a recording link on a session, best practices for I.III.A.4, and one activity
delivered."""

import io
import random

from pypdf import PdfReader
from sqlalchemy import select

from elearn import storage
from elearn.extensions import db
from elearn.outputs import services
from elearn.outputs.models import ActivityStatus, Output, OutputKind, Visibility


def test_demo_outputs(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.courses import demo as courses_demo
    from elearn.events import demo as events_demo
    from elearn.outputs import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(2026)
    for step in (programme_demo, accounts_demo, events_demo, courses_demo):
        step.populate(rng)
        db.session.commit()
    lines = demo.populate(rng)
    db.session.commit()
    assert lines and lines[0].startswith("Outputs:")

    outputs = list(db.session.scalars(select(Output)))
    minutes = [o for o in outputs if o.kind == OutputKind.MINUTES]
    assert len(minutes) >= 3 and all(o.event_id for o in minutes)
    assert all(set(o.title) == {"en", "es", "pt", "fr"} for o in minutes)
    assert minutes[0].title["fr"].startswith("Procès-verbal : ")
    text = PdfReader(io.BytesIO(storage.read(f"outputs/{minutes[0].stored_name}"))).pages[
        0].extract_text()
    assert "Acta" in text and "Relatoría de la Secretaría" in text
    assert all(o.content_type == "application/pdf" and o.size_bytes > 500
               for o in outputs if o.is_file)

    (recording,) = [o for o in outputs if o.kind == OutputKind.RECORDING]
    assert recording.session_id and recording.url.startswith("https://")
    deck = next(o for o in outputs if o.kind == OutputKind.PRESENTATION and o.event_id)
    assert len(PdfReader(io.BytesIO(storage.read(f"outputs/{deck.stored_name}"))).pages) == 4

    edition_outputs = [o for o in outputs if o.edition_id]
    assert {o.edition.name_in("en") for o in edition_outputs} == {"First edition"}
    assert {o.kind for o in edition_outputs} == {OutputKind.PRESENTATION, OutputKind.REPORT}

    (best,) = [o for o in outputs if o.kind == OutputKind.BEST_PRACTICES]
    assert best.activity.path_code == "I.III.A.4" and best.visibility == Visibility.PUBLIC

    (verdict,) = db.session.scalars(select(ActivityStatus))
    rows = {r["path_code"]: r for r in services.activity_progress()}
    assert rows[verdict.activity.path_code]["status"] == "delivered"
    assert rows["I.III.A.4"]["public_outputs"] == 1
    assert rows["I.III.A.2"]["status"] == "in_progress"  # the diploma is running
