"""Who may manage and who may see an output. Registered with accounts.permissions, asked
through can(); admins pass every rule.

Managing follows the thing the output belongs to: the organisers of the event (or of the
session's event), the instructors of the edition, programme managers for activities (and
for everything). Seeing follows the output's visibility: public for anyone once the thing
itself is public (not a draft), registered participants (a confirmed registration of the event,
a seat in the edition, either under the activity) and organisers only."""

from sqlalchemy import exists, or_, select

from elearn.accounts.permissions import can, is_programme_manager, object_rule
from elearn.courses.models import PARTICIPANT_STATUSES, Course, Edition, EditionStatus, Enrolment
from elearn.events.models import Event, EventSession, EventStatus, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.programme.models import Activity

from .models import Output, Visibility


def may_manage_owner(user, owner) -> bool:
    """May this person add and remove the outputs of `owner` (an activity, event, session or
    edition)?"""
    if isinstance(owner, Activity):
        return is_programme_manager(user)
    if isinstance(owner, EventSession):
        owner = owner.event
    if isinstance(owner, Event):
        return can(user, "manage", owner)
    if isinstance(owner, Edition):
        return can(user, "teach", owner)
    return False


def owner_is_public(owner) -> bool:
    """A draft event or edition shows nothing to the public, its outputs included."""
    if isinstance(owner, EventSession):
        owner = owner.event
    if isinstance(owner, Event):
        return owner.status != EventStatus.DRAFT
    if isinstance(owner, Edition):
        return owner.status != EditionStatus.DRAFT
    return owner is not None


def _registered(user_id: int, event_ids):
    return exists().where(Registration.user_id == user_id,
                          Registration.event_id.in_(event_ids),
                          Registration.status == RegistrationStatus.CONFIRMED)


def _enrolled(user_id: int, edition_ids):
    return exists().where(Enrolment.user_id == user_id, Enrolment.edition_id.in_(edition_ids),
                          Enrolment.status.in_(PARTICIPANT_STATUSES))


def is_participant(user, owner) -> bool:
    """Registered (confirmed) for the event, holding a seat in the edition, or either for an
    event or edition of the activity."""
    if user is None or not user.is_authenticated or owner is None:
        return False
    if isinstance(owner, EventSession):
        owner = owner.event
    if isinstance(owner, Event):
        found = _registered(user.id, [owner.id])
    elif isinstance(owner, Edition):
        found = _enrolled(user.id, [owner.id])
    elif isinstance(owner, Activity):
        editions = (select(Edition.id).join(Course, Course.id == Edition.course_id)
                    .where(or_(Edition.activity_id == owner.id,
                               Edition.activity_id.is_(None) & (Course.activity_id == owner.id))))
        found = or_(_registered(user.id, select(Event.id).where(Event.activity_id == owner.id)),
                    _enrolled(user.id, editions))
    else:
        return False
    return bool(db.session.scalar(select(found)))


def levels_for(user, owner) -> set[Visibility]:
    """The visibilities of `owner`'s outputs this person sees."""
    if may_manage_owner(user, owner):
        return set(Visibility)
    if not owner_is_public(owner):
        return set()
    if is_participant(user, owner):
        return {Visibility.PUBLIC, Visibility.PARTICIPANTS}
    return {Visibility.PUBLIC}


def may_see(user, output: Output) -> bool:
    """Anonymous visitors included (can() refuses them by itself): public outputs of public
    things are for everyone."""
    return output.visibility in levels_for(user, output.owner)


@object_rule("manage", Output, programme_manager=True)
def may_manage_output(user, output: Output) -> bool:
    return may_manage_owner(user, output.owner)


@object_rule("view", Output, programme_manager=True)
def may_view_output(user, output: Output) -> bool:
    return may_see(user, output)
