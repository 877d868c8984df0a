"""Online attendance from the video provider: its live attendee list (BigBlueButton, through
events.video.meeting_attendance) or the attendance report CSV an organiser downloads from it.

Rows are matched to confirmed registrations by email (case-insensitive). A person who dropped
and rejoined appears several times: their minutes are added up (capped at the session length),
since each row is a separate stretch of time in the room. Whoever attended at least the minimum
share of the session is present; below it they are absent, with their minutes kept so the
organiser can see how close they came. An import never turns someone already marked present
or late (e.g. checked in at the door of a hybrid meeting) into absent.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus
from elearn.extensions import db

from .models import Attendance, AttendanceSource, AttendanceStatus
from .services import AttendanceError, record_many, setting

HEADER_ALIASES = {
    "name": ("name", "full name", "fullname", "participant", "participant name", "user name",
             "username", "nombre", "nome", "nom"),
    "email": ("email", "e-mail", "email address", "e-mail address", "user email", "mail",
              "correo", "correo electrónico", "correo electronico"),
    "minutes": ("minutes", "minutes attended", "duration", "duration (minutes)",
                "duration (min)", "attended minutes", "time in session (minutes)", "minutos",
                "duración", "duracion", "minutes in meeting"),
}
REQUIRED = ("email", "minutes")


@dataclass
class ReportRow:
    name: str
    email: str
    minutes: int
    line: int = 0


@dataclass
class ImportResult:
    present: int = 0
    absent: int = 0
    kept: int = 0  # already present or late; minutes updated only
    merged_rows: int = 0  # rows folded into another row for the same email
    unmatched: list[ReportRow] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel writes), else Latin-1 (older Windows exports)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _norm(header: str) -> str:
    return re.sub(r"\s+", " ", (header or "").strip().strip('"').lower())


def _minutes(value: str, line: int) -> int:
    text = (value or "").strip().replace(",", ".")
    if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):  # h:mm or h:mm:ss
        parts = [int(p) for p in text.split(":")]
        return parts[0] * 60 + parts[1] + (1 if len(parts) == 3 and parts[2] >= 30 else 0)
    try:
        number = float(text)
    except ValueError:
        raise AttendanceError(
            _("Line %(line)d: \"%(value)s\" is not a number of minutes.", line=line,
              value=value[:40]), 400) from None
    if number < 0 or number > 100000:
        raise AttendanceError(_("Line %(line)d: minutes out of range.", line=line), 400)
    return round(number)


def parse_report(data: bytes) -> list[ReportRow]:
    """Rows of a provider's attendance report. Raises AttendanceError(400) naming the missing
    columns or the first bad line; nothing is read half-way."""
    text = decode(data)
    if not text.strip():
        raise AttendanceError(_("The file is empty."), 400)
    first_line = text.splitlines()[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    headers = [_norm(h) for h in next(reader)]
    columns = {}
    for key, aliases in HEADER_ALIASES.items():
        for index, header in enumerate(headers):
            if header in aliases:
                columns[key] = index
                break
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise AttendanceError(
            _("The file has no %(missing)s column. Expected columns: name, email, minutes "
              "(found: %(found)s).", missing=", ".join(missing),
              found=", ".join(h for h in headers if h) or "-"), 400)
    rows = []
    for line, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        def cell(key, record=record):
            index = columns.get(key)
            return record[index].strip() if index is not None and index < len(record) else ""

        email = cell("email").lower()
        if "@" not in email:
            raise AttendanceError(_("Line %(line)d: \"%(value)s\" is not an email address.",
                                    line=line, value=email[:60]), 400)
        rows.append(ReportRow(cell("name"), email, _minutes(cell("minutes"), line), line))
    return rows


def rows_from_provider(event) -> list[ReportRow]:
    """The attendee list the event's video provider reports, when the adapter offers one."""
    try:
        from elearn.events import video
    except ImportError:
        video = None
    meeting_attendance = getattr(video, "meeting_attendance", None)
    if meeting_attendance is None:
        raise AttendanceError(_("The video provider does not report attendance; upload its "
                                "attendance report instead."), 409)
    rows = []
    for item in meeting_attendance(event) or []:
        get = item.get if isinstance(item, dict) else (lambda k, i=item: getattr(i, k, None))
        email = (get("email") or "").strip().lower()
        minutes = get("minutes") or get("minutes_attended") or get("duration_minutes") or 0
        rows.append(ReportRow(get("name") or get("full_name") or "", email, int(minutes)))
    return rows


def import_attendance(session, rows: list[ReportRow], *, actor, min_share: float | None = None,
                      source: AttendanceSource = AttendanceSource.CSV_IMPORT) -> ImportResult:
    """Apply report rows to the session in the caller's transaction (the caller commits, or
    rolls back on any error, so an import is all or nothing)."""
    if min_share is None:
        min_share = setting("ATTENDANCE_MIN_SHARE", 0.5)
    if not 0 <= min_share <= 1:
        raise AttendanceError(_("The minimum share must be between 0 and 100 %."), 400)
    length = max(1, round((session.ends_at - session.starts_at).total_seconds() / 60))
    result = ImportResult()
    merged: dict[str, ReportRow] = {}
    for row in rows:
        if row.email in merged:
            merged[row.email].minutes += row.minutes
            result.merged_rows += 1
        else:
            merged[row.email] = ReportRow(row.name, row.email, row.minutes, row.line)
    found = dict(db.session.execute(
        select(func.lower(User.email), Registration.user_id)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == session.event_id,
               Registration.status == RegistrationStatus.CONFIRMED,
               func.lower(User.email).in_(list(merged)))
    ).all()) if merged else {}
    attended = set(db.session.scalars(
        select(Attendance.user_id).where(
            Attendance.session_id == session.id,
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
    ))
    entries = []
    for email, row in merged.items():
        user_id = found.get(email)
        if user_id is None:
            result.unmatched.append(row)
            continue
        minutes = min(row.minutes, length)
        if user_id in attended:
            result.kept += 1
            status = None
        elif minutes >= min_share * length:
            result.present += 1
            status = AttendanceStatus.PRESENT
        else:
            result.absent += 1
            status = AttendanceStatus.ABSENT
        entries.append((user_id, status, minutes))
    _apply(session, entries, source, actor)
    return result


def _apply(session, entries, source, actor) -> None:
    kept = {uid: minutes for uid, status, minutes in entries if status is None}
    if kept:
        for row in db.session.scalars(select(Attendance).where(
                Attendance.session_id == session.id, Attendance.user_id.in_(list(kept)))):
            row.minutes_online = kept[row.user_id]
    record_many(session, [(uid, status, AttendanceMode.ONLINE, minutes)
                          for uid, status, minutes in entries if status is not None],
                source=source, actor=actor)
