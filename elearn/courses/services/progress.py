"""Where a participant stands, module by module: lessons viewed, work done and its scores, and
what is still required."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from elearn.db_types import utcnow
from elearn.extensions import db

from ..assessment_models import Assessment
from ..models import Edition, Enrolment, Lesson, LessonView, Module
from .completion import Verdict, gather, verdict_for


@dataclass
class ModuleProgress:
    module: Module
    is_open: bool
    lessons_total: int
    lessons_viewed: int
    assessments: list[tuple[Assessment, float | None]] = field(default_factory=list)
    still_required: list[Assessment] = field(default_factory=list)


@dataclass
class Progress:
    modules: list[ModuleProgress]
    verdict: Verdict
    viewed_lesson_ids: set[int]


def modules_with_lessons(edition: Edition) -> list[Module]:
    return list(db.session.scalars(
        select(Module).options(selectinload(Module.lessons))
        .where(Module.edition_id == edition.id).order_by(Module.position, Module.id)))


def viewed_lessons(edition: Edition, user_id: int) -> set[int]:
    return set(db.session.scalars(
        select(LessonView.lesson_id).join(Lesson, Lesson.id == LessonView.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(Module.edition_id == edition.id, LessonView.user_id == user_id)))


def mark_viewed(lesson: Lesson, user) -> None:
    """First view only; the caller commits. A double click racing is harmless."""
    exists = db.session.scalar(select(LessonView.id).where(LessonView.lesson_id == lesson.id,
                                                           LessonView.user_id == user.id))
    if exists:
        return
    try:
        with db.session.begin_nested():
            db.session.add(LessonView(lesson_id=lesson.id, user_id=user.id,
                                      first_viewed_at=utcnow()))
    except IntegrityError:
        pass


def progress(enrolment: Enrolment, now=None) -> Progress:
    now = now or utcnow()
    edition = enrolment.edition
    modules = modules_with_lessons(edition)
    viewed = viewed_lessons(edition, enrolment.user_id)
    data = gather(edition, [enrolment.user_id], now)
    verdict = verdict_for(edition, enrolment.user_id, data)
    by_module: dict[int | None, list[Assessment]] = {}
    for a in data.assessments:
        by_module.setdefault(a.module_id, []).append(a)
    rows = []
    for module in modules:
        items = by_module.get(module.id, [])
        scored = [(a, verdict.scores.get(a.id)) for a in items]
        missing = [a for a, s in scored
                   if (a.required or a.is_final) and (s is None or s < a.pass_mark)]
        rows.append(ModuleProgress(
            module=module, is_open=module.is_open(now), lessons_total=len(module.lessons),
            lessons_viewed=sum(1 for lesson in module.lessons if lesson.id in viewed),
            assessments=scored, still_required=missing))
    return Progress(rows, verdict, viewed)
