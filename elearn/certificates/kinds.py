"""The rule of each certificate kind: who is considered, who qualifies and why not, and what
the certificate records about the person (the snapshot's details).

Every kind offers `qualifies(person, subject, template=None) -> (bool, reason)`,
`snapshot(person, subject) -> dict` and `evaluate(subject, template) -> [Verdict]`; the last
one judges everyone at once with grouped queries, so a page of 2,000 people costs a few queries.
"""

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.courses.services import completion
from elearn.events.forms import ROLE_LABELS, STATUS_LABELS
from elearn.extensions import db

from .kinds_base import Kind, Verdict, only_ids, users_by_id
from .models import CertificateKind, SubjectType


class Participation(Kind):
    key = CertificateKind.PARTICIPATION
    subject_type = SubjectType.EVENT

    def evaluate(self, event, template=None, only=None) -> list[Verdict]:
        from elearn.attendance.models import Attendance, AttendanceStatus
        from elearn.events.models import EventSession, Registration, RegistrationStatus

        required = template.min_attendance_percent if template else 75
        session_count = sum(1 for s in event.sessions if not s.cancelled)
        attended = dict(db.session.execute(only_ids(
            select(Attendance.user_id, func.count(Attendance.id))
            .join(EventSession, EventSession.id == Attendance.session_id)
            .where(EventSession.event_id == event.id, EventSession.cancelled.is_(False),
                   Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
            .group_by(Attendance.user_id), Attendance.user_id, only)).all())
        registered = set(db.session.scalars(only_ids(
            select(Registration.user_id).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED),
            Registration.user_id, only)))
        people = users_by_id(registered | set(attended))
        verdicts = []
        for user_id, person in sorted(people.items(), key=lambda p: p[1].full_name.lower()):
            count = attended.get(user_id, 0)
            share = 100 * count / session_count if session_count else 0
            details = {"sessions_attended": count, "sessions": session_count}
            if not session_count:
                ok, reason = False, _("This event has no sessions to attend.")
            else:
                ok = share + 1e-9 >= required
                reason = _("Attended %(count)d of %(total)d sessions (%(share)d%%); "
                           "%(required)d%% required.", count=count, total=session_count,
                           share=int(share), required=required)
            verdicts.append(Verdict(person, ok, reason, details))
        return verdicts


SPEAKING_ROLES = ("speaker", "panellist", "chair", "moderator")


class Speaker(Kind):
    key = CertificateKind.SPEAKER
    subject_type = SubjectType.EVENT

    def evaluate(self, event, template=None, only=None) -> list[Verdict]:
        from elearn.events.models import Registration, RegistrationStatus

        rows = db.session.execute(only_ids(
            select(Registration.user_id, Registration.role, Registration.status).where(
                Registration.event_id == event.id,
                Registration.role.in_(SPEAKING_ROLES)),
            Registration.user_id, only)).all()
        people = users_by_id(r.user_id for r in rows)
        verdicts = []
        for row in sorted(rows, key=lambda r: people[r.user_id].full_name.lower()):
            ok = row.status == RegistrationStatus.CONFIRMED
            # Labels in the reader's language, never the stored codes (issue 13.10).
            role = ROLE_LABELS.get(row.role, str(row.role))
            reason = (_("Confirmed as %(role)s.", role=role) if ok
                      else _("Registered as %(role)s, but not confirmed (%(status)s).",
                             role=role, status=STATUS_LABELS.get(row.status, str(row.status))))
            verdicts.append(Verdict(people[row.user_id], ok, reason, {"role": str(row.role)}))
        return verdicts

    def not_considered_reason(self) -> str:
        return _("Not a speaker, panellist, chair or moderator of this event.")


def completion_service():
    """The courses domain's completion service (a function so tests can stand in for it)."""
    return completion


class Diploma(Kind):
    """Asks the courses domain's completion service (`evaluate_edition` for everyone at once,
    else `evaluate(enrolment)`); without it, the enrolment's recorded COMPLETED status."""

    key = CertificateKind.DIPLOMA
    subject_type = SubjectType.EDITION

    def evaluate(self, edition, template=None, only=None) -> list[Verdict]:
        from elearn.courses.models import PARTICIPANT_STATUSES, Enrolment, EnrolmentStatus

        enrolments = list(db.session.scalars(only_ids(
            select(Enrolment).where(Enrolment.edition_id == edition.id,
                                    Enrolment.status.in_(PARTICIPANT_STATUSES)),
            Enrolment.user_id, only)))
        people = users_by_id(e.user_id for e in enrolments)
        service = completion_service()
        results = {}
        if service is not None and hasattr(service, "evaluate_edition"):
            results = service.evaluate_edition(edition, enrolments=enrolments)
        elif service is not None:
            results = {e.id: service.evaluate(e) for e in enrolments}
        verdicts = []
        for enrolment in sorted(enrolments, key=lambda e: people[e.user_id].full_name.lower()):
            details = {}
            if service is not None:
                result = results[enrolment.id]
                ok = bool(result.complete)
                reasons = [str(r) for r in (getattr(result, "reasons", None) or [])]
                reason = "; ".join(reasons) or (
                    _("Completed the course.") if ok else _("Has not completed the course."))
                grade = getattr(result, "grade", None)
                if grade is not None:
                    details["grade"] = grade
            else:
                ok = enrolment.status == EnrolmentStatus.COMPLETED
                reason = (_("Completed the course.") if ok
                          else _("Has not completed the course."))
            verdicts.append(Verdict(people[enrolment.user_id], ok, reason, details))
        return verdicts

    def not_considered_reason(self) -> str:
        return _("Not a participant of this edition.")


class Instructor(Kind):
    key = CertificateKind.INSTRUCTOR
    subject_type = SubjectType.EDITION

    def evaluate(self, edition, template=None, only=None) -> list[Verdict]:
        ids = [i.user_id for i in edition.instructors
               if only is None or i.user_id in only]
        people = users_by_id(ids)
        return [Verdict(p, True, _("Teaches this edition."), {"role": "instructor"})
                for p in sorted(people.values(), key=lambda p: p.full_name.lower())]

    def not_considered_reason(self) -> str:
        return _("Not an instructor of this edition.")


from .hackathon_kinds import HackathonAward, HackathonParticipation  # noqa: E402

KINDS: dict[CertificateKind, Kind] = {k.key: k for k in (
    Participation(), Speaker(), Diploma(), Instructor(),
    HackathonParticipation(), HackathonAward(),
)}


def get_kind(key: CertificateKind | str) -> Kind:
    return KINDS[CertificateKind(key)]


def kinds_for(subject_type: SubjectType) -> list[Kind]:
    return [k for k in KINDS.values() if k.subject_type == subject_type]
