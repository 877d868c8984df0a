"""Deleting what outputs belong to (an event, one of its sessions, an edition, a course, an
activity) removes their rows by the database's cascade — and their stored files with them, once
the deletion is committed; a rolled-back deletion keeps both (task answerfiles)."""

import io

from sqlalchemy import func, select

from elearn import uploads
from elearn.courses.models import Course, Edition
from elearn.events.models import Event, EventSession
from elearn.extensions import db
from elearn.outputs.models import Output, OutputKind
from elearn.outputs.services import add_output
from elearn.outputs.services.files import FILES, check_file
from elearn.programme.models import Activity

from .conftest import PDF


def _output(owner, actor, title="Minutes") -> str:
    output = add_output(owner, actor, kind=OutputKind.MINUTES, title_en=title,
                        file=check_file(io.BytesIO(PDF), "acta.pdf"))
    db.session.commit()
    assert uploads.exists(FILES, output.stored_name)
    return output.stored_name


def _rows() -> int:
    return db.session.scalar(select(func.count(Output.id)))


def test_deleting_an_event_removes_its_outputs_files_and_its_sessions(world):
    pm = world.people["programme_manager"]
    of_event = _output(world.event_a, pm)
    of_session = _output(world.session_over, pm)
    of_other_event = _output(world.event_b, pm)
    of_edition = _output(world.edition_a, pm)
    link = add_output(world.event_a, pm, kind=OutputKind.RECORDING, title_en="Recording",
                      url="https://video.example/rec")
    db.session.commit()
    assert link.stored_name is None  # a link has no file: nothing to remove, no error

    db.session.delete(db.session.get(Event, world.event_a.id))
    db.session.commit()

    assert _rows() == 2  # event B's and edition A's
    assert not uploads.exists(FILES, of_event) and not uploads.exists(FILES, of_session)
    assert uploads.exists(FILES, of_other_event) and uploads.exists(FILES, of_edition)


def test_deleting_one_session_removes_only_its_outputs_files(world):
    pm = world.people["programme_manager"]
    of_session = _output(world.session_to_come, pm)
    of_event = _output(world.event_a, pm)
    db.session.delete(db.session.get(EventSession, world.session_to_come.id))
    db.session.commit()
    assert not uploads.exists(FILES, of_session)
    assert uploads.exists(FILES, of_event) and _rows() == 1


def test_deleting_an_edition_or_a_course_removes_their_outputs_files(world):
    pm = world.people["programme_manager"]
    of_a = _output(world.edition_a, pm)
    of_b = _output(world.edition_b, pm)
    of_event = _output(world.event_a, pm)
    db.session.delete(db.session.get(Edition, world.edition_a.id))
    db.session.commit()
    assert not uploads.exists(FILES, of_a) and uploads.exists(FILES, of_b)

    db.session.delete(db.session.get(Course, world.edition_b.course_id))
    db.session.commit()
    assert not uploads.exists(FILES, of_b)
    assert uploads.exists(FILES, of_event) and _rows() == 1


def test_deleting_an_activity_removes_its_outputs_files(world):
    pm = world.people["programme_manager"]
    activity = Activity(project=world.activity.project, code="9", path_code="I.III.A.9",
                        position=9, title_en="Study", title_es="Estudio", year_from=2025)
    db.session.add(activity)
    db.session.commit()
    of_activity = _output(activity, pm)
    of_other = _output(world.activity, pm)
    db.session.delete(activity)
    db.session.commit()
    assert not uploads.exists(FILES, of_activity) and uploads.exists(FILES, of_other)


def test_a_rolled_back_deletion_keeps_the_files(world):
    pm = world.people["programme_manager"]
    stored = _output(world.event_a, pm)
    db.session.delete(db.session.get(Event, world.event_a.id))
    db.session.flush()
    db.session.rollback()
    assert uploads.exists(FILES, stored) and _rows() == 1
    # ...and a later, unrelated commit does not remove them either.
    event = db.session.get(Event, world.event_a.id)
    event.title = {"en": "Renamed"}
    db.session.commit()
    assert uploads.exists(FILES, stored)
