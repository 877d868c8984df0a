"""The words people see for the courses domain's codes: edition and enrolment statuses, kinds
of assessment and question. One place, so a page, a filter, a list and an export
never show the raw code ("waitlisted", "true_false") or name one thing two ways."""

from flask_babel import lazy_gettext as _l

from .assessment_models import AssessmentKind, QuestionKind
from .models import EditionStatus, EnrolmentStatus

EDITION_STATUS_LABELS = {
    EditionStatus.DRAFT: _l("Draft"),
    EditionStatus.OPEN: _l("Open for applications"),
    EditionStatus.RUNNING: _l("Running"),
    EditionStatus.COMPLETED: _l("Completed"),
}
ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.PENDING: _l("Pending"), EnrolmentStatus.ACCEPTED: _l("Accepted"),
    EnrolmentStatus.WAITLISTED: _l("Waiting list"), EnrolmentStatus.REJECTED: _l("Rejected"),
    EnrolmentStatus.WITHDRAWN: _l("Withdrawn"), EnrolmentStatus.COMPLETED: _l("Completed"),
    EnrolmentStatus.NOT_COMPLETED: _l("Not completed"),
}
ASSESSMENT_KIND_LABELS = {AssessmentKind.QUIZ: _l("quiz"),
                          AssessmentKind.ASSIGNMENT: _l("assignment")}
QUESTION_KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"), QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.TRUE_FALSE: _l("True or false"), QuestionKind.NUMERIC: _l("Number"),
}

_ALL = (EDITION_STATUS_LABELS | ENROLMENT_STATUS_LABELS | ASSESSMENT_KIND_LABELS
        | QUESTION_KIND_LABELS)


def status_label(status) -> str:
    """The label of an edition's or an enrolment's status (template filter `status_label`)."""
    return str((EDITION_STATUS_LABELS | ENROLMENT_STATUS_LABELS).get(status, status))


def course_label(code) -> str:
    """The label of any code of the domain (template filter `course_label`): statuses, kinds
    of assessment and question, late policies. An unknown code is shown as it is."""
    return str(_ALL.get(code, code))


def edition_name(edition) -> str:
    """An edition's name in the reader's language, as the template filter `localised` shows
    it: else in the edition's language with a note saying which ("(in Spanish)"), for
    statistics titles and lists built in Python."""
    return edition.text_noted("name")
