"""The words people see for an edition's and an enrolment's status: one place, so a page, a
filter and a list never show the raw code ("waitlisted") or name one status two ways."""

from flask_babel import lazy_gettext as _l

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


def status_label(status) -> str:
    """The label of an edition's or an enrolment's status (template filter `status_label`)."""
    return str((EDITION_STATUS_LABELS | ENROLMENT_STATUS_LABELS).get(status, status))
