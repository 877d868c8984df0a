"""Planned against done, for each activity of the work programme: its planned years, the
events and course editions held under it, the outputs published, and a status.

The status is computed from the data unless a programme manager decided it:
  planned        nothing held yet (`overdue` tells when the planned years are over);
  in progress    something held (an event started, an edition open or running), and no
                 verdict yet, whether or not planned years remain: only a person says
                 "delivered";
  delivered / not delivered (with the reason)   a programme manager's verdict (ActivityStatus).
Five queries whatever the number of activities (activities, events, editions, output counts,
verdicts): the annual report reads the same function."""

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from elearn.audit.services import record
from elearn.courses.models import Course, Edition, EditionStatus
from elearn.db_types import utcnow
from elearn.events.models import Event, EventKind, EventSession, EventStatus
from elearn.extensions import db
from elearn.programme.models import Activity, Programme, Project, ThematicArea
from elearn.programme.services import MAIN_LANGUAGE as PROGRAMME_LANGUAGE

from ..models import ActivityStatus, ActivityVerdict, Output, Visibility
from .errors import OutputError

STATUSES = ("planned", "in_progress", "delivered", "not_delivered")
EDITION_HELD = (EditionStatus.RUNNING, EditionStatus.COMPLETED)
MAX_REASON = 2000


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _activities(activity_ids) -> list[dict]:
    query = (select(Activity.id, Activity.path_code, Activity.code, Activity.title,
                    Activity.year_from, Activity.year_to,
                    Project.id, Project.code, Project.title,
                    Programme.id, Programme.code, Programme.title,
                    ThematicArea.id, ThematicArea.code, ThematicArea.title)
             .join(Project, Project.id == Activity.project_id)
             .join(Programme, Programme.id == Project.programme_id)
             .join(ThematicArea, ThematicArea.id == Programme.area_id)
             .order_by(ThematicArea.position, Programme.position, Project.position,
                       Activity.position, Activity.id))
    if activity_ids is not None:
        query = query.where(Activity.id.in_(activity_ids))
    rows = []
    for r in db.session.execute(query):
        rows.append({"activity_id": r[0], "path_code": r[1], "code": r[2],
                     "title": dict(r[3]), "language": PROGRAMME_LANGUAGE,
                     "year_from": r[4], "year_to": r[5],
                     "project": _part(r, 6), "programme": _part(r, 9), "area": _part(r, 12)})
    return rows


def _part(row, i: int) -> dict:
    return {"id": row[i], "code": row[i + 1], "title": dict(row[i + 2]),
            "language": PROGRAMME_LANGUAGE}


def _events(activity_ids, now: datetime) -> dict[int, list[dict]]:
    # A course's live classes are counted through their edition.
    query = (select(Event.id, Event.activity_id, Event.title, Event.language, Event.kind,
                    Event.mode, Event.status, Event.starts_at, Event.ends_at)
             .where(Event.activity_id.is_not(None), Event.status != EventStatus.DRAFT,
                    Event.kind != EventKind.LIVE_CLASS)
             .order_by(Event.starts_at, Event.id))
    if activity_ids is not None:
        query = query.where(Event.activity_id.in_(activity_ids))
    found: dict[int, list[dict]] = {}
    for r in db.session.execute(query):
        held = (r.status != EventStatus.CANCELLED and r.starts_at is not None
                and r.starts_at <= now)
        found.setdefault(r.activity_id, []).append({
            "id": r.id, "title": dict(r.title), "language": r.language, "kind": r.kind.value,
            "mode": r.mode.value, "status": r.status.value, "starts_at": r.starts_at,
            "ends_at": r.ends_at, "held": held})
    return found


def _editions(activity_ids, today: date) -> dict[int, list[dict]]:
    owner = func.coalesce(Edition.activity_id, Course.activity_id)
    query = (select(Edition.id, owner.label("activity_id"), Edition.name, Edition.language,
                    Course.title.label("course_title"), Edition.status, Edition.starts_on,
                    Edition.ends_on)
             .join(Course, Course.id == Edition.course_id)
             .where(owner.is_not(None), Edition.status != EditionStatus.DRAFT)
             .order_by(Edition.starts_on, Edition.id))
    if activity_ids is not None:
        query = query.where(owner.in_(activity_ids))
    found: dict[int, list[dict]] = {}
    for r in db.session.execute(query):
        held = r.status in EDITION_HELD or (r.status == EditionStatus.OPEN
                                            and r.starts_on <= today)
        found.setdefault(r.activity_id, []).append({
            "id": r.id, "name": dict(r.name), "course_title": dict(r.course_title),
            "language": r.language,
            # Editions are courses on this platform: always taken online.
            "mode": "online", "status": r.status.value, "starts_on": r.starts_on,
            "ends_on": r.ends_on, "held": held})
    return found


def _output_counts(activity_ids, year: int | None) -> dict[int, tuple[int, int]]:
    """activity id -> (outputs, public outputs), counted in SQL: an output counts for the
    activity it belongs to directly or through its event, session or edition."""
    event, session, session_event = aliased(Event), aliased(EventSession), aliased(Event)
    edition, course = aliased(Edition), aliased(Course)
    owner = func.coalesce(Output.activity_id, event.activity_id, session_event.activity_id,
                          edition.activity_id, course.activity_id)
    query = (select(owner, func.count(Output.id),
                    func.sum(case((Output.visibility == Visibility.PUBLIC, 1), else_=0)))
             .outerjoin(event, event.id == Output.event_id)
             .outerjoin(session, session.id == Output.session_id)
             .outerjoin(session_event, session_event.id == session.event_id)
             .outerjoin(edition, edition.id == Output.edition_id)
             .outerjoin(course, course.id == edition.course_id)
             .group_by(owner))
    if year is not None:
        query = query.where(Output.published_on >= date(year, 1, 1),
                            Output.published_on < date(year + 1, 1, 1))
    if activity_ids is not None:
        query = query.where(owner.in_(activity_ids))
    return {r[0]: (r[1], int(r[2] or 0)) for r in db.session.execute(query) if r[0] is not None}


def _in_year(start, end, year: int) -> bool:
    if start is None:
        return False
    if isinstance(start, datetime):
        first, after = _year_bounds(year)
        return start < after and (end or start) >= first
    return start.year <= year <= (end or start).year


def activity_progress(year: int | None = None, activity_ids=None) -> list[dict]:
    """Planned against done for each activity, in programme order, as plain data.

    `year`: only the activities planned that year or with an event, edition or output in it,
    with only that year's events, editions and outputs; None: the whole period, every activity.
    `activity_ids`: only these activities (the activity page asks for one).

    Each item: {
      "activity_id", "path_code" ("I.III.A.4"), "code",
      "title" ({language: text}), "language" (the main one: "es" for the programme),
      "year_from", "year_to" (int | None: the planned years from the programme data),
      "area" / "programme" / "project": {"id", "code", "title", "language"},
      "planned": bool (planned in `year`; for the whole period: has planned years),
      "events": [{"id", "title", "language", "kind", "mode" ("in_person" | "virtual" |
                  "hybrid"), "status", "starts_at", "ends_at" (aware UTC), "held": bool}],
      "editions": [{"id", "name", "course_title", "language" (the edition's),
                    "mode" ("online"), "status", "starts_on", "ends_on" (date), "held"}],
      "held": int (events and editions held, among those listed),
      "outputs": int, "public_outputs": int (published in `year`, or ever),
      "status": "planned" | "in_progress" | "delivered" | "not_delivered",
      "decided": bool (status set by a programme manager), "reason": str | None,
      "overdue": bool (planned years over, nothing held, no verdict)}
    Drafts are not counted; cancelled events are listed with held False."""
    now = utcnow()
    ids = list(activity_ids) if activity_ids is not None else None
    events, editions = _events(ids, now), _editions(ids, now.date())
    counts = _output_counts(ids, year)
    verdicts = {s.activity_id: s for s in db.session.scalars(
        select(ActivityStatus) if ids is None
        else select(ActivityStatus).where(ActivityStatus.activity_id.in_(ids)))}
    end_of_year = min(now, _year_bounds(year)[1]) if year is not None else now
    result = []
    for row in _activities(ids):
        aid = row["activity_id"]
        all_events, all_editions = events.get(aid, []), editions.get(aid, [])
        if year is not None:
            row["events"] = [e for e in all_events if _in_year(e["starts_at"], e["ends_at"], year)]
            row["editions"] = [e for e in all_editions
                               if _in_year(e["starts_on"], e["ends_on"], year)]
            last = row["year_to"] or row["year_from"]
            row["planned"] = row["year_from"] is not None and row["year_from"] <= year <= last
        else:
            row["events"], row["editions"] = all_events, all_editions
            row["planned"] = row["year_from"] is not None
        row["held"] = sum(1 for x in row["events"] + row["editions"] if x["held"])
        row["outputs"], row["public_outputs"] = counts.get(aid, (0, 0))
        if year is not None and not (row["planned"] or row["events"] or row["editions"]
                                     or row["outputs"]):
            continue
        # Held by the end of the year asked about (a later event does not make 2023 "in
        # progress"), and by now for the whole period.
        held_so_far = any(e["held"] and e["starts_at"] < end_of_year for e in all_events) or any(
            x["held"] and x["starts_on"] < end_of_year.date() for x in all_editions)
        verdict = verdicts.get(aid)
        row["decided"] = verdict is not None
        row["reason"] = verdict.reason if verdict is not None else None
        if verdict is not None:
            row["status"] = verdict.state.value
        else:
            row["status"] = "in_progress" if held_so_far else "planned"
        last_year = row["year_to"] or row["year_from"]
        row["overdue"] = (verdict is None and not held_so_far and last_year is not None
                          and last_year < now.year)
        result.append(row)
    return result


def progress_of_activity(activity_id: int) -> dict | None:
    found = activity_progress(None, [activity_id])
    return found[0] if found else None


def overview(rows: list[dict]) -> dict:
    """Counts of activities by status, for the whole list, each area and each programme:
    {"counts": {status: n}, "areas": [{"area", "counts", "programmes": [{"programme",
    "counts", "activities": [rows]}]}]}."""
    def empty():
        return dict.fromkeys(STATUSES, 0)

    total, areas = empty(), {}
    for row in rows:
        area = areas.setdefault(row["area"]["id"], {"area": row["area"], "counts": empty(),
                                                    "programmes": {}})
        programme = area["programmes"].setdefault(
            row["programme"]["id"], {"programme": row["programme"], "counts": empty(),
                                     "activities": []})
        for counts in (total, area["counts"], programme["counts"]):
            counts[row["status"]] += 1
        programme["activities"].append(row)
    return {"counts": total, "areas": [dict(a, programmes=list(a["programmes"].values()))
                                       for a in areas.values()]}


def set_verdict(activity: Activity, actor, state: str | None, reason: str = "") -> None:
    """A programme manager marks the activity delivered, not delivered (a reason is needed),
    or clears the verdict (the status is computed again). Audited; the caller commits."""
    reason = (reason or "").strip()
    current = db.session.get(ActivityStatus, activity.id)
    before = ({"state": current.state.value, "reason": current.reason}
              if current is not None else None)
    if not state:
        if current is not None:
            db.session.delete(current)
            record("activity.status_cleared", activity, actor=actor, before=before)
        return
    try:
        verdict = ActivityVerdict(state)
    except ValueError:
        raise OutputError(_("Choose a status.")) from None
    if verdict == ActivityVerdict.NOT_DELIVERED and not reason:
        raise OutputError(_("Say why the activity was not delivered."))
    if len(reason) > MAX_REASON:
        raise OutputError(_("The reason is too long (at most %(num)s characters).",
                            num=MAX_REASON))
    if current is None:
        current = ActivityStatus(activity_id=activity.id)
        db.session.add(current)
    current.state = verdict
    current.reason = reason or None
    current.decided_by_id = getattr(actor, "id", None)
    current.decided_at = utcnow()
    db.session.flush()
    record("activity.status_set", activity, actor=actor, before=before,
           after={"state": verdict.value, "reason": current.reason})
