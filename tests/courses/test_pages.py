"""Catalogue, edition, learning pages, lesson editing and files, copying an edition."""

import io
from datetime import timedelta

from sqlalchemy import func, select

from elearn.courses.assessment_models import Assessment, Question
from elearn.courses.models import Edition, EditionStatus, EnrolmentStatus, Lesson, Module
from elearn.courses.services import editions
from elearn.extensions import db

from .conftest import PDF


def test_catalogue_lists_visible_editions_only(client, edition):
    draft = Edition(course=edition.course, name_en="Hidden draft", starts_on=edition.starts_on,
                    ends_on=edition.ends_on, timezone="UTC", status=EditionStatus.DRAFT)
    db.session.add(draft)
    db.session.commit()
    page = client.get("/courses/")
    assert page.status_code == 200
    assert b"Second edition" in page.data and b"Hidden draft" not in page.data
    assert client.get(f"/courses/editions/{draft.id}").status_code == 404
    assert client.get(f"/courses/{edition.course_id}").status_code == 200
    assert client.get("/courses/999").status_code == 404


def test_edition_page_shows_eligibility_and_modules(client, edition):
    edition.eligible_subregions = ["caribbean"]
    edition.public_officials_only = True
    db.session.commit()
    page = client.get(f"/courses/editions/{edition.id}").data
    assert b"open only to officials of Caribbean member states" in page
    assert b"SME digitalisation" in page and b"Business diagnostics" in page


def test_material_only_for_participants(client, login, edition, participant):
    lesson = db.session.scalar(select(Lesson).where(Lesson.title == "Why digitalise"))
    pending = participant(status=EnrolmentStatus.PENDING)
    login(pending)
    assert client.get(f"/courses/editions/{edition.id}/learn").status_code == 403
    assert client.get(f"/courses/lessons/{lesson.id}").status_code == 403


def test_locked_module_listed_but_closed(client, login, edition, participant):
    login(participant())
    page = client.get(f"/courses/editions/{edition.id}/learn")
    assert page.status_code == 200
    assert b"Locked: opens" in page.data and b"Diagnostics tools" in page.data
    locked = db.session.scalar(select(Lesson).where(Lesson.title == "Diagnostics tools"))
    assert f"/courses/lessons/{locked.id}".encode() not in page.data
    assert client.get(f"/courses/lessons/{locked.id}").status_code == 403


def test_viewing_a_lesson_counts_for_progress(client, login, edition, participant):
    user = participant()
    login(user)
    lesson = db.session.scalar(select(Lesson).where(Lesson.title == "Why digitalise"))
    assert client.get(f"/courses/lessons/{lesson.id}").status_code == 200
    client.get(f"/courses/lessons/{lesson.id}")
    mine = client.get("/courses/mine").data
    assert b"1 / 1" in mine and b"Case study of your country" in mine


def test_lesson_editing_sanitises_and_checks_files(client, login, edition, instructor,
                                                   participant):
    module = db.session.scalar(select(Module).where(Module.position == 1))
    login(instructor)
    evil = ("Intro\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            "[click](javascript:alert(1))")
    response = client.post(f"/courses/modules/{module.id}/lessons/new",
                           data={"title": "Gender gaps", "body": evil, "video_url": "",
                                 "upload": (io.BytesIO(PDF), "../../etc/guide.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    lesson = db.session.scalar(select(Lesson).where(Lesson.title == "Gender gaps"))
    for bad in ("<script", "onerror", "javascript:"):
        assert bad not in lesson.body_html
    bad_video = client.post(f"/courses/lessons/{lesson.id}/edit",
                            data={"title": "Gender gaps", "body": "x",
                                  "video_url": "https://evil.example/v"})
    assert bad_video.status_code == 400 and b"YouTube or Vimeo" in bad_video.data
    fake = client.post(f"/courses/lessons/{lesson.id}/edit",
                       data={"title": "Gender gaps", "body": "changed",
                             "upload": (io.BytesIO(b"MZ\x90 exe"), "slides.pdf")},
                       content_type="multipart/form-data")
    assert fake.status_code == 400
    db.session.expire_all()
    assert lesson.body_markdown == evil  # nothing half-written
    assert len(lesson.files) == 1 and lesson.files[0].filename == "etc_guide.pdf"
    client.post("/logout")
    login(participant())
    page = client.get(f"/courses/lessons/{lesson.id}").data
    assert b"<script>alert" not in page and b"etc_guide.pdf" in page
    download = client.get(f"/courses/files/{lesson.files[0].id}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"/courses/modules/{module.id}/lessons/new").status_code == 403


def test_copy_edition_shifts_every_date(edition, instructor, app):
    module = edition.modules[0]
    editions.add_lesson_file(module.lessons[0], "guide.pdf", PDF)
    db.session.commit()
    new = editions.copy_edition(edition, {"en": "Caribbean edition"}, 364, actor=instructor)
    db.session.commit()
    assert new.status == EditionStatus.DRAFT and new.seats_taken == 0
    assert new.starts_on == edition.starts_on + timedelta(days=364)
    assert new.applications_close_at == edition.applications_close_at + timedelta(days=364)
    assert [m.title["en"] for m in new.modules] == [m.title["en"] for m in edition.modules]
    assert new.modules[0].opens_at == edition.modules[0].opens_at + timedelta(days=364)
    assert new.modules[0].lessons[0].files[0].stored_name != \
        edition.modules[0].lessons[0].files[0].stored_name
    old = db.session.scalars(select(Assessment).where(Assessment.edition_id == edition.id)
                             .order_by(Assessment.position)).all()
    copied = db.session.scalars(select(Assessment).where(Assessment.edition_id == new.id)
                                .order_by(Assessment.position)).all()
    assert [a.title for a in copied] == [a.title for a in old]
    assert copied[0].due_at == old[0].due_at + timedelta(days=364)
    assert copied[0].module_id == new.modules[0].id
    assert db.session.scalar(select(func.count(Question.id))) == 8
    assert [i.user_id for i in new.instructors] == [instructor.id]


def test_copy_page(client, login, edition, instructor, participant):
    login(participant())
    assert client.post(f"/courses/editions/{edition.id}/copy",
                       data={"name_en": "x", "offset_days": "7"}).status_code == 403
    client.post("/logout")
    login(instructor)
    bad = client.post(f"/courses/editions/{edition.id}/copy", data={"name_en": "x",
                                                                     "offset_days": "abc"})
    assert bad.status_code == 400
    ok = client.post(f"/courses/editions/{edition.id}/copy",
                     data={"name_en": "Third edition", "offset_days": "365"})
    assert ok.status_code == 302
    assert db.session.scalar(select(Edition).where(
        Edition.name["en"].as_string() == "Third edition"))


def test_status_change_by_staff_only(client, login, edition, instructor, participant):
    login(participant())
    assert client.post(f"/courses/editions/{edition.id}/status",
                       data={"status": "running"}).status_code == 403
    client.post("/logout")
    login(instructor)
    assert b"Change status" in client.get(f"/courses/editions/{edition.id}").data
    assert client.post(f"/courses/editions/{edition.id}/status",
                       data={"status": "bogus"}).status_code == 400
    assert client.post(f"/courses/editions/{edition.id}/status",
                       data={"status": "running"}).status_code == 302
    db.session.refresh(edition)
    assert edition.status == EditionStatus.RUNNING


def test_activity_page_lists_the_editions(client, edition):
    from elearn.programme.models import Activity
    from elearn.programme.services import load_programme

    load_programme()
    activity = db.session.scalar(select(Activity).where(Activity.path_code == "I.III.A.2"))
    edition.course.activity_id = activity.id
    db.session.commit()
    page = client.get("/programme/activities/I.III.A.2", follow_redirects=True)
    assert page.status_code == 200
    assert b"Course editions" in page.data and b"Second edition" in page.data


def test_my_data_download_and_erasure_cover_courses(edition, participant, case_study):
    from elearn.accounts.services import erase_user, export_data
    from elearn.courses.models import Enrolment
    from elearn.courses.services import assignments

    user = participant()
    assignments.submit(case_study, user, "My private case study")
    db.session.commit()
    data = export_data(user)
    assert data["course_submissions"][0]["text"] == "My private case study"
    assert data["course_enrolments"][0]["edition"] == "Second edition"
    erase_user(user)
    db.session.commit()
    assert db.session.scalar(select(Enrolment)).motivation == ""
    assert assignments.submission_of(case_study, user).text is None
