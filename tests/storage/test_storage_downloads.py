"""Course files and hackathon uploads through the pages, on a directory and on a real S3 server:
uploaded, kept, downloaded by whoever may, refused to anyone else; a missing file is a 404."""

import io

import pytest
import requests
from sqlalchemy import select

from elearn import storage
from elearn.courses import content
from elearn.courses.assessment_models import Submission as Handin
from elearn.courses.models import Lesson, Module
from elearn.extensions import db
from elearn.hackathons.judging_models import Submission

from .conftest import PDF


def _hand_in(client, case_study, data=PDF, name="case.pdf"):
    return client.post(f"/courses/assessments/{case_study.id}/submit",
                       data={"text": "", "upload": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_assignment_round_trip_and_refusal(client, login, case_study, participant, instructor,
                                           backend_name, request):
    owner, other = participant(), participant()
    login(owner)
    assert _hand_in(client, case_study, name="informe país.pdf").status_code == 302
    row = db.session.scalar(select(Handin))
    key = f"course_files/{row.stored_name}"
    assert storage.read(key) == PDF
    if backend_name == "s3":  # really in the bucket, under the test's prefix
        assert request.getfixturevalue("bucket_keys")() == [key]
    download = client.get(f"/courses/submissions/{row.id}/file")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert "informe" in download.headers["Content-Disposition"]
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Length"] == str(len(PDF))

    client.post("/logout")
    login(other)
    assert client.get(f"/courses/submissions/{row.id}/file").status_code == 403
    client.post("/logout")
    assert client.get(f"/courses/submissions/{row.id}/file").status_code in (302, 401)
    login(instructor)
    assert client.get(f"/courses/submissions/{row.id}/file").data == PDF

    storage.delete(key)  # gone from the storage, still in the table: 404, not 500
    assert client.get(f"/courses/submissions/{row.id}/file").status_code == 404


def test_lesson_file_round_trip_copy_and_refusal(client, login, edition, instructor,
                                                 participant, make_user):
    module = db.session.scalar(select(Module).where(Module.position == 1))
    login(instructor)
    response = client.post(f"/courses/modules/{module.id}/lessons/new",
                           data={"title": "Guide", "body": "Read it", "video_url": "",
                                 "upload": (io.BytesIO(PDF), "guide.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.title == "Guide"))
    file_id = lesson.files[0].id
    client.post("/logout")
    login(participant())
    assert client.get(f"/courses/files/{file_id}").data == PDF
    client.post("/logout")
    login(make_user())  # not enrolled
    assert client.get(f"/courses/files/{file_id}").status_code == 403

    copied = content.copy_stored(lesson.files[0].stored_name)  # a new edition's copy
    content.remove_stored(lesson.files[0].stored_name)
    assert content.stored_exists(copied)
    assert not content.stored_exists(lesson.files[0].stored_name)


def test_a_hostile_stored_name_is_a_404(client, login, case_study, participant):
    owner = participant()
    login(owner)
    assert _hand_in(client, case_study).status_code == 302
    row = db.session.scalar(select(Handin))
    for bad in ("../../../etc/passwd", "/etc/passwd", "..", "course_files/x"):
        row.stored_name = bad
        db.session.commit()
        assert client.get(f"/courses/submissions/{row.id}/file").status_code == 404


def _submission_form(data, **extra):
    return {k: ("y" if v is True else v) for k, v in data.items()} | extra


def test_hackathon_upload_round_trip_and_refusal(client, login, hackathon, make_team,
                                                 submission_data, backend_name, request):
    (_team, (first, second)), (_other_team, (outsider, _o)) = (make_team(hackathon),
                                                                make_team(hackathon))
    login(first)
    response = client.post(f"/hackathons/{hackathon.id}/submission",
                           data=_submission_form(submission_data, version="0",
                                                 file=(io.BytesIO(PDF), "our deck.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    found = db.session.scalar(select(Submission))
    key = f"hackathon_uploads/{found.file_stored_name}"
    if backend_name == "s3":
        assert request.getfixturevalue("bucket_keys")() == [key]
    url = f"/hackathons/{hackathon.id}/submissions/{found.id}/file"
    client.post("/logout")
    login(second)
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    assert 'filename="our deck.pdf"' in download.headers["Content-Disposition"]
    client.post("/logout")
    login(outsider)  # another team's member
    assert client.get(url).status_code == 404
    client.post("/logout")
    assert client.get(url).status_code == 404

    storage.delete(key)
    login(second)
    assert client.get(url).status_code == 404


def test_presigned_download_redirects_only_the_allowed(client, login, app, case_study,
                                                      participant, backend_name):
    if backend_name != "s3":
        pytest.skip("presigned URLs are the bucket's")
    app.config["STORAGE_S3_PRESIGNED"] = True
    owner, other = participant(), participant()
    login(owner)
    assert _hand_in(client, case_study, name="informe país.pdf").status_code == 302
    row = db.session.scalar(select(Handin))
    response = client.get(f"/courses/submissions/{row.id}/file")
    assert response.status_code == 302
    assert "no-store" in response.headers["Cache-Control"]
    location = response.headers["Location"]
    assert location.startswith(app.config["STORAGE_S3_ENDPOINT_URL"])
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    fetched = requests.get(location, timeout=10)
    assert fetched.status_code == 200 and fetched.content == PDF
    assert fetched.headers["Content-Disposition"].startswith("attachment")
    assert "informe_pais.pdf" in fetched.headers["Content-Disposition"]
    unsigned = requests.get(location.split("?")[0], timeout=10)
    assert unsigned.status_code == 403  # the object itself is private

    client.post("/logout")
    login(other)
    refused = client.get(f"/courses/submissions/{row.id}/file")
    assert refused.status_code == 403 and "Location" not in refused.headers

    storage.delete(f"course_files/{row.stored_name}")
    client.post("/logout")
    login(owner)
    assert client.get(f"/courses/submissions/{row.id}/file").status_code == 404
