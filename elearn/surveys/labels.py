"""Words for a survey's status, in the reader's language."""

from flask_babel import lazy_gettext as _l

from .models import SurveyStatus

STATUS_LABELS = {
    SurveyStatus.DRAFT: _l("Waiting for a date"),
    SurveyStatus.SCHEDULED: _l("Scheduled"),
    SurveyStatus.OPEN: _l("Open"),
    SurveyStatus.CLOSED: _l("Closed"),
}
