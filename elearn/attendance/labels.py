"""Attendance statuses and sources as people read them, in their language (never the codes)."""

from flask_babel import lazy_gettext as _l

from .models import AttendanceSource, AttendanceStatus

STATUS_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.EXCUSED: _l("Excused"),
    AttendanceStatus.ABSENT: _l("Absent"),
}

SOURCE_LABELS = {
    AttendanceSource.QR_CHECK_IN: _l("Ticket checked at the door"),
    AttendanceSource.ROLL_CALL: _l("Roll call"),
    AttendanceSource.SELF_CHECK_IN: _l("Self check-in with the session code"),
    AttendanceSource.PROVIDER_IMPORT: _l("Video meeting's live list"),
    AttendanceSource.CSV_IMPORT: _l("Attendance report (CSV)"),
}
