"""Applying to an edition and deciding on applications.

pending -> accepted | waitlisted | rejected ; any open state -> withdrawn ; at the end
accepted -> completed | not_completed (services.completion.record_results).
A seat is taken only on acceptance, by an atomic conditional UPDATE on edition.seats_taken;
when none is left the person goes to the waiting list and is promoted when a seat frees up.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from elearn.audit.services import record as audit
from elearn.base_url import absolute_url
from elearn.db_types import utcnow
from elearn.extensions import db
from elearn.mail.services import send_template

from ..content import PDF_ONLY, ContentError, store_upload
from ..errors import CourseError
from ..models import Edition, EditionStatus, Enrolment, EnrolmentStatus
from . import live
from .eligibility import ineligibility_reason

MAX_MOTIVATION = 5000
DECISIONS = {"accept", "waitlist", "reject"}
OPEN_STATES = (EnrolmentStatus.PENDING, EnrolmentStatus.ACCEPTED, EnrolmentStatus.WAITLISTED)


def link(endpoint: str, **values) -> str:
    """An absolute link that also works outside a request (CLI, jobs)."""
    return absolute_url(endpoint, **values)


def application_problem(edition: Edition, user, now=None) -> tuple[str, int] | None:
    """Why `user` cannot apply now (message, HTTP status), or None."""
    now = now or utcnow()
    if edition.status != EditionStatus.OPEN:
        return _("This edition is not taking applications."), 409
    if edition.applications_open_at and now < edition.applications_open_at:
        return _("Applications for this edition have not opened yet."), 409
    if edition.applications_close_at and now > edition.applications_close_at:
        return _("Applications for this edition are closed."), 409
    if edition.is_full:
        return _("This edition is full."), 409
    if find(edition, user) is not None:
        return _("You have already applied to this edition."), 409
    if not user.is_confirmed:
        return _("Confirm your email address before applying: we send the decision there."), 403
    reason = ineligibility_reason(edition, user)
    if reason:
        return reason, 403
    return None


def find(edition: Edition, user) -> Enrolment | None:
    return db.session.scalar(select(Enrolment).where(Enrolment.edition_id == edition.id,
                                                     Enrolment.user_id == user.id))


def apply(edition: Edition, user, motivation: str, endorsement: tuple[str, bytes] | None = None,
          *, now=None) -> Enrolment:
    """A pending application (caller commits). Raises CourseError and writes nothing when
    the application is refused."""
    problem = application_problem(edition, user, now)
    if problem:
        raise CourseError(*problem)
    motivation = (motivation or "").strip()
    if not motivation:
        raise CourseError(_("Tell us why you want to take part."), 400)
    if len(motivation) > MAX_MOTIVATION:
        raise CourseError(_("The motivation is too long (at most %(n)s characters).",
                            n=MAX_MOTIVATION), 400)
    stored = None
    if endorsement is not None:
        try:
            stored = store_upload(endorsement[0], endorsement[1], PDF_ONLY)
        except ContentError as exc:
            raise CourseError(str(exc), 400) from exc
    enrolment = Enrolment(
        edition_id=edition.id, user_id=user.id, motivation=motivation,
        endorsement_filename=stored.filename if stored else None,
        endorsement_stored_name=stored.stored_name if stored else None,
    )
    db.session.add(enrolment)
    try:
        with db.session.begin_nested():  # two clicks racing: the unique index decides
            db.session.flush()
    except IntegrityError as exc:
        raise CourseError(_("You have already applied to this edition."), 409) from exc
    audit("enrolment.applied", enrolment, actor=user, after={"status": "pending"})
    return enrolment


def _take_seat(edition: Edition) -> bool:
    result = db.session.execute(
        update(Edition)
        .where(Edition.id == edition.id)
        .where((Edition.capacity.is_(None)) | (Edition.seats_taken < Edition.capacity))
        .values(seats_taken=Edition.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(edition, ["seats_taken"])
    return result.rowcount == 1


def _free_seat(edition: Edition) -> None:
    db.session.execute(
        update(Edition).where(Edition.id == edition.id, Edition.seats_taken > 0)
        .values(seats_taken=Edition.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(edition, ["seats_taken"])


@dataclass
class DecisionResult:
    accepted: int = 0
    waitlisted: int = 0
    rejected: int = 0
    skipped: int = 0
    # why people were skipped: "decided" (no longer pending) or "full" (already on the
    # waiting list and still no seat), with how many each
    skipped_because: dict = field(default_factory=dict)

    def skip(self, why: str) -> None:
        self.skipped += 1
        self.skipped_because[why] = self.skipped_because.get(why, 0) + 1


SUBJECTS = {
    EnrolmentStatus.ACCEPTED: _l("You have been accepted"),
    EnrolmentStatus.WAITLISTED: _l("You are on the waiting list"),
    EnrolmentStatus.REJECTED: _l("About your application"),
}


def _notify(enrolment: Enrolment) -> None:
    edition = enrolment.edition
    send_template(enrolment.user, "email/courses/decision", SUBJECTS[enrolment.status],
                  enrolment=enrolment, edition=edition, course=edition.course,
                  link=link("courses.edition", edition_id=edition.id))


def _set(enrolment: Enrolment, status: EnrolmentStatus, actor, reason: str | None = None):
    before = {"status": str(enrolment.status)}
    enrolment.status = status
    enrolment.decided_at = utcnow()
    enrolment.decided_by_id = getattr(actor, "id", None)
    if status == EnrolmentStatus.WAITLISTED and enrolment.waitlisted_at is None:
        enrolment.waitlisted_at = utcnow()
    if status == EnrolmentStatus.REJECTED:
        enrolment.rejection_reason = reason
    after = {"status": str(status)}
    if reason:
        after["reason"] = reason
    audit("enrolment.decided", enrolment, actor=actor, before=before, after=after)


DECIDABLE = {"accept": (EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED),
             "waitlist": (EnrolmentStatus.PENDING,),
             "reject": (EnrolmentStatus.PENDING, EnrolmentStatus.WAITLISTED)}


def selected(edition: Edition, enrolment_ids: list[int], decision: str,
             reason: str | None = None) -> list[Enrolment]:
    """The applications a decision is about, in the order they came in. Raises CourseError
    (400) for a missing decision or reason, an empty selection or someone else's ids."""
    if decision not in DECISIONS:
        raise CourseError(_("Choose a decision."), 400)
    reason = (reason or "").strip()
    if decision == "reject" and not reason:
        raise CourseError(_("Give a reason for the rejection; the applicant will read it."), 400)
    if len(reason) > 500:
        raise CourseError(_("The reason is too long (at most 500 characters)."), 400)
    if not enrolment_ids:
        raise CourseError(_("Select at least one application."), 400)
    rows = list(db.session.scalars(
        select(Enrolment).where(Enrolment.edition_id == edition.id,
                                Enrolment.id.in_(enrolment_ids))
        .order_by(Enrolment.applied_at, Enrolment.id)
    ))
    if len(rows) != len(set(enrolment_ids)):
        raise CourseError(_("Some selected applications do not belong to this edition."), 400)
    return rows


def preview(edition: Edition, enrolment_ids: list[int], decision: str,
            reason: str | None = None) -> DecisionResult:
    """What `decide` would do with the seats left now, writing nothing: the counts the
    confirmation page shows."""
    rows = selected(edition, enrolment_ids, decision, reason)
    seats = edition.seats_left
    result = DecisionResult()
    for enrolment in rows:
        if enrolment.status not in DECIDABLE[decision]:
            result.skip("decided")
        elif decision == "accept" and (seats is None or seats > 0):
            seats = None if seats is None else seats - 1
            result.accepted += 1
        elif decision == "accept" and enrolment.status == EnrolmentStatus.WAITLISTED:
            result.skip("full")
        elif decision in ("accept", "waitlist"):
            result.waitlisted += 1
        else:
            result.rejected += 1
    return result


def decide(edition: Edition, enrolment_ids: list[int], decision: str, *, actor,
           reason: str | None = None) -> DecisionResult:
    """Decide on several applications at once (the caller commits once). Accepting takes a
    seat each; when none is left the rest go to the waiting list. Each person is emailed in
    their own language. Undecidable ones (already accepted, withdrawn...) are skipped."""
    rows = selected(edition, enrolment_ids, decision, reason)
    reason = (reason or "").strip()
    result = DecisionResult()
    for enrolment in rows:
        if enrolment.status not in DECIDABLE[decision]:
            result.skip("decided")
            continue
        if decision == "accept":
            if _take_seat(edition):
                _set(enrolment, EnrolmentStatus.ACCEPTED, actor)
                live.register_participant(edition, enrolment.user)
                result.accepted += 1
            elif enrolment.status == EnrolmentStatus.WAITLISTED:
                result.skip("full")
                continue
            else:
                _set(enrolment, EnrolmentStatus.WAITLISTED, actor)
                result.waitlisted += 1
        elif decision == "waitlist":
            _set(enrolment, EnrolmentStatus.WAITLISTED, actor)
            result.waitlisted += 1
        else:
            _set(enrolment, EnrolmentStatus.REJECTED, actor, reason)
            result.rejected += 1
        _notify(enrolment)
    return result


def withdraw(enrolment: Enrolment, *, actor) -> Enrolment | None:
    """The person leaves (caller commits). A freed seat goes to the first on the waiting list,
    who is returned (and emailed)."""
    if enrolment.status not in OPEN_STATES:
        raise CourseError(_("This application can no longer be withdrawn."), 409)
    had_seat = enrolment.status == EnrolmentStatus.ACCEPTED
    before = {"status": str(enrolment.status)}
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = utcnow()
    audit("enrolment.withdrawn", enrolment, actor=actor, before=before,
          after={"status": "withdrawn"})
    edition = enrolment.edition
    if not had_seat:
        return None
    live.cancel_participant(edition, enrolment.user)
    _free_seat(edition)
    return promote_next(edition, actor=actor)


def promote_next(edition: Edition, *, actor=None) -> Enrolment | None:
    first = db.session.scalar(
        select(Enrolment).where(Enrolment.edition_id == edition.id,
                                Enrolment.status == EnrolmentStatus.WAITLISTED)
        .order_by(Enrolment.waitlisted_at, Enrolment.id).limit(1)
    )
    if first is None or not _take_seat(edition):
        return None
    _set(first, EnrolmentStatus.ACCEPTED, actor)
    live.register_participant(edition, first.user)
    _notify(first)
    return first
