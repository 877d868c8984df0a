"""Authoring the structure of a course: the course itself, its editions (with their instructors)
and the modules of an edition. Every function checks all its input before it changes anything
and raises CourseError (400 invalid, 409 conflict); the caller commits.

Assessments and their questions are authored in services.assessment_authoring."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.accounts.models import Role, User, UserRole
from elearn.audit.services import record as audit
from elearn.extensions import db
from elearn.multilingual import clean_texts
from elearn.multilingual_forms import LANGUAGE_IN_WORDS
from elearn.programme.models import Activity

from ..errors import CourseError
from ..models import (
    Course,
    Edition,
    EditionInstructor,
    EditionStatus,
    Lesson,
    LessonView,
    Module,
)
from . import ordering, settings
from .live import live_event

LANGUAGES = ("es", "en", "pt", "fr")
MAX_ID = 2**31 - 1  # beyond an INTEGER column PostgreSQL fails instead of finding nothing


def exists(model, object_id) -> bool:
    return isinstance(object_id, int) and 0 < object_id <= MAX_ID and \
        db.session.get(model, object_id) is not None
MAX_HOURS = 1000


# --- courses --------------------------------------------------------------------------------

def _texts(values: dict, field: str, length: int | None = None) -> dict:
    """The texts of a multilingual field as given (a dict and/or field_en=, field_es=, …),
    stripped, empty ones left out, each cut to `length`."""
    texts = clean_texts(settings.given_texts(values, field))
    return {lang: text[:length] for lang, text in texts.items()} if length else texts


def _course_values(values: dict) -> dict:
    problems = []
    title = _texts(values, "title", 400)
    languages = [str(lang) for lang in values.get("languages") or []]
    main = next((lang for lang in LANGUAGES if lang in languages), "es")
    if not title.get(main):
        problems.append(_("Give the course a title in its first language, %(language)s.",
                          language=str(LANGUAGE_IN_WORDS[main])))
    if not languages:
        problems.append(_("Choose at least one language the material is in."))
    elif any(lang not in LANGUAGES for lang in languages):
        problems.append(_("Choose languages from the list."))
    activity_id = values.get("activity_id") or None
    if activity_id is not None and not exists(Activity, activity_id):
        problems.append(_("Choose an activity of the work programme from the list."))
    if problems:
        raise_problems(problems)
    return {
        "title": title, "description": _texts(values, "description"),
        "languages": [lang for lang in LANGUAGES if lang in languages],
        "activity_id": activity_id,
    }


def _plain(value):
    """A stored value as the audit trail keeps it (a copy, so later edits do not change it)."""
    return dict(value) if isinstance(value, dict) else value


def raise_problems(problems: list[str], status: int = 400):
    raise CourseError(" ".join(problems), status)


def create_course(values: dict, *, actor) -> Course:
    """values: title and description (dicts by language, or title_en=, title_es=, …),
    languages, activity_id. The title in the first language is required."""
    clean = _course_values(values)
    course = Course(**clean)
    db.session.add(course)
    db.session.flush()
    audit("course.created", course, actor=actor,
          after={"title": dict(course.title), "activity_id": course.activity_id})
    return course


def update_course(course: Course, values: dict, *, actor) -> Course:
    clean = _course_values(values)
    before = {k: _plain(getattr(course, k)) for k in clean}
    for key, value in clean.items():
        setattr(course, key, value)
    changed = {k for k in clean if before[k] != clean[k]}
    if changed:
        audit("course.updated", course, actor=actor,
              before={k: before[k] for k in changed}, after={k: clean[k] for k in changed})
    return course


# --- editions and instructors ---------------------------------------------------------------

def instructor_choices() -> list[User]:
    """Everyone who holds the instructor role, by name."""
    return list(db.session.scalars(
        select(User).join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == Role.INSTRUCTOR).order_by(User.full_name, User.email)))


def _instructors(user_ids) -> list[int]:
    wanted = {int(i) for i in user_ids or []}
    if not wanted:
        return []
    if any(not 0 < i <= MAX_ID for i in wanted):
        raise_problems([_("Only people with the instructor role can teach an edition.")])
    found = set(db.session.scalars(
        select(UserRole.user_id).where(UserRole.user_id.in_(wanted),
                                       UserRole.role == Role.INSTRUCTOR)))
    if found != wanted:
        raise_problems([_("Only people with the instructor role can teach an edition.")])
    return sorted(wanted)


def create_edition(course: Course, values: dict, instructor_ids=(), *, actor,
                   activity_id: int | None = None) -> Edition:
    """A new draft edition. `values` holds every key of services.settings.FIELDS; the same
    rules as the settings page apply, checked before the edition is added."""
    edition = Edition(course_id=course.id, seats_taken=0, status=EditionStatus.DRAFT)
    clean = settings.check(edition, values)
    ids = _instructors(instructor_ids)
    if activity_id is not None and not exists(Activity, activity_id):
        raise_problems([_("Choose an activity of the work programme from the list.")])
    for field in settings.FIELDS:
        setattr(edition, field, clean[field])
    edition.activity_id = activity_id
    edition.instructors = [EditionInstructor(user_id=i) for i in ids]
    db.session.add(edition)
    db.session.flush()
    audit("edition.created", edition, actor=actor,
          after={"course": course.id, "name": dict(edition.name),
                 "instructors": ids,
                 "starts_on": edition.starts_on.isoformat(),
                 "ends_on": edition.ends_on.isoformat(), "timezone": edition.timezone})
    return edition


def set_instructors(edition: Edition, user_ids, *, actor) -> Edition:
    ids = _instructors(user_ids)
    before = sorted(i.user_id for i in edition.instructors)
    if before == ids:
        return edition
    keep = [i for i in edition.instructors if i.user_id in ids]
    edition.instructors = keep + [EditionInstructor(user_id=i) for i in ids
                                  if i not in {k.user_id for k in keep}]
    # Instructors organise the live classes: keep the class event's organisers in step.
    event = live_event(edition)
    if event is not None:
        from elearn.events.models import EventOrganiser

        current = {o.user_id for o in event.organisers}
        event.organisers.extend(EventOrganiser(user_id=i) for i in ids if i not in current)
    audit("edition.instructors", edition, actor=actor, before={"instructors": before},
          after={"instructors": ids})
    return edition


# --- modules --------------------------------------------------------------------------------

def _module_values(values: dict, main: str) -> dict:
    problems = []
    title = _texts(values, "title", 300)
    if not title.get(main):
        problems.append(_("Give the module a title in the edition's language, %(language)s.",
                          language=str(LANGUAGE_IN_WORDS.get(main, main))))
    opens, closes = values.get("opens_at"), values.get("closes_at")
    for moment in (opens, closes):
        if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
            problems.append(_("Give dates with a time zone."))
            break
    else:
        if opens and closes and closes <= opens:
            problems.append(_("The module must close after it opens."))
    hours = values.get("hours")
    if hours is None or not 0 <= hours <= MAX_HOURS:
        problems.append(_("The hours of training must be between 0 and %(n)s.", n=MAX_HOURS))
    if problems:
        raise_problems(problems)
    return {"title": title, "summary": _texts(values, "summary"),
            "opens_at": opens, "closes_at": closes, "hours": float(hours)}


def _audit_values(clean: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime) else _plain(v)
            for k, v in clean.items() if k in ("title", "opens_at", "closes_at", "hours")}


def add_module(edition: Edition, values: dict, *, actor) -> Module:
    """values: title and summary (dicts by language, or title_en=, title_es=, …), opens_at,
    closes_at (aware), hours. The title in the edition's language is required."""
    clean = _module_values(values, edition.language)
    last = db.session.scalar(select(func.max(Module.position))
                             .where(Module.edition_id == edition.id)) or 0
    module = Module(edition_id=edition.id, position=last + 1, **clean)
    db.session.add(module)
    db.session.flush()
    audit("module.created", module, actor=actor, after=_audit_values(clean))
    return module


def update_module(module: Module, values: dict, *, actor) -> Module:
    clean = _module_values(values, module.edition.language)
    before = _audit_values({k: getattr(module, k) for k in clean})
    for key, value in clean.items():
        setattr(module, key, value)
    audit("module.updated", module, actor=actor, before=before, after=_audit_values(clean))
    return module


def _ordered(edition_id: int) -> list[Module]:
    return list(db.session.scalars(select(Module).where(Module.edition_id == edition_id)
                                   .order_by(Module.position, Module.id)))


def move_module(module: Module, step: int, *, actor) -> bool:
    """Swap with the neighbour above (step -1) or below (+1); at either end nothing moves."""
    return ordering.move(module.edition, module, step, actor=actor)


def remove_module(module: Module, *, actor) -> None:
    """Refused once participants have opened its lessons: their progress would vanish.
    Its assessments stay in the edition, no longer tied to a module."""
    viewed = db.session.scalar(
        select(func.count(LessonView.id)).join(Lesson, Lesson.id == LessonView.lesson_id)
        .where(Lesson.module_id == module.id))
    if viewed:
        raise_problems([_("Participants have already opened lessons of this module, so it "
                          "cannot be removed. Edit it instead.")], 409)
    edition_id = module.edition_id
    audit("module.removed", module, actor=actor,
          before={"title": dict(module.title), "position": module.position})
    db.session.delete(module)
    db.session.flush()
    for position, item in enumerate(_ordered(edition_id), start=1):
        item.position = position
