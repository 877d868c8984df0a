"""Who sees which output, and who may add or remove them: every visibility against every role,
through the pages and the download itself (permission re-checked there)."""

import io

import pytest
from sqlalchemy import select

from elearn import storage
from elearn.audit.models import AuditRecord
from elearn.extensions import db
from elearn.outputs import services
from elearn.outputs.models import Output, OutputKind, Visibility
from elearn.outputs.services import files

from .conftest import PDF

ROLES = ("anonymous", "owner", "other", "organiser_a", "organiser_b", "instructor_a",
         "instructor_b", "programme_manager")
# Who sees an output of event A / edition A of each visibility (anonymous included).
EVENT_SEES = {
    Visibility.PUBLIC: set(ROLES),
    Visibility.PARTICIPANTS: {"owner", "organiser_a", "programme_manager"},
    Visibility.ORGANISERS: {"organiser_a", "programme_manager"},
}
EDITION_SEES = {
    Visibility.PUBLIC: set(ROLES),
    Visibility.PARTICIPANTS: {"owner", "instructor_a", "programme_manager"},
    Visibility.ORGANISERS: {"instructor_a", "programme_manager"},
}


def _checked(data=PDF, name="minutes.pdf"):
    return files.check_file(io.BytesIO(data), name)


def _add(owner, actor, visibility, **fields):
    fields.setdefault("file", _checked())
    output = services.add_output(owner, actor, kind=fields.pop("kind", OutputKind.MINUTES),
                                 title_en=fields.pop("title_en", f"Minutes {visibility.value}"),
                                 visibility=visibility, **fields)
    db.session.commit()
    return output


def _client(app, login_as, role, world):
    client = app.test_client()
    if role != "anonymous":
        login_as(client, world.people[role])
    return client


@pytest.fixture
def login_as():
    from tests.conftest import PASSWORD

    def do(client, user):
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code in (302, 303)

    return do


@pytest.mark.parametrize("owner_name,sees", [("event_a", EVENT_SEES), ("edition_a", EDITION_SEES)])
def test_each_visibility_for_each_role(app, world, login_as, owner_name, sees):
    owner = getattr(world, owner_name)
    outputs = {v: _add(owner, world.people["programme_manager"], v) for v in Visibility}
    page = (f"/events/{owner.id}" if owner_name == "event_a"
            else f"/courses/editions/{owner.id}")
    for role in ROLES:
        client = _client(app, login_as, role, world)
        html = client.get(page).get_data(as_text=True)
        for visibility, output in outputs.items():
            allowed = role in sees[visibility]
            response = client.get(f"/outputs/{output.id}/file")
            where = f"{role} {visibility.value}"
            if allowed:
                assert response.status_code == 200, where
                assert response.data == PDF, where
                assert "attachment" in response.headers["Content-Disposition"], where
                assert output.title["en"] in html, where
            else:
                expected = (302,) if role == "anonymous" else (404,)
                assert response.status_code in expected, where
                assert output.title["en"] not in html, where


def test_size_and_type_shown_before_download(app, client, world):
    _add(world.event_a, world.people["organiser_a"], Visibility.PUBLIC,
         file=_checked(PDF + b"x" * (1024 * 1024 + 300 * 1024), "minutes.pdf"))
    html = client.get(f"/events/{world.event_a.id}").get_data(as_text=True)
    assert "(PDF, 1.3 MB)" in html


def test_draft_event_shows_nothing_to_the_public(app, client, world):
    from elearn.events.models import EventStatus

    output = _add(world.event_a, world.people["organiser_a"], Visibility.PUBLIC)
    world.event_a.status = EventStatus.DRAFT
    db.session.commit()
    assert client.get(f"/outputs/{output.id}/file").status_code == 302  # log in: maybe staff


@pytest.mark.parametrize("role,owner_type,owner_name,expected", [
    ("organiser_a", "event", "event_a", 200), ("organiser_b", "event", "event_a", 403),
    ("instructor_a", "edition", "edition_a", 200), ("instructor_b", "edition", "edition_a", 403),
    ("organiser_a", "edition", "edition_a", 403), ("instructor_a", "event", "event_a", 403),
    ("owner", "event", "event_a", 403), ("other", "activity", "activity", 403),
    ("organiser_a", "activity", "activity", 403),
    ("programme_manager", "activity", "activity", 200),
    ("programme_manager", "event", "event_b", 200),
    ("programme_manager", "edition", "edition_b", 200),
])
def test_who_manages(app, world, login_as, role, owner_type, owner_name, expected):
    client = _client(app, login_as, role, world)
    owner = getattr(world, owner_name)
    assert client.get(f"/outputs/{owner_type}/{owner.id}").status_code == expected


def test_anonymous_is_sent_to_log_in_to_manage(app, client, world):
    response = client.get(f"/outputs/event/{world.event_a.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_organiser_uploads_and_removes_and_the_file_goes(app, world, login_as):
    client = _client(app, login_as, "organiser_a", world)
    response = client.post(f"/outputs/event/{world.event_a.id}", data={
        "attach_to": "", "kind": "minutes", "title_en": "Minutes of day 1",
        "title_es": "Acta del día 1", "language": "es", "published_on": "2026-03-01",
        "visibility": "public", "url": "",
        "file": (io.BytesIO(PDF), "<script>alert(1)</script>acta.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    output = db.session.scalar(select(Output))
    assert output.event_id == world.event_a.id and output.size_bytes == len(PDF)
    assert output.content_type == "application/pdf"
    assert "<" not in output.file_name and output.file_name.endswith(".pdf")
    assert storage.read(f"outputs/{output.stored_name}") == PDF
    added = db.session.scalar(select(AuditRecord).where(AuditRecord.action == "output.added"))
    assert added.actor_id == world.people["organiser_a"].id
    assert added.after["title"] == {"en": "Minutes of day 1", "es": "Acta del día 1"}

    other = _client(app, login_as, "organiser_b", world)
    assert other.post(f"/outputs/{output.id}/delete").status_code == 403
    assert files.exists(output.stored_name)

    stored, output_id = output.stored_name, output.id
    response = client.post(f"/outputs/{output_id}/delete")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Output, output_id) is None
    assert not files.exists(stored)
    deleted = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "output.deleted"))
    assert deleted.before["file_name"].endswith(".pdf") and deleted.before["visibility"] == "public"
    assert deleted.subject_id == str(output_id)


def test_recording_of_a_session_appears_in_the_agenda_once_it_ended(app, client, world):
    organiser = world.people["organiser_a"]
    for session, title in ((world.session_over, "Day one video"),
                           (world.session_to_come, "Day two video")):
        services.add_output(session, organiser, kind=OutputKind.RECORDING, title_en=title,
                            url=f"https://video.example/{session.id}",
                            visibility=Visibility.PUBLIC)
    db.session.commit()
    html = client.get(f"/events/{world.event_a.id}").get_data(as_text=True)
    agenda = html.split('id="outputs-h"')[0]
    assert "Day one video" in agenda and f"https://video.example/{world.session_over.id}" in html
    assert "Day two video" not in html  # not over yet: nowhere for the public


def test_participant_finds_their_materials_on_their_own_page(app, world, login_as):
    _add(world.event_a, world.people["organiser_a"], Visibility.PARTICIPANTS,
         title_en="Participants' pack")
    _add(world.event_b, world.people["organiser_b"], Visibility.PUBLIC, title_en="B's deck")
    owner = _client(app, login_as, "owner", world)
    html = owner.get("/events/mine").get_data(as_text=True)
    assert "Participants&#39; pack" in html and "B&#39;s deck" not in html
    other = _client(app, login_as, "other", world)
    assert "Participants&#39; pack" not in other.get("/events/mine").get_data(as_text=True)
    course = owner.get(f"/courses/editions/{world.edition_a.id}/learn")
    assert course.status_code == 200


def test_public_outputs_on_the_activity_page(app, client, world):
    _add(world.event_a, world.people["organiser_a"], Visibility.PUBLIC, title_en="Open deck")
    _add(world.edition_a, world.people["instructor_a"], Visibility.PARTICIPANTS,
         title_en="Closed notes")
    _add(world.activity, world.people["programme_manager"], Visibility.PUBLIC,
         kind=OutputKind.BEST_PRACTICES, title_en="Compilation")
    html = client.get(f"/programme/activities/{world.activity.path_code}").get_data(
        as_text=True)
    assert "Open deck" in html and "Compilation" in html and "Closed notes" not in html
    assert "Compilation of best practices" in html  # the kind's label


@pytest.mark.parametrize("path", [
    "/outputs/99999999999999999999/file", "/outputs/2147483647/file",
    "/outputs/event/99999999999999999999", "/outputs/nonsense/1", "/outputs/-1/file",
    "/programme/activities/2147483647/status",
])
def test_hostile_ids_are_404(app, world, login_as, path):
    client = _client(app, login_as, "programme_manager", world)
    assert client.get(path).status_code == 404


def test_deleting_an_unknown_output_is_404(app, world, login_as):
    client = _client(app, login_as, "programme_manager", world)
    assert client.post("/outputs/2147483647/delete").status_code == 404
