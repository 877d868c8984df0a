"""The gradebook page and its CSV / XLSX exports."""

import csv
import io
import zipfile

from elearn.courses.services import assignments, quizzes
from elearn.extensions import db


def test_gradebook_page_and_exports(client, login, edition, quiz, case_study, participant,
                                    instructor):
    done = participant(full_name="=Done Person")
    waiting = participant(full_name="Waiting Person")
    attempt = quizzes.start(quiz, done)
    quizzes.submit(attempt, done, {str(quiz.questions[0].id): "1"})
    assignments.grade(assignments.submit(case_study, done, "x"), 10, "", actor=instructor)
    assignments.submit(case_study, waiting, "y")
    db.session.commit()
    login(done)
    assert client.get(f"/courses/editions/{edition.id}/gradebook").status_code == 403
    assert client.get(f"/courses/editions/{edition.id}/gradebook.csv").status_code == 403
    client.post("/logout")
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/gradebook")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Waiting Person" in text and "to grade" in text and "Quiz 1" in text
    exported = client.get(f"/courses/editions/{edition.id}/gradebook.csv",
                          follow_redirects=True)
    assert exported.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert rows[0][:4] == ["Name", "Email", "Country", "Quiz 1 (%)"]
    by_name = {r[0]: r for r in rows[1:]}
    assert "'=Done Person" in by_name  # no formula injection
    assert by_name["'=Done Person"][3] == "25.0" and by_name["'=Done Person"][4] == "50.0"
    assert by_name["Waiting Person"][-4] == "no"
    # the status as a label people read, and its stable code for machines
    assert rows[0][-2:] == ["Status", "status_code"]
    assert by_name["Waiting Person"][-2:] == ["Accepted", "accepted"]
    xlsx = client.get(f"/courses/editions/{edition.id}/gradebook.xlsx",
                      follow_redirects=True)
    assert xlsx.status_code == 200
    with zipfile.ZipFile(io.BytesIO(xlsx.data)) as archive:
        assert "xl/worksheets/sheet1.xml" in archive.namelist()
        shared = archive.read("xl/sharedStrings.xml").decode()
    assert "Waiting Person" in shared
    assert client.get(f"/courses/editions/{edition.id}/gradebook.pdf").status_code == 404


def test_close_edition_from_the_gradebook(client, login, edition, participant, instructor):
    participant()
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/gradebook").get_data(as_text=True)
    assert f"/courses/editions/{edition.id}/close" in page
    response = client.post(f"/courses/editions/{edition.id}/close", data={
        "confirmed": "1", "close_early": "1", "reason": "The platform closes."})
    assert response.status_code == 302
    db.session.refresh(edition)
    assert edition.status.value == "completed"


def test_gradebook_is_paged(client, login, edition, participant, instructor, monkeypatch):
    from elearn.courses.services import gradebook

    monkeypatch.setattr(gradebook, "PER_PAGE", 1)
    participant(full_name="Alpha Person")
    participant(full_name="Beta Person")
    login(instructor)
    first = client.get(f"/courses/editions/{edition.id}/gradebook").get_data(as_text=True)
    second = client.get(f"/courses/editions/{edition.id}/gradebook?page=2").get_data(as_text=True)
    assert "Alpha Person" in first and "Beta Person" not in first
    assert "Beta Person" in second and "Alpha Person" not in second
    assert client.get(f"/courses/editions/{edition.id}/gradebook?page=x").status_code == 200
