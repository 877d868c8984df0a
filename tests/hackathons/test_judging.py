"""Judging: balanced assignment without conflicts of interest, scoring rules, normalisation,
tie-breaks, publication and who sees scores when."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import JudgeAssignment, Score, Submission
from elearn.hackathons.models import Normalisation
from elearn.hackathons.services.results import normalised_scores


@pytest.fixture
def judges(make_user):
    return [make_user(email=f"judge{i}@example.org", roles=["judge"],
                      institution=f"Judging body {i}") for i in range(3)]


@pytest.fixture
def submitted(hackathon, make_team, submission_data):
    """n teams with a submission each -> list of (submission, members)."""

    def make(n):
        out = []
        for i in range(n):
            team, people = make_team(hackathon, size=2, name=f"Team {i}")
            submission = services.save_submission(
                team, people[0], dict(submission_data, title=f"Project {i}"))
            db.session.commit()
            out.append((submission, people))
        return out

    return make


def _open_judging(hackathon, shift):
    shift(hackathon, submission_deadline=-2, judging_opens_at=-1, judging_closes_at=1,
          results_at=2)


def _marks(hackathon, impact, feasibility, comment="Good"):
    criteria = services.criteria_of(hackathon)
    return {criteria[0].id: (impact, comment), criteria[1].id: (feasibility, comment)}


def test_assignment_is_balanced_and_never_doubles_a_judge(hackathon, judges, submitted):
    subs = submitted(4)
    outcome = services.assign_judges(hackathon)
    db.session.commit()
    assert outcome == {"added": 8, "short": [], "complete": 0, "submissions": 4}
    rows = db.session.execute(select(JudgeAssignment.submission_id,
                                     JudgeAssignment.judge_id)).all()
    per_submission = Counter(s for s, _j in rows)
    assert all(per_submission[s.id] == 2 for s, _p in subs)
    load = Counter(j for _s, j in rows)
    assert max(load.values()) - min(load.values()) <= 1
    # re-running tops up only: nothing changes
    again = services.assign_judges(hackathon)
    assert again["added"] == 0 and again["complete"] == 4


def test_no_judge_from_a_team_members_institution(hackathon, make_user, make_team,
                                                  submission_data):
    same = make_user(email="colleague@example.org", roles=["judge"],
                     institution="Universidad Central")
    others = [make_user(email=f"j{i}@example.org", roles=["judge"], institution=f"Body {i}")
              for i in range(2)]
    team, people = make_team(hackathon, size=2)
    people[1].institution = "  universidad   CENTRAL "  # spelling differences do not hide it
    services.save_submission(team, people[0], submission_data)
    db.session.commit()
    services.assign_judges(hackathon)
    db.session.commit()
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id)))
    assert same.id not in assigned
    assert assigned == {o.id for o in others}


def test_declared_conflict_is_respected_and_shortfall_reported(
        hackathon, judges, submitted, make_user):
    [(submission, _people)] = submitted(1)
    hackathon.judges_per_submission = 3
    services.declare_conflict(judges[0], submission.team, "My former student")
    db.session.commit()
    outcome = services.assign_judges(hackathon)
    assert outcome["short"] == [submission.id]
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id)))
    assert judges[0].id not in assigned and len(assigned) == 2


def test_judge_scores_within_window(client, login, hackathon, judges, submitted, shift):
    [(submission, _p)] = submitted(1)
    services.assign_judges(hackathon)
    db.session.commit()
    _open_judging(hackathon, shift)
    judge = db.session.scalar(select(JudgeAssignment)).judge
    login(judge)
    queue = client.get(f"/hackathons/{hackathon.id}/judging").get_data(as_text=True)
    assert "Project 0" in queue
    criteria = services.criteria_of(hackathon)
    data = {f"score_{criteria[0].id}": "8", f"comment_{criteria[0].id}": "Strong impact",
            f"score_{criteria[1].id}": "6", f"comment_{criteria[1].id}": "Needs funding"}
    response = client.post(f"/hackathons/{hackathon.id}/judging/{submission.id}", data=data)
    assert response.status_code == 302
    scores = {s.criterion_id: (s.value, s.comment) for s in db.session.scalars(select(Score))}
    assert scores == {criteria[0].id: (8, "Strong impact"), criteria[1].id: (6, "Needs funding")}
    db.session.expire_all()
    assert db.session.scalar(select(JudgeAssignment).where(
        JudgeAssignment.judge_id == judge.id)).completed_at is not None


def test_out_of_scale_score_is_refused_and_nothing_saved(client, login, hackathon, judges,
                                                        submitted, shift):
    [(submission, _p)] = submitted(1)
    services.assign_judges(hackathon)
    db.session.commit()
    _open_judging(hackathon, shift)
    login(db.session.scalar(select(JudgeAssignment)).judge)
    criteria = services.criteria_of(hackathon)
    for bad in ("11", "0", "seven"):
        data = {f"score_{criteria[0].id}": "5", f"score_{criteria[1].id}": bad}
        response = client.post(f"/hackathons/{hackathon.id}/judging/{submission.id}",
                               data=data)
        assert response.status_code == 400
        assert "Feasibility" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Score.id))) == 0


def test_unassigned_judge_is_refused(client, login, hackathon, judges, submitted, shift,
                                     make_user):
    [(submission, _p)] = submitted(1)
    services.assign_judges(hackathon)
    db.session.commit()
    _open_judging(hackathon, shift)
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id)))
    outsider = next(j for j in judges if j.id not in assigned)
    login(outsider)
    criteria = services.criteria_of(hackathon)
    data = {f"score_{c.id}": "5" for c in criteria}
    response = client.post(f"/hackathons/{hackathon.id}/judging/{submission.id}", data=data)
    assert response.status_code == 403
    with pytest.raises(services.Forbidden):
        services.score_submission(outsider, submission, _marks(hackathon, 5, 5))
    assert db.session.scalar(select(func.count(Score.id))) == 0


@pytest.mark.parametrize("window", [(1, 2), (-3, -1)])
def test_scoring_outside_the_window_is_refused(client, login, hackathon, judges, submitted,
                                               shift, window):
    [(submission, _p)] = submitted(1)
    services.assign_judges(hackathon)
    shift(hackathon, judging_opens_at=window[0], judging_closes_at=window[1])
    login(db.session.scalar(select(JudgeAssignment)).judge)
    criteria = services.criteria_of(hackathon)
    data = {f"score_{c.id}": "5" for c in criteria}
    response = client.post(f"/hackathons/{hackathon.id}/judging/{submission.id}", data=data)
    assert response.status_code == 409
    assert "judging window" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Score.id))) == 0


def test_zscore_keeps_a_harsh_judge_from_sinking_teams(hackathon):
    # Judge 1 is harsh (2,3,4) on submissions 1-3; judge 2 generous (8,9,10) on 4-6.
    rows = [(1, 1, 7, 2), (2, 1, 7, 3), (3, 1, 7, 4), (4, 2, 7, 8), (5, 2, 7, 9), (6, 2, 7, 10)]
    adjusted = {s: v for s, _j, _c, v in normalised_scores(hackathon, rows)}
    assert adjusted[1] == pytest.approx(adjusted[4])  # each judge's worst are level
    assert adjusted[3] == pytest.approx(adjusted[6])  # and their best
    hackathon.normalisation = Normalisation.RAW
    raw = {s: v for s, _j, _c, v in normalised_scores(hackathon, rows)}
    assert raw[3] < raw[4]


def test_zscore_falls_back_to_raw_when_a_judge_gives_one_score(hackathon):
    rows = [(1, 1, 7, 6), (2, 1, 7, 6), (1, 2, 7, 3), (2, 2, 7, 9)]
    adjusted = normalised_scores(hackathon, rows)
    assert [v for _s, j, _c, v in adjusted if j == 1] == [6.0, 6.0]


def test_ranking_tie_breaks_on_top_criterion_then_submission_time(hackathon, judges,
                                                                  submitted, shift):
    hackathon.normalisation = Normalisation.RAW
    (a, _), (b, _), (c, _) = submitted(3)
    now = utcnow()
    a.submitted_at, b.submitted_at, c.submitted_at = (now - timedelta(hours=1), now,
                                                      now - timedelta(hours=2))
    services.assign_judges(hackathon)
    db.session.commit()
    _open_judging(hackathon, shift)
    marks = {a.id: (6, 6), b.id: (7, 3), c.id: (6, 6)}  # all three total 6.0
    for assignment in db.session.scalars(select(JudgeAssignment)):
        services.score_submission(assignment.judge, assignment.submission,
                                  _marks(hackathon, *marks[assignment.submission_id]))
    db.session.commit()
    order = [(e.submission.id, e.total) for e in services.ranking(hackathon)]
    assert [t for _s, t in order] == [pytest.approx(6.0)] * 3
    # b wins on Impact (the heaviest criterion); c beats a by submitting earlier
    assert [s for s, _t in order] == [b.id, c.id, a.id]


def _judged(hackathon, judges, submitted, shift, n=2):
    subs = submitted(n)
    services.assign_judges(hackathon)
    db.session.commit()
    _open_judging(hackathon, shift)
    for assignment in db.session.scalars(select(JudgeAssignment)):
        value = 9 if assignment.submission_id == subs[0][0].id else 4
        services.score_submission(assignment.judge, assignment.submission,
                                  _marks(hackathon, value, value, comment="Clear pitch"))
    db.session.commit()
    return subs


def test_results_publication_date_rule(client, login, organiser, hackathon, judges,
                                       submitted, shift):
    _judged(hackathon, judges, submitted, shift)
    login(organiser)
    response = client.post(f"/hackathons/{hackathon.id}/organise/publish")
    assert response.status_code == 409
    assert "results date" in response.get_data(as_text=True)
    db.session.expire_all()
    assert hackathon.results_published_at is None


def test_publication_ranks_emails_and_reveals_scores_to_the_team_only(
        client, login, organiser, mailbox, hackathon, judges, submitted, shift):
    (winner, winners), (loser, losers) = _judged(hackathon, judges, submitted, shift)
    # before publication: the team cannot see its scores, nor anyone the gallery
    login(winners[0])
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{winner.id}/scores"
                      ).status_code == 404
    client.post("/logout")
    assert client.get(f"/hackathons/{hackathon.id}/gallery").status_code == 404
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{winner.id}").status_code == 404

    shift(hackathon, results_at=-0.01)
    login(organiser)
    assert client.post(f"/hackathons/{hackathon.id}/organise/publish",
                       data={"confirmed": "1"}).status_code == 302
    db.session.expire_all()
    assert (winner.final_rank, loser.final_rank) == (1, 2)
    assert winner.challenge_rank == 1
    body = mailbox.text_of(mailbox.last(winners[1].email))
    assert "ranked 1 of 2" in body
    client.post("/logout")

    login(winners[0])
    page = client.get(f"/hackathons/{hackathon.id}/submissions/{winner.id}/scores")
    assert page.status_code == 200 and "Clear pitch" in page.get_data(as_text=True)
    # another team's scores stay private even after publication
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{loser.id}/scores"
                      ).status_code == 404
    client.post("/logout")
    gallery = client.get(f"/hackathons/{hackathon.id}/gallery")
    assert gallery.status_code == 200 and "Project 1" in gallery.get_data(as_text=True)
    results = client.get(f"/hackathons/{hackathon.id}/results").get_data(as_text=True)
    assert "Project 0" in results and "highest-weighted criterion" in results
    # scores are frozen once published
    with pytest.raises(services.Conflict):
        assignment = db.session.scalar(select(JudgeAssignment))
        services.score_submission(assignment.judge, assignment.submission,
                                  _marks(hackathon, 1, 1))


def test_team_member_cannot_see_other_teams_unpublished_scores(client, login, hackathon,
                                                               judges, submitted, shift):
    (mine, people), (theirs, _o) = _judged(hackathon, judges, submitted, shift)
    login(people[0])
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{theirs.id}/scores"
                      ).status_code == 404
    assert client.get(f"/hackathons/{hackathon.id}/submissions/{theirs.id}").status_code == 404
    page = client.get(f"/hackathons/{hackathon.id}/submissions/{mine.id}")
    assert page.status_code == 200 and "Clear pitch" not in page.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Submission.id))) == 2


def test_judge_declares_a_conflict_from_the_score_page(client, login, hackathon, judges,
                                                       submitted):
    [(submission, _p)] = submitted(1)
    services.assign_judges(hackathon)
    db.session.commit()
    judge = db.session.scalar(select(JudgeAssignment)).judge
    login(judge)
    response = client.post(f"/hackathons/{hackathon.id}/judging/{submission.id}/conflict",
                           data={"reason": "I supervise one of them"})
    assert response.status_code == 302
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id)))
    assert judge.id not in assigned
    # the top-up picks the remaining judge, never the conflicted one again
    services.assign_judges(hackathon)
    assigned = set(db.session.scalars(select(JudgeAssignment.judge_id)))
    assert judge.id not in assigned and len(assigned) == 2
