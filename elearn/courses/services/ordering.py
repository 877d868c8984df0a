"""The order authors give to what they wrote: an edition's modules, a module's lessons and a
quiz's questions. Participants see them by `position` (then id), so moving one is swapping
positions with its neighbour inside the same parent; positions are renumbered 1..n each time.

Reordering questions is allowed even after a quiz has been attempted: attempts store answers
per question id (QuizAttempt.answers, form fields q<id>), never per position, so an attempt
keeps its meaning and score whatever the order. Who may move what is checked by the caller
(the "teach" rule on the parent's edition), as for every other authoring change."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select, update

from elearn.audit.services import record as audit
from elearn.extensions import db

from ..assessment_models import Assessment, Question
from ..errors import CourseError
from ..models import Edition, Lesson, Module


@dataclass(frozen=True)
class _Kind:
    parent: type
    parent_key: str  # the item's column naming its parent
    action: str


KINDS = {
    Module: _Kind(Edition, "edition_id", "module.moved"),
    Lesson: _Kind(Module, "module_id", "lesson.moved"),
    Question: _Kind(Assessment, "assessment_id", "question.moved"),
}


def siblings(item) -> list:
    """Everything under the same parent as `item`, in the order participants see it."""
    model = type(item)
    key = getattr(model, KINDS[model].parent_key)
    # populate_existing: objects already in the session may hold positions another
    # transaction has since changed; renumbering must start from what the database holds.
    return list(db.session.scalars(
        select(model).where(key == getattr(item, KINDS[model].parent_key))
        .order_by(model.position, model.id).execution_options(populate_existing=True)))


def _claim(model, parent_id: int) -> None:
    """Take the write lock on the parent's items before reading them, so two authors moving
    at the same moment are serialised instead of both renumbering from the same old order
    (row locks on PostgreSQL; on SQLite the UPDATE opens the one write transaction)."""
    key = getattr(model, KINDS[model].parent_key)
    db.session.execute(update(model).where(key == parent_id).values(position=model.position)
                       .execution_options(synchronize_session=False))


def move(parent, item, step: int, *, actor) -> bool:
    """Swap `item` with its neighbour above (step -1) or below (+1) inside `parent` (the
    module's edition, the lesson's module, the question's quiz). At either end nothing moves
    and nothing is written. Returns whether the order changed; the caller commits.

    CourseError 400 for a step other than -1/+1, 404 when `item` is not one of `parent`'s."""
    kind = KINDS.get(type(item))
    if kind is None or not isinstance(parent, kind.parent) or \
            getattr(item, kind.parent_key) != parent.id:
        raise CourseError(_("This item is not part of this page."), 404)
    if step not in (-1, 1):
        raise CourseError(_("Move it up or down."), 400)
    _claim(type(item), parent.id)
    items = siblings(item)
    index = items.index(item)
    other = index + step
    if not 0 <= other < len(items):
        return False
    before = item.position
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    _record(kind.action, parent, item, before, items[index], actor)
    return True


def _record(action: str, parent, item, before: int, neighbour, actor) -> None:
    details = {"swapped_with": neighbour.id}
    if isinstance(item, Question):
        # Question changes are audited on their quiz, as in assessment_authoring.
        audit(action, parent, actor=actor, before={"question": item.id, "position": before},
              after={"question": item.id, "position": item.position, **details})
    else:
        audit(action, item, actor=actor, before={"position": before},
              after={"position": item.position, **details})
