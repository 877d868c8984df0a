"""A person's hackathon data in their download, and gone after erasure (issue 11.6)."""

import pytest
from sqlalchemy import select

from elearn.accounts.services import erase_user, export_data
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Criterion, DeclaredConflict, Score
from elearn.hackathons.models import Invitation

NAME, EMAIL = "Maria Fuentes", "maria.fuentes@uni.example"
JUDGE_NAME, JUDGE_EMAIL = "Jorge Juez", "jorge.juez@judges.example"


@pytest.fixture
def story(hackathon, make_participant, make_user, submission_data):
    """Maria is invited by another captain, then makes her own team (named after her),
    invites a classmate, and the team submits a project that names her; a judge scores it
    with a comment and declares a conflict with another team."""
    maria = make_participant(hackathon, full_name=NAME, email=EMAIL, discipline="Law")
    services.participant_of(hackathon, maria).skills = "Contract law, Spanish"
    other_captain, classmate = make_participant(hackathon), make_participant(hackathon)
    other_team = services.create_team(hackathon, other_captain, "Caribe Connect")
    services.invite(other_team, other_captain, maria)
    team = services.create_team(hackathon, maria, f"{NAME} Squad")
    services.invite(team, maria, classmate)
    services.join_team(team, classmate)
    db.session.commit()
    services.save_submission(team, maria, dict(
        submission_data, title=f"Customs bridge by {NAME}",
        summary=f"Write to {EMAIL.upper()} for the pilot."), expected_version=0)
    judge = make_user(full_name=JUDGE_NAME, email=JUDGE_EMAIL, roles=["judge"])
    submission = services.submission_of(team)
    criterion = db.session.scalars(select(Criterion)).first()
    db.session.add(Score(submission_id=submission.id, judge_id=judge.id,
                         criterion_id=criterion.id, value=8,
                         comment="Strong idea; I am Jorge Juez from the jury."))
    db.session.add(DeclaredConflict(judge_id=judge.id, team_id=other_team.id,
                                    reason="My former student"))
    db.session.commit()
    return maria, judge, team, classmate


def test_export_covers_participation_teams_invitations_submissions(story):
    maria, _judge, _team, classmate = story
    data = export_data(maria)
    assert data["hackathon_participation"][0]["discipline"] == "Law"
    assert data["hackathon_participation"][0]["skills"] == "Contract law, Spanish"
    assert data["hackathon_teams"] == [{"team": f"{NAME} Squad", "captain": True,
                                        "hackathon": data["hackathon_teams"][0]["hackathon"],
                                        "created_at": data["hackathon_teams"][0]["created_at"]}]
    directions = {i["direction"]: i for i in data["hackathon_invitations"]}
    assert directions["received"]["team"] == "Caribe Connect"
    assert directions["received"]["invited"]["email"] == EMAIL
    assert directions["sent"]["invited"]["email"] == classmate.email
    assert data["hackathon_submissions"][0]["title"] == f"Customs bridge by {NAME}"
    assert data["hackathon_scores_given"] == []


def test_export_of_a_judge_holds_scores_and_comments(story):
    _maria, judge, _team, _classmate = story
    data = export_data(judge)
    assert data["hackathon_scores_given"][0]["value"] == 8
    assert "Jorge Juez from the jury" in data["hackathon_scores_given"][0]["comment"]
    assert data["hackathon_conflicts_declared"][0]["reason"] == "My former student"


def _hackathon_text() -> str:
    """Every row of every hackathon table, as text."""
    rows = []
    for table in db.metadata.sorted_tables:
        if table.name.startswith("hackathon"):
            rows += [repr(tuple(row)) for row in db.session.execute(select(table))]
    return "\n".join(rows).casefold()


def test_erasure_leaves_no_name_email_or_free_text(story):
    maria, judge, team, classmate = story
    text = _hackathon_text()
    assert NAME.casefold() in text and EMAIL in text  # the search does find them
    erase_user(maria)
    erase_user(judge)
    db.session.commit()
    db.session.expire_all()
    text = _hackathon_text()
    for needle in (NAME, EMAIL, JUDGE_NAME, JUDGE_EMAIL, "Contract law", "former student"):
        assert needle.casefold() not in text, needle
    assert db.session.scalars(select(Invitation)).all() == []
    assert team.name == f"Team {team.id}" and len(team.members) == 2  # the team goes on
    score = db.session.scalars(select(Score)).one()
    assert score.value == 8 and score.comment == ""  # the ranking still stands
    assert export_data(classmate)["hackathon_submissions"][0]["summary"] \
        == "Write to [erased] for the pilot."
