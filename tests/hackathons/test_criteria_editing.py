"""Judging criteria: organisers edit and remove them from the dashboard, with the same checks as
adding; the rubric freezes at the first score (nothing written); only the hackathon's
organisers may change it."""

import threading
import time

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.extensions import db
from elearn.hackathons import services
from elearn.hackathons.judging_models import Criterion, JudgeAssignment, Score

GOOD = {"name_en": "Impact on trade", "name_es": "Impacto en el comercio", "weight": "4",
        "scale_min": "0", "scale_max": "5"}


def _criterion(hackathon, name="Impact"):
    return db.session.scalar(select(Criterion).where(Criterion.hackathon_id == hackathon.id,
                                                     Criterion.name["en"].as_string() == name))


def _snapshot():
    db.session.expire_all()
    return sorted((c.id, c.name["en"], c.name.get("es", ""), c.weight, c.scale_min, c.scale_max)
                  for c in db.session.scalars(select(Criterion)))


def _actions(prefix="hackathon.criterion"):
    return list(db.session.scalars(select(AuditRecord.action)
                                   .where(AuditRecord.action.startswith(prefix))))


def _edit_path(hackathon, criterion):
    return f"/hackathons/{hackathon.id}/organise/criteria/{criterion.id}"


@pytest.fixture
def scored(hackathon, make_user, make_team, submission_data, shift):
    """One submission, scored by one judge during the judging window."""
    judge = make_user(email="judge@example.org", roles=["judge"], institution="Judging body")
    team, people = make_team(hackathon, size=2)
    submission = services.save_submission(team, people[0], submission_data)
    hackathon.judges_per_submission = 1
    db.session.commit()
    services.assign_judges(hackathon)
    db.session.commit()
    shift(hackathon, submission_deadline=-2, judging_opens_at=-1, judging_closes_at=1,
          results_at=2)

    def score():
        marks = {c.id: (c.scale_min + 1, "Fine") for c in services.criteria_of(hackathon)}
        services.score_submission(judge, submission, marks)
        db.session.commit()

    return {"judge": judge, "submission": submission, "score": score}


# --- editing and removing through the organiser's pages ------------------------------------

def test_organiser_edits_a_criterion_through_the_pages(client, login, organiser, hackathon):
    criterion = _criterion(hackathon)
    login(organiser)
    dashboard = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert _edit_path(hackathon, criterion) in dashboard
    page = client.get(_edit_path(hackathon, criterion))
    assert page.status_code == 200
    assert 'value="Impact"' in page.get_data(as_text=True)  # the form shows what is stored

    response = client.post(_edit_path(hackathon, criterion), data=GOOD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hackathons/{hackathon.id}/organise")
    db.session.expire_all()
    assert (criterion.name["en"], criterion.name.get("es", ""), criterion.weight,
            criterion.scale_min,
            criterion.scale_max) == ("Impact on trade", "Impacto en el comercio", 4.0, 0, 5)
    assert criterion.position == 0  # its place in the list stays
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "hackathon.criterion_updated"))
    assert entry.actor_id == organiser.id and entry.subject_id == str(criterion.id)
    assert entry.before["weight"] == 3.0 and entry.before["name"] == {"en": "Impact"}
    assert entry.after["weight"] == 4.0 and entry.after["scale"] == [0, 5]


def test_organiser_removes_a_criterion_through_the_pages(client, login, organiser, hackathon):
    criterion = _criterion(hackathon, "Feasibility")
    criterion_id = criterion.id
    login(organiser)
    response = client.post(f"{_edit_path(hackathon, criterion)}/delete",
                           data={"confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Criterion, criterion_id) is None
    assert [c.name["en"] for c in services.criteria_of(hackathon)] == ["Impact"]
    entry = db.session.scalar(select(AuditRecord).where(
        AuditRecord.action == "hackathon.criterion_removed"))
    assert entry.actor_id == organiser.id and entry.before["name"] == {"en": "Feasibility"}
    # a criterion added afterwards goes to the end of the list
    services.add_criterion(hackathon, {"name_en": "Design", "weight": 1, "scale_min": 1,
                                       "scale_max": 5}, organiser)
    db.session.commit()
    assert [c.name["en"] for c in services.criteria_of(hackathon)] == ["Impact", "Design"]


# --- validation: the checks of add_criterion, in one place ---------------------------------

BAD_FORMS = [
    ({"name_en": ""}, "Required in English, the main language."),
    ({"weight": "0"}, "Number must be at least 0.01"),
    ({"weight": "heavy"}, "Not a valid float value"),
    ({"scale_min": "5", "scale_max": "5"}, "The top of the scale must be above its bottom."),
    ({"scale_min": "7", "scale_max": "2"}, "The top of the scale must be above its bottom."),
    ({"scale_max": ""}, "This field is required"),
]


@pytest.mark.parametrize(("change", "message"), BAD_FORMS)
def test_bad_input_on_the_edit_page_is_400_and_writes_nothing(client, login, organiser,
                                                             hackathon, change, message):
    criterion = _criterion(hackathon)
    before = _snapshot()
    login(organiser)
    response = client.post(_edit_path(hackathon, criterion), data=dict(GOOD, **change))
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Edit criterion" in text and message in text
    assert _snapshot() == before
    assert _actions() == []


SERVICE_BAD = [
    ({"name_en": "   "}, "The criterion's name is required in English, the hackathon's "
                        "language."),
    ({"weight": 0}, "The weight must be above zero."),
    ({"weight": -2}, "The weight must be above zero."),
    ({"weight": None}, "The weight must be above zero."),
    ({"scale_min": 3, "scale_max": 3}, "The top of the scale must be above its bottom."),
    ({"scale_min": None}, "The top of the scale must be above its bottom."),
]


@pytest.mark.parametrize(("change", "message"), SERVICE_BAD)
def test_edit_and_add_refuse_the_same_bad_input(organiser, hackathon, change, message):
    good = {"name_en": "Innovation", "weight": 2, "scale_min": 1, "scale_max": 10}
    criterion = _criterion(hackathon)
    before = _snapshot()
    with pytest.raises(services.HackathonError) as edited:
        services.update_criterion(criterion, dict(good, **change), organiser)
    db.session.rollback()
    with pytest.raises(services.HackathonError) as added:
        services.add_criterion(hackathon, dict(good, **change), organiser)
    db.session.rollback()
    assert edited.value.message == added.value.message == message
    assert edited.value.status == 400
    assert _snapshot() == before


# --- the freeze at the first score ---------------------------------------------------------

def test_criteria_can_change_during_judging_until_the_first_score(organiser, hackathon,
                                                                  scored):
    criterion = _criterion(hackathon)
    assert services.rubric_problem(hackathon) is None  # window open, no score yet
    services.update_criterion(criterion, {"name_en": "Impact", "weight": 2, "scale_min": 1,
                                          "scale_max": 10}, organiser)
    db.session.commit()
    scored["score"]()
    assert "frozen" in services.rubric_problem(hackathon)


def test_after_the_first_score_the_rubric_is_frozen_and_nothing_written(
        client, login, organiser, hackathon, scored):
    scored["score"]()
    criterion = _criterion(hackathon)
    before = _snapshot()
    scores_before = db.session.scalar(select(func.count(Score.id)))
    login(organiser)

    dashboard = client.get(f"/hackathons/{hackathon.id}/organise").get_data(as_text=True)
    assert "the criteria are frozen" in dashboard
    assert _edit_path(hackathon, criterion) not in dashboard  # no edit or remove controls

    page = client.get(_edit_path(hackathon, criterion))
    assert page.status_code == 200 and "the criteria are frozen" in page.get_data(as_text=True)

    response = client.post(_edit_path(hackathon, criterion), data=GOOD)
    assert response.status_code == 409
    assert "the criteria are frozen" in response.get_data(as_text=True)

    for confirmed in ({}, {"confirmed": "1"}):  # refused on the confirmation page and after it
        response = client.post(f"{_edit_path(hackathon, criterion)}/delete", data=confirmed)
        assert response.status_code == 409
        assert "the criteria are frozen" in response.get_data(as_text=True)

    response = client.post(f"/hackathons/{hackathon.id}/organise/criteria", data={
        "name_en": "Late addition", "weight": "1", "scale_min": "1", "scale_max": "5"})
    assert response.status_code == 409

    assert _snapshot() == before
    assert db.session.scalar(select(func.count(Score.id))) == scores_before
    assert _actions() == []


def test_the_freeze_holds_at_service_level_too(organiser, hackathon, scored):
    scored["score"]()
    criterion = _criterion(hackathon)
    before = _snapshot()
    with pytest.raises(services.Conflict, match="frozen"):
        services.update_criterion(criterion, {"name_en": "Impact", "weight": 9,
                                              "scale_min": 1, "scale_max": 10}, organiser)
    db.session.rollback()
    with pytest.raises(services.Conflict, match="frozen"):
        services.remove_criterion(criterion, organiser)
    db.session.rollback()
    assert _snapshot() == before


def test_a_rubric_change_waits_for_a_score_being_saved_and_then_refuses(
        app, is_postgres, organiser, hackathon, scored):
    """A judge's score and a rubric change that cross: the change must see the score."""
    if not is_postgres:
        pytest.skip("real concurrent transactions need PostgreSQL")
    criterion_id = _criterion(hackathon).id
    judge_id, submission_id = scored["judge"].id, scored["submission"].id
    organiser_id, hackathon_id = organiser.id, hackathon.id
    scored_event, outcome = threading.Event(), {}

    def judge_scores():
        from elearn.accounts.models import User
        from elearn.hackathons.judging_models import Submission
        from elearn.hackathons.models import Hackathon

        with app.app_context():
            try:
                marks = {c.id: (5, "") for c in
                         services.criteria_of(db.session.get(Hackathon, hackathon_id))}
                services.score_submission(db.session.get(User, judge_id),
                                          db.session.get(Submission, submission_id), marks)
                db.session.flush()
                scored_event.set()
                time.sleep(0.7)  # the organiser's change arrives while this is uncommitted
                db.session.commit()
            finally:
                db.session.remove()

    def organiser_edits():
        from elearn.accounts.models import User

        with app.app_context():
            scored_event.wait(5)
            try:
                services.update_criterion(
                    db.session.get(Criterion, criterion_id),
                    {"name_en": "Impact", "weight": 9, "scale_min": 1, "scale_max": 10},
                    db.session.get(User, organiser_id))
                db.session.commit()
                outcome["result"] = "changed"
            except services.HackathonError as exc:
                db.session.rollback()
                outcome["result"] = exc.message
            finally:
                db.session.remove()

    threads = [threading.Thread(target=judge_scores), threading.Thread(target=organiser_edits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "frozen" in outcome["result"]
    db.session.expire_all()
    assert db.session.get(Criterion, criterion_id).weight == 3.0
    assert db.session.scalar(select(func.count(Score.id))) == 2


def test_published_results_also_freeze_the_rubric(organiser, hackathon):
    from elearn.db_types import utcnow

    hackathon.results_published_at = utcnow()
    db.session.commit()
    with pytest.raises(services.Conflict, match="Results are published"):
        services.remove_criterion(_criterion(hackathon), organiser)
    db.session.rollback()
    assert len(services.criteria_of(hackathon)) == 2


# --- who may change the rubric -------------------------------------------------------------

def test_participants_and_other_organisers_are_refused(client, login, make_user,
                                                       make_participant, hackathon):
    criterion = _criterion(hackathon)
    before = _snapshot()
    participant = make_participant(hackathon)
    other_organiser = make_user(email="other@example.org", roles=["organiser"])
    for intruder in (participant, other_organiser):
        login(intruder)
        assert client.get(_edit_path(hackathon, criterion)).status_code == 403
        assert client.post(_edit_path(hackathon, criterion), data=GOOD).status_code == 403
        assert client.post(f"{_edit_path(hackathon, criterion)}/delete").status_code == 403
        client.post("/logout")
        with pytest.raises(services.Forbidden):
            services.update_criterion(criterion, dict(GOOD, weight=4, scale_min=0,
                                                      scale_max=5), intruder)
        with pytest.raises(services.Forbidden):
            services.remove_criterion(criterion, intruder)
        db.session.rollback()
    assert _snapshot() == before
    assert _actions() == []


def test_a_criterion_of_another_hackathon_is_404(client, login, make_user, make_hackathon):
    from elearn.events.models import EventOrganiser

    mine = make_hackathon()
    theirs = make_hackathon()
    # an organiser of `mine` only, reaching for a criterion of `theirs` through `mine`
    own = make_user(email="own@example.org", roles=["organiser"])
    mine.event.organisers.append(EventOrganiser(user_id=own.id))
    db.session.commit()
    foreign = _criterion(theirs)
    before = _snapshot()
    login(own)
    path = f"/hackathons/{mine.id}/organise/criteria/{foreign.id}"
    assert client.get(path).status_code == 404
    assert client.post(path, data=GOOD).status_code == 404
    assert client.post(f"{path}/delete").status_code == 404
    assert client.get(f"/hackathons/{theirs.id}/organise/criteria/{foreign.id}"
                      ).status_code == 403
    assert client.get(f"/hackathons/{mine.id}/organise/criteria/999999").status_code == 404
    assert _snapshot() == before


def test_removing_before_any_score_leaves_judges_only_the_rest(organiser, hackathon, scored):
    """Removing before any score is fine: the judge is then asked only for what is left."""
    services.remove_criterion(_criterion(hackathon, "Feasibility"), organiser)
    db.session.commit()
    scored["score"]()
    assert db.session.scalar(select(func.count(Score.id))) == 1
    assert db.session.scalar(select(JudgeAssignment.completed_at)) is not None
