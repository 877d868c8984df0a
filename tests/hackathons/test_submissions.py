"""Submissions: one per team, versioned, deadline on the server clock (also for a replayed
form), extensions, links, file type by content and size, team rules re-checked."""

import io
import zipfile

import pytest
from sqlalchemy import func, select

from elearn import storage
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Submission, SubmissionVersion
from elearn.hackathons.services import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _pptx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buffer.getvalue()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def upload_dir(app, tmp_path):
    app.config["HACKATHON_UPLOAD_DIR"] = str(tmp_path)
    return tmp_path


@pytest.fixture
def team_and_people(make_team, hackathon):
    return make_team(hackathon, size=2)


def _form(submission_data, **extra):
    data = {k: ("y" if v is True else v) for k, v in submission_data.items()}
    data.update(extra)
    return data


def _count(model):
    return db.session.scalar(select(func.count(model.id)))


def test_member_submits_with_pdf_and_another_member_edits(
        client, login, hackathon, team_and_people, submission_data, upload_dir):
    team, (first, second) = team_and_people
    login(first)
    form = _form(submission_data, version="0",
                 file=(io.BytesIO(PDF), "../../etc/our deck.pdf"))
    response = client.post(f"/hackathons/{hackathon.id}/submission", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    submission = db.session.scalar(select(Submission))
    assert submission.team_id == team.id and submission.version == 1
    assert submission.file_type == "pdf" and submission.file_original_name == "our deck.pdf"
    assert storage.read(f"hackathon_uploads/{submission.file_stored_name}") == PDF
    assert "/" not in submission.file_stored_name and ".." not in submission.file_stored_name

    client.post("/logout")
    login(second)
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_form(submission_data, title="Customs bridge 2", version="1"))
    assert response.status_code == 302
    db.session.expire_all()
    assert submission.title == "Customs bridge 2" and submission.version == 2
    versions = list(db.session.scalars(select(SubmissionVersion).order_by(
        SubmissionVersion.number)))
    assert [(v.number, v.saved_by_id) for v in versions] == [(1, first.id), (2, second.id)]
    assert versions[0].snapshot["title"] == "Customs bridge"
    assert versions[1].snapshot["file_type"] == "pdf"  # the file stays with the submission

    download = client.get(f"/hackathons/{hackathon.id}/submissions/{submission.id}/file")
    assert download.status_code == 200 and download.data == PDF


def test_pptx_is_recognised_by_content(hackathon, team_and_people, submission_data,
                                       upload_dir):
    team, (first, _s) = team_and_people
    checked = uploads.check_file(io.BytesIO(_pptx()), "slides.bin")
    assert checked.kind == "pptx"
    submission = services.save_submission(team, first, submission_data, file=checked)
    db.session.commit()
    assert submission.file_stored_name.endswith(".pptx")


@pytest.mark.parametrize("content,name", [
    (b"MZ\x90\x00 not a pdf", "deck.pdf"),          # renamed executable
    (_docx(), "deck.pptx"),                         # a Word file is a zip too
    (b"PK\x03\x04broken zip", "deck.pptx"),
])
def test_wrong_file_type_is_refused_and_nothing_written(
        client, login, hackathon, team_and_people, submission_data, upload_dir, content, name,
        stored_keys):
    _team, (first, _s) = team_and_people
    login(first)
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_form(submission_data, version="0",
                                      file=(io.BytesIO(content), name)),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Only PDF or PowerPoint" in response.get_data(as_text=True)
    assert _count(Submission) == 0 and _count(SubmissionVersion) == 0
    assert stored_keys("hackathon_uploads") == []


def test_too_big_file_is_refused(client, login, app, hackathon, team_and_people,
                                 submission_data, upload_dir, stored_keys):
    app.config["HACKATHON_UPLOAD_MAX_BYTES"] = 1024
    _team, (first, _s) = team_and_people
    login(first)
    big = PDF + b"0" * 2048
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_form(submission_data, version="0",
                                      file=(io.BytesIO(big), "big.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert _count(Submission) == 0
    assert stored_keys("hackathon_uploads") == []


@pytest.mark.parametrize("field,value", [
    ("video_url", "javascript:alert(1)"), ("repository_url", "ftp://example.org/x"),
    ("video_url", "not a url"),
])
def test_links_must_be_http(client, login, hackathon, team_and_people, submission_data,
                            field, value):
    _team, (first, _s) = team_and_people
    login(first)
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_form(submission_data, version="0", **{field: value}))
    assert response.status_code == 400
    assert "http://" in response.get_data(as_text=True)
    assert _count(Submission) == 0


def test_original_work_declaration_is_required(client, login, hackathon, team_and_people,
                                               submission_data):
    _team, (first, _s) = team_and_people
    login(first)
    data = _form(submission_data, version="0")
    del data["original_work"]
    response = client.post(f"/hackathons/{hackathon.id}/submission", data=data)
    assert response.status_code == 400
    assert _count(Submission) == 0


def test_after_the_deadline_edits_and_replayed_forms_are_refused(
        client, login, hackathon, team_and_people, submission_data, shift):
    team, (first, _s) = team_and_people
    login(first)
    old_form = _form(submission_data, version="0")
    assert client.post(f"/hackathons/{hackathon.id}/submission",
                       data=old_form).status_code == 302
    shift(hackathon, submission_deadline=-0.01)
    # a fresh edit, and the very first form replayed: both refused on the server clock
    for data in (_form(submission_data, title="Late", version="1"), old_form):
        response = client.post(f"/hackathons/{hackathon.id}/submission", data=data)
        assert response.status_code == 409
        assert "deadline has passed" in response.get_data(as_text=True)
    db.session.expire_all()
    submission = db.session.scalar(select(Submission))
    assert submission.title == "Customs bridge" and submission.version == 1
    assert _count(SubmissionVersion) == 1


def test_stale_form_is_refused_before_the_deadline(client, login, hackathon, team_and_people,
                                                   submission_data):
    _team, (first, second) = team_and_people
    login(first)
    client.post(f"/hackathons/{hackathon.id}/submission",
                data=_form(submission_data, version="0"))
    client.post(f"/hackathons/{hackathon.id}/submission",
                data=_form(submission_data, title="Second", version="1"))
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_form(submission_data, title="From an old tab", version="1"))
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.scalar(select(Submission)).title == "Second"


def test_extension_lets_one_team_edit_after_the_deadline(
        client, login, organiser, hackathon, make_team, submission_data, shift):
    extended, (member, _m) = make_team(hackathon, size=2)
    other, (outsider, _o) = make_team(hackathon, size=2)
    shift(hackathon, submission_deadline=-0.01)
    login(organiser)
    response = client.post(f"/hackathons/{hackathon.id}/organise/extensions",
                           data={"team_id": extended.id, "deadline": "2099-01-01T12:00",
                                 "reason": "Power cut"})
    assert response.status_code == 302
    client.post("/logout")
    login(member)
    assert client.post(f"/hackathons/{hackathon.id}/submission",
                       data=_form(submission_data, version="0")).status_code == 302
    client.post("/logout")
    login(outsider)
    assert client.post(f"/hackathons/{hackathon.id}/submission",
                       data=_form(submission_data, version="0")).status_code == 409
    assert _count(Submission) == 1


def test_extension_must_end_after_the_general_deadline(client, login, organiser, hackathon,
                                                      make_team):
    team, _people = make_team(hackathon, size=2)
    login(organiser)
    response = client.post(f"/hackathons/{hackathon.id}/organise/extensions",
                           data={"team_id": team.id, "deadline": "2001-01-01T12:00"})
    assert response.status_code == 400
    assert "after the general submission deadline" in response.get_data(as_text=True)
    assert services.deadline_for(team) == hackathon.submission_deadline


def test_team_size_is_checked_again_at_submission(make_participant, hackathon,
                                                  submission_data):
    solo = make_participant(hackathon)
    team = services.create_team(hackathon, solo, "Alone")
    db.session.commit()
    with pytest.raises(services.Conflict, match="between 2 and 3"):
        services.save_submission(team, solo, submission_data)
    db.session.rollback()
    assert _count(Submission) == 0


def test_discipline_mix_is_checked_again_at_submission(make_team, make_hackathon):
    hackathon = make_hackathon(min_disciplines=2)
    team, (a, b) = make_team(hackathon, size=2, disciplines=["Economics", "Law"])
    hackathon.min_disciplines = 3  # the rule tightened after the team formed
    db.session.commit()
    data = {"title": "T", "summary": "S", "problem": "P", "original_work": True,
            "challenge_id": hackathon.challenges[0].id}
    with pytest.raises(services.Conflict, match="disciplines"):
        services.save_submission(team, a, data)


def test_non_member_cannot_see_the_form(client, login, hackathon, team_and_people,
                                        make_participant, submission_data):
    team, (first, _s) = team_and_people
    services.save_submission(team, first, submission_data)
    db.session.commit()
    submission = db.session.scalar(select(Submission))
    outsider = make_participant(hackathon)
    login(outsider)
    assert client.get(f"/hackathons/{hackathon.id}/submission").status_code == 403
    # before results, someone else's submission does not exist for them
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{submission.id}"
                      ).status_code == 404
