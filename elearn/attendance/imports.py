"""Online attendance from the video provider: its live attendee list (BigBlueButton, through
events.video.meeting_attendance) or the attendance report CSV an organiser downloads from it.

Report (CSV) rows are matched to confirmed registrations by email (case-insensitive). A person
who dropped and rejoined appears several times: their minutes are added up (capped at the
session length), since each row is a separate stretch of time in the room. Whoever attended at
least the minimum share of the session is present; below it they are absent, with their minutes
kept so the organiser can see how close they came. An import never turns someone already marked
present or late (e.g. checked in at the door of a hybrid meeting) into absent.

The live list (BigBlueButton getMeetingInfo) is a snapshot of who is in the room at the moment
of the poll, identified by the user id this site sent on join: it cannot tell how long anyone
stayed. So a poll taken while the session is on (from POLL_GRACE before its start to POLL_GRACE
after its end) records everyone it sees as present, online, with minutes unknown (None) and no
minimum share applied. Polling again is safe: people already present or late are left as they
are, and attendance rows are updated in place, never duplicated. People are matched by user id
only, to confirmed registrations; names are typed by the participant and are not safe to match
on, so a row without a known id is listed as unmatched for the organiser to check by hand.
"""

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from elearn.accounts.models import User
from elearn.db_types import utcnow
from elearn.events import video
from elearn.events.models import AttendanceMode, Registration, RegistrationStatus, VideoProvider
from elearn.extensions import db
from elearn.integrations.video import ProviderError

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
# People join a little early and meetings overrun; a poll in that margin still counts.
POLL_GRACE = timedelta(minutes=15)
log = logging.getLogger(__name__)


@dataclass
class ReportRow:
    name: str
    email: str
    minutes: int | None  # None: unknown (the live meeting list)
    line: int = 0


@dataclass
class ImportResult:
    present: int = 0
    absent: int = 0
    kept: int = 0  # already present or late; minutes updated only
    merged_rows: int = 0  # rows folded into another row for the same email (or user id)
    seen: int = 0  # people in the live meeting list
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


def rows_from_provider(event) -> list[dict]:
    """Who the event's video meeting reports in the room now: [{"user_id", "full_name",
    "role", "seen_at"}] (events.video.meeting_attendance). A provider failure becomes an
    AttendanceError(502) with the provider's translated message; nothing has been written."""
    if event.video_provider != VideoProvider.BIGBLUEBUTTON:
        raise AttendanceError(_("The video provider does not report attendance; upload its "
                                "attendance report instead."), 409)
    try:
        return list(video.meeting_attendance(event) or [])
    except ProviderError as exc:
        log.warning("Attendance poll failed for event %s: %s (%s)", event.id, exc, exc.detail)
        raise AttendanceError(str(exc), 502) from exc


def import_from_meeting(session, *, actor, now=None) -> ImportResult:
    """Poll the event's live meeting and record who is in it as present at `session`; refused
    (409) outside the session, before the provider is asked. The caller commits, or rolls
    back on error."""
    now = now or utcnow()
    if not session.starts_at - POLL_GRACE <= now <= session.ends_at + POLL_GRACE:
        raise AttendanceError(_("The meeting's live list can only be read while the session "
                                "is on. Upload the provider's attendance report instead."), 409)
    return import_live_attendance(session, rows_from_provider(session.event), actor=actor)


def import_live_attendance(session, people: list[dict], *, actor) -> ImportResult:
    """Record everyone in a live meeting list (rows_from_provider) as present at `session`
    (see the module docstring). The caller commits, or rolls back on error."""
    result = ImportResult(seen=len(people))
    by_id: dict[int, dict] = {}
    for person in people:
        user_id = person.get("user_id")
        name = (person.get("full_name") or "").strip()
        if not isinstance(user_id, int):
            result.unmatched.append(ReportRow(name, "", None))
        elif user_id in by_id:
            result.merged_rows += 1  # joined twice (two tabs or devices)
        else:
            by_id[user_id] = person
    # One read: each reported id's account and whether it holds a confirmed registration.
    found = {user_id: (email, registration_id) for user_id, email, registration_id in
             db.session.execute(
                 select(User.id, User.email, Registration.id)
                 .outerjoin(Registration, and_(
                     Registration.user_id == User.id,
                     Registration.event_id == session.event_id,
                     Registration.status == RegistrationStatus.CONFIRMED))
                 .where(User.id.in_(list(by_id))))} if by_id else {}
    registered = {uid for uid, (_email, reg) in found.items() if reg is not None}
    attended = set(db.session.scalars(
        select(Attendance.user_id).where(
            Attendance.session_id == session.id,
            Attendance.user_id.in_(list(registered)),
            Attendance.status.in_([AttendanceStatus.PRESENT, AttendanceStatus.LATE]))
    )) if registered else set()
    entries = []
    for user_id, person in by_id.items():
        if user_id not in registered:
            result.unmatched.append(ReportRow((person.get("full_name") or "").strip(),
                                              found.get(user_id, ("", None))[0], None))
        elif user_id in attended:
            result.kept += 1
        else:
            result.present += 1
            entries.append((user_id, AttendanceStatus.PRESENT, AttendanceMode.ONLINE, None))
    record_many(session, entries, source=AttendanceSource.PROVIDER_IMPORT, actor=actor)
    return result


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
