"""Building an edition's material, and copying a whole edition with its dates shifted."""

from datetime import timedelta

from flask_babel import gettext as _

from elearn.audit.services import record as audit
from elearn.extensions import db
from elearn.multilingual import clean_texts

from ..assessment_models import Assessment, Question
from ..content import ContentError, clean_video_url, copy_stored, render_markdown, store_upload
from ..errors import CourseError
from ..models import Edition, EditionInstructor, EditionStatus, Lesson, LessonFile, Module
from .settings import name_problems

MAX_BODY = 200_000


def _lesson_values(title: str, body_markdown: str, video_url: str | None) -> dict:
    title = (title or "").strip()
    if not title:
        raise CourseError(_("Give the lesson a title."), 400)
    if len(body_markdown or "") > MAX_BODY:
        raise CourseError(_("The lesson text is too long."), 400)
    try:
        video = clean_video_url(video_url)
    except ContentError as exc:
        raise CourseError(str(exc), 400) from exc
    return {"title": title[:300], "body_markdown": body_markdown or "",
            "body_html": render_markdown(body_markdown or ""), "video_url": video}


def add_lesson(module: Module, title: str, body_markdown: str = "",
               video_url: str | None = None, *, actor=None) -> Lesson:
    values = _lesson_values(title, body_markdown, video_url)
    lesson = Lesson(module=module, position=len(module.lessons) + 1, **values)
    db.session.add(lesson)
    db.session.flush()
    audit("lesson.created", lesson, actor=actor, after={"title": lesson.title})
    return lesson


def update_lesson(lesson: Lesson, title: str, body_markdown: str,
                  video_url: str | None = None, *, actor=None) -> Lesson:
    values = _lesson_values(title, body_markdown, video_url)
    before = {"title": lesson.title, "video_url": lesson.video_url}
    for key, value in values.items():
        setattr(lesson, key, value)
    audit("lesson.updated", lesson, actor=actor, before=before,
          after={"title": lesson.title, "video_url": lesson.video_url})
    return lesson


def add_lesson_file(lesson: Lesson, filename: str | None, data: bytes, *,
                    actor=None) -> LessonFile:
    try:
        stored = store_upload(filename, data)
    except ContentError as exc:
        raise CourseError(str(exc), 400) from exc
    row = LessonFile(lesson=lesson, filename=stored.filename, stored_name=stored.stored_name,
                     content_type=stored.content_type, size=stored.size)
    db.session.add(row)
    db.session.flush()
    audit("lesson.file_added", lesson, actor=actor, after={"file": row.filename})
    return row


def set_status(edition: Edition, status: EditionStatus, *, actor=None) -> None:
    before = str(edition.status)
    edition.status = EditionStatus(status)
    audit("edition.status", edition, actor=actor, before={"status": before},
          after={"status": str(edition.status)})


def _shift(value, offset: timedelta):
    return None if value is None else value + offset


def copy_edition(edition: Edition, name: dict, offset_days: int, *, actor=None) -> Edition:
    """A new draft edition with the same modules, lessons (and files), assessments and
    questions, every date moved by `offset_days`. Participants and live classes are not
    copied: a new cohort applies and its classes are scheduled anew. `name` is the new
    edition's name by language; the one in the edition's language is required."""
    if not isinstance(name, dict):
        raise CourseError(_("Give the new edition a name."), 400)
    if not clean_texts(name).get(edition.language):
        raise CourseError(_("Give the new edition a name."), 400)
    problems = name_problems(name, edition.language)
    if problems:
        raise CourseError(" ".join(problems), 400)
    if not -3660 <= offset_days <= 3660:
        raise CourseError(_("The date shift must be at most ten years."), 400)
    offset = timedelta(days=offset_days)
    new = Edition(
        course=edition.course, activity_id=edition.activity_id, name=clean_texts(name),
        starts_on=edition.starts_on + offset, ends_on=edition.ends_on + offset,
        timezone=edition.timezone, language=edition.language, status=EditionStatus.DRAFT,
        capacity=edition.capacity, seats_taken=0,
        applications_open_at=_shift(edition.applications_open_at, offset),
        applications_close_at=_shift(edition.applications_close_at, offset),
        eligible_countries=list(edition.eligible_countries or []),
        eligible_subregions=list(edition.eligible_subregions or []),
        eligible_sectors=list(edition.eligible_sectors or []),
        public_officials_only=edition.public_officials_only,
        min_grade=edition.min_grade, require_required_passed=edition.require_required_passed,
        min_attendance_share=edition.min_attendance_share,
        require_final_passed=edition.require_final_passed,
    )
    new.instructors = [EditionInstructor(user_id=i.user_id) for i in edition.instructors]
    db.session.add(new)
    module_map = {}
    for module in edition.modules:
        copy = Module(
            position=module.position, title=dict(module.title),
            summary=dict(module.summary), opens_at=_shift(module.opens_at, offset),
            closes_at=_shift(module.closes_at, offset), hours=module.hours,
        )
        for lesson in module.lessons:
            copy.lessons.append(Lesson(
                position=lesson.position, title=lesson.title,
                body_markdown=lesson.body_markdown, body_html=lesson.body_html,
                video_url=lesson.video_url,
                files=[LessonFile(filename=f.filename, stored_name=copy_stored(f.stored_name),
                                  content_type=f.content_type, size=f.size)
                       for f in lesson.files],
            ))
        new.modules.append(copy)
        module_map[module.id] = copy
    db.session.flush()
    assessments = db.session.scalars(
        db.select(Assessment).where(Assessment.edition_id == edition.id)
        .order_by(Assessment.position)
    )
    for a in assessments:
        db.session.add(Assessment(
            edition=new, module=module_map.get(a.module_id), kind=a.kind, position=a.position,
            title=a.title, instructions=a.instructions, weight=a.weight, required=a.required,
            is_final=a.is_final, pass_mark=a.pass_mark, due_at=_shift(a.due_at, offset),
            late_policy=a.late_policy, max_attempts=a.max_attempts,
            time_limit_minutes=a.time_limit_minutes, max_score=a.max_score,
            accepts_file=a.accepts_file, accepts_text=a.accepts_text,
            questions=[Question(position=q.position, kind=q.kind, text=q.text,
                                choices=list(q.choices), correct=list(q.correct),
                                tolerance=q.tolerance, points=q.points)
                       for q in a.questions],
        ))
    db.session.flush()
    audit("edition.copied", new, actor=actor,
          after={"from_edition": edition.id, "offset_days": offset_days})
    return new
