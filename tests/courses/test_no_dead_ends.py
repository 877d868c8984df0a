"""Issue 13 points 4, 8, 10 and 12 for courses: the edition's staff page links everything its
staff run (and only what the viewer may do); a closed quiz shows the result or its closing
date, never a button leading to a refusal; refusals are pages with a way back; lessons have
previous/next links across modules; codes are shown as labels."""

from datetime import timedelta

import time_machine
from sqlalchemy import select

from elearn.courses.assessment_models import QuizAttempt
from elearn.courses.models import Lesson, Module
from elearn.courses.services import live
from elearn.extensions import db

from .conftest import now


def test_staff_page_links_everything_the_viewer_may_do(client, login, edition, instructor,
                                                       make_user, quiz, case_study):
    start = now() + timedelta(days=2)
    session = live.schedule(edition, "Live class 1", start, start + timedelta(hours=1), "",
                            actor=instructor)
    db.session.commit()
    login(instructor)
    mine = client.get("/courses/mine").get_data(as_text=True)
    hub_url = f"/courses/editions/{edition.id}/staff"
    assert hub_url in mine  # instructors reach it from "My courses"
    page = client.get(hub_url)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    e = edition.id
    for link in (f"/courses/editions/{e}/applications", f"/courses/editions/{e}/gradebook",
                 f"/courses/editions/{e}/live", f"/courses/editions/{e}/live/{session.id}"
                 "/attendance", f"/stats/edition/{e}", f"/certificates/manage/edition/{e}",
                 f"/courses/editions/{e}/settings", f"/courses/editions/{e}/manage",
                 f"/courses/assessments/{case_study.id}/submissions",
                 f"/courses/editions/{e}/close"):
        assert f'href="{link}"' in text, link
    assert f"/courses/editions/{e}/instructors" not in text  # programme managers only
    for link in (f"/stats/edition/{e}", f"/certificates/manage/edition/{e}"):
        assert client.get(link).status_code == 200, link  # every link leads somewhere
    client.post("/logout")
    login(make_user(roles=["programme_manager"]))
    assert f"/courses/editions/{e}/instructors" in client.get(hub_url).get_data(as_text=True)
    client.post("/logout")
    login(make_user(country="VE"))
    assert client.get(hub_url).status_code == 403


def _take(client, quiz, right: bool):
    client.post(f"/courses/assessments/{quiz.id}/start")
    attempt = db.session.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    answers = {f"q{q.id}": "1" if right else "0" for q in quiz.questions}
    client.post(f"/courses/attempts/{attempt.id}", data=answers)


def test_a_closed_quiz_shows_the_result_or_its_date_not_a_button(client, login, edition,
                                                                 participant, quiz):
    login(participant(country="VE"))
    url = f"/courses/assessments/{quiz.id}"
    start = f"/courses/assessments/{quiz.id}/start"
    assert start in client.get(url).get_data(as_text=True)
    _take(client, quiz, right=True)
    _take(client, quiz, right=False)  # two attempts allowed: both used
    text = client.get(url).get_data(as_text=True)
    assert start not in text and "You have used all your attempts." in text
    assert "Your result:" in text and ("not passed" in text or "passed" in text)
    with time_machine.travel(now() + timedelta(days=4), tick=False):
        text = client.get(url).get_data(as_text=True)
        assert start not in text and "Closed on" in text
        refused = client.post(start, headers={"Referer": "http://localhost" + url})
        assert refused.status_code == 409
        assert f'href="http://localhost{url}"' in refused.get_data(as_text=True)


def test_a_quiz_never_taken_shows_closed_on_its_date(client, login, edition, participant,
                                                     quiz):
    login(participant(country="VE"))
    with time_machine.travel(now() + timedelta(days=4), tick=False):
        text = client.get(f"/courses/assessments/{quiz.id}").get_data(as_text=True)
    assert "Closed on" in text and "/start" not in text and "Your result" not in text


def test_lessons_link_previous_and_next_across_modules(client, login, edition, participant,
                                                       instructor):
    first, second = db.session.scalars(select(Module).where(Module.edition_id == edition.id)
                                       .order_by(Module.position)).all()
    first.lessons.append(Lesson(position=2, title="Second lesson", body_html="<p>2</p>"))
    db.session.commit()
    one, two = first.lessons
    later = second.lessons[0]
    login(participant(country="VE"))
    page = client.get(f"/courses/lessons/{one.id}").get_data(as_text=True)
    assert f'href="/courses/lessons/{two.id}"' in page and "Next lesson" in page
    assert "Previous lesson" not in page
    page = client.get(f"/courses/lessons/{two.id}").get_data(as_text=True)
    assert f'href="/courses/lessons/{one.id}"' in page
    assert f"/courses/lessons/{later.id}" not in page  # its module is still locked
    client.post("/logout")
    login(instructor)  # staff see the locked module's lessons too
    page = client.get(f"/courses/lessons/{two.id}").get_data(as_text=True)
    assert f'href="/courses/lessons/{later.id}"' in page
    page = client.get(f"/courses/lessons/{later.id}").get_data(as_text=True)
    assert f'href="/courses/lessons/{two.id}"' in page and "Next lesson" not in page


def test_question_kinds_and_sectors_are_labels(client, login, edition, instructor, quiz,
                                               make_user):
    from elearn.accounts.models import Sector
    from elearn.courses.services import enrolment

    login(instructor)
    text = client.get(f"/courses/assessments/{quiz.id}/questions").get_data(as_text=True)
    for label in ("Single choice", "Multiple choice", "True or false", "Number"):
        assert label in text
    assert "true_false" not in text and ">true false<" not in text
    person = make_user(country="JM", sector=Sector.GOVERNMENT)
    enrolment.apply(edition, person, "Motivation")
    db.session.commit()
    text = client.get(f"/courses/editions/{edition.id}/applications").get_data(as_text=True)
    assert "<td>Jamaica</td><td>Government</td>" in text
    assert 'tabindex="0" role="region"' in text


def test_applications_export_has_labels_beside_codes_and_no_gender(client, login, edition,
                                                                   instructor, make_user):
    import csv
    import io
    import zipfile

    from elearn.accounts.models import Gender, Sector
    from elearn.courses.services import enrolment

    person = make_user(full_name="=Risky Name", country="JM", sector=Sector.GOVERNMENT,
                       gender=Gender.WOMAN, is_public_official=True)
    enrolment.apply(edition, person, "Motivation")
    db.session.commit()
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/applications?status=pending&fmt=x"
                      "&edition_id=9").get_data(as_text=True)
    assert f"/courses/editions/{edition.id}/applications.csv?status=pending" in page
    response = client.get(f"/courses/editions/{edition.id}/applications.csv?status=pending",
                          follow_redirects=True)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, line = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert header[:4] == ["Name", "Email", "Country", "country_code"]
    assert line["Name"] == "'=Risky Name"  # no formula injection
    assert (line["Country"], line["country_code"]) == ("Jamaica", "JM")
    assert (line["Sector"], line["sector_code"]) == ("Government", "government")
    assert (line["Status"], line["status_code"]) == ("Pending", "pending")
    assert "woman" not in response.get_data(as_text=True).lower()
    none = client.get(f"/courses/editions/{edition.id}/applications.csv?status=accepted",
                      follow_redirects=True)
    assert len(list(csv.reader(io.StringIO(none.get_data(as_text=True))))) == 1
    xlsx = client.get(f"/courses/editions/{edition.id}/applications.xlsx",
                      follow_redirects=True)
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as archive:
        assert "Waiting list" not in archive.read("xl/sharedStrings.xml").decode()
        assert "Pending" in archive.read("xl/sharedStrings.xml").decode()
    assert client.get(f"/courses/editions/{edition.id}/applications.pdf").status_code == 404
