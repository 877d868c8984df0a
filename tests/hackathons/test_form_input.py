"""Hostile input at the hackathon forms (issue 11.3 and 11.8): line breaks in one-line fields
and dates out of any sensible range are refused with a message, and nothing is written."""

import pytest
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.hackathons.judging_models import Submission
from elearn.hackathons.models import Challenge, Team


@pytest.mark.parametrize("name", ["Andes\r\nBcc: victim@example.org", "Andes\nCoders",
                                  "Andes\rCoders", "Andes\x00Coders", "Andes\u2028Coders"])
def test_a_team_name_with_a_line_break_is_refused(client, login, make_participant, hackathon,
                                                  name):
    login(make_participant(hackathon))
    response = client.post(f"/hackathons/{hackathon.id}/teams", data={"name": name})
    assert response.status_code == 400
    # A NUL is refused before the form (elearn/converters.py), other controls by the form.
    expected = "NUL character" if "\x00" in name else "must be a single line of text"
    assert expected in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Team.id))) == 0


def test_a_project_title_with_a_line_break_is_refused(client, login, make_team, hackathon,
                                                      submission_data):
    _team, people = make_team(hackathon)
    login(people[0])
    data = dict(submission_data, title="Customs\r\nbridge", original_work="y", version="0")
    response = client.post(f"/hackathons/{hackathon.id}/submission", data=data)
    assert response.status_code == 400
    assert "must be a single line of text" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Submission.id))) == 0


def test_a_challenge_title_with_a_line_break_is_refused(client, login, organiser, hackathon):
    login(organiser)
    response = client.post(f"/hackathons/{hackathon.id}/organise/challenges",
                           data={"title_en": "Green\nlogistics"})
    assert response.status_code == 400
    assert "must be a single line of text" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Challenge.id))) == 2


@pytest.mark.parametrize("value", ["0001-03-01T18:00", "9999-03-01T18:00", "1899-12-31T23:59"])
def test_deadlines_out_of_range_are_refused(client, login, organiser, hackathon, value):
    login(organiser)
    before = hackathon.registration_deadline
    response = client.post(f"/hackathons/{hackathon.id}/organise/settings", data={
        "team_size_min": "2", "team_size_max": "4", "min_disciplines": "0",
        "registration_deadline": value, "judges_per_submission": "3", "normalisation": "raw"})
    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100" in response.get_data(as_text=True)
    db.session.expire_all()
    assert hackathon.registration_deadline == before


def test_an_extension_out_of_range_is_refused(client, login, organiser, make_team, hackathon):
    team, _people = make_team(hackathon)
    login(organiser)
    response = client.post(f"/hackathons/{hackathon.id}/organise/extensions", data={
        "team_id": str(team.id), "deadline": "0001-01-01T00:00", "reason": "late"})
    assert response.status_code == 400
    assert "Enter a date between 1900 and 2100" in response.get_data(as_text=True)
    assert "Enter a date between 1900 and 2100" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/hackathons/99999999999999999999", "/hackathons/2147483648/team",
    "/hackathons/1/submissions/99999999999999999999",
    "/hackathons/1/submissions/9223372036854775808/file",
    "/hackathons/events/99999999999999999999/setup",
])
def test_ids_out_of_range_are_404(client, login, organiser, hackathon, path):
    login(organiser)
    assert client.get(path.replace("/1/", f"/{hackathon.id}/")).status_code == 404
