"""Adding, removing and listing outputs. Each listing is one query, whatever the number of
sessions or events: the visibilities a person may see are decided first (rules.levels_for),
then asked of the database."""

from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from elearn.accounts.permissions import is_programme_manager
from elearn.audit.services import record
from elearn.courses.models import Course, Edition, EditionStatus
from elearn.db_types import utcnow
from elearn.events.models import Event, EventSession, EventStatus, Registration, RegistrationStatus
from elearn.extensions import db
from elearn.form_checks import has_control_characters
from elearn.multilingual import clean_texts
from elearn.programme.models import Activity

from ..models import OUTPUT_LANGUAGES, Output, OutputKind, Visibility
from ..rules import levels_for
from . import files
from .errors import OutputError

OWNER_TYPES = {"activity": Activity, "event": Event, "edition": Edition}
MAX_URL = 1000


# --- checks ---------------------------------------------------------------------------------

def check_link(url: str | None) -> str:
    """An https address with a host, on one line: what the person typed, or OutputError."""
    url = (url or "").strip()
    if not url:
        raise OutputError(_("Give a file or a link."))
    if has_control_characters(url) or " " in url:
        raise OutputError(_("A link must be a single line without spaces."))
    if len(url) > MAX_URL:
        raise OutputError(_("The link is too long (at most %(num)s characters).", num=MAX_URL))
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise OutputError(_("This is not a web address.")) from None
    if parts.scheme.lower() != "https" or not host:
        raise OutputError(_("Only https:// links are accepted."))
    return url


def owner_of(owner_type: str, owner_id: int):
    """The activity, event or edition a URL names, or None."""
    model = OWNER_TYPES.get(owner_type)
    return db.session.get(model, owner_id) if model is not None else None


def owner_type_of(owner) -> str:
    if isinstance(owner, EventSession):
        return "event"
    return next(name for name, model in OWNER_TYPES.items() if isinstance(owner, model))


def _owner_column(owner) -> dict:
    for column, model in (("session_id", EventSession), ("activity_id", Activity),
                          ("event_id", Event), ("edition_id", Edition)):
        if isinstance(owner, model):
            return {column: owner.id}
    raise OutputError(_("Outputs belong to an activity, an event, a session or an edition."))


def _snapshot(output: Output) -> dict:
    return {"kind": output.kind.value, "title": dict(output.title),
            "visibility": output.visibility.value,
            "language": output.language, "published_on": output.published_on.isoformat(),
            "file_name": output.file_name, "size_bytes": output.size_bytes, "url": output.url,
            **{c: getattr(output, c) for c in ("activity_id", "event_id", "session_id",
                                                "edition_id") if getattr(output, c)}}


# --- changes --------------------------------------------------------------------------------

def add_output(owner, actor, *, kind: OutputKind | str, title: dict | None = None,
               title_en: str = "", title_es: str = "", language: str = "es",
               published_on: date | None = None,
               visibility: Visibility | str = Visibility.PUBLIC,
               file: files.CheckedFile | None = None, url: str | None = None) -> Output:
    """A new output of `owner`, audited; the caller commits. A file is stored at once and
    removed again if the row cannot be written, so no file is left without its record.
    `title` is by language ({"es": …, "pt": …}); title_en/title_es add to it."""
    texts = clean_texts({**(title or {}), "en": title_en or (title or {}).get("en"),
                         "es": title_es or (title or {}).get("es")})
    if not texts:
        raise OutputError(_("Give a title in at least one language."))
    if language not in OUTPUT_LANGUAGES:
        raise OutputError(_("Choose the language of the document."))
    if (file is None) == (not url):
        raise OutputError(_("Give either a file or a link, not both."))
    output = Output(kind=OutputKind(kind), title=texts,
                    language=language, published_on=published_on or utcnow().date(),
                    visibility=Visibility(visibility), uploaded_by_id=getattr(actor, "id", None),
                    **_owner_column(owner))
    if file is not None:
        output.stored_name = files.store(file)
        output.file_name, output.content_type = file.file_name, file.content_type
        output.size_bytes = len(file.data)
    else:
        output.url = check_link(url)
    db.session.add(output)
    try:
        db.session.flush()
    except Exception:
        files.discard(output.stored_name)
        raise
    record("output.added", output, actor=actor, after=_snapshot(output))
    return output


def delete_output(output: Output, actor) -> str | None:
    """Remove the record (audited). Returns the stored file's name: the caller removes the
    file once the deletion is committed (a failed commit then keeps both)."""
    record("output.deleted", output, actor=actor, before=_snapshot(output))
    stored = output.stored_name
    db.session.delete(output)
    return stored


# --- listings -------------------------------------------------------------------------------

def _newest_first(query):
    return query.order_by(Output.published_on.desc(), Output.id.desc())


@dataclass
class EventOutputs:
    listed: list[Output] = field(default_factory=list)  # the event's and its sessions'
    recordings: dict[int, list[Output]] = field(default_factory=dict)  # session id -> ended


def outputs_of_event(event: Event, user, now: datetime | None = None) -> EventOutputs:
    """What this person sees of the event's outputs. A session's recording appears once the
    session has ended (to organisers at once: they check what they put up)."""
    levels = levels_for(user, event)
    if not levels:
        return EventOutputs()
    now = now or utcnow()
    sessions = select(EventSession.id).where(EventSession.event_id == event.id)
    found = db.session.scalars(_newest_first(
        select(Output).options(selectinload(Output.session))
        .where(or_(Output.event_id == event.id, Output.session_id.in_(sessions)),
               Output.visibility.in_(levels)))).all()
    managers = Visibility.ORGANISERS in levels
    result = EventOutputs()
    for output in found:
        session = output.session
        if session is not None and output.kind == OutputKind.RECORDING:
            if session.ends_at > now and not managers:
                continue
            if session.ends_at <= now:
                result.recordings.setdefault(session.id, []).append(output)
        result.listed.append(output)
    return result


def outputs_of_edition(edition: Edition, user) -> list[Output]:
    levels = levels_for(user, edition)
    if not levels:
        return []
    return list(db.session.scalars(_newest_first(
        select(Output).where(Output.edition_id == edition.id, Output.visibility.in_(levels)))))


def outputs_of_owner(owner) -> list[Output]:
    """Every output of an activity, event (its sessions' too) or edition: the managers' list."""
    if isinstance(owner, Event):
        sessions = select(EventSession.id).where(EventSession.event_id == owner.id)
        where = or_(Output.event_id == owner.id, Output.session_id.in_(sessions))
    else:
        (column, value), = _owner_column(owner).items()
        where = getattr(Output, column) == value
    return list(db.session.scalars(_newest_first(
        select(Output).options(selectinload(Output.session)).where(where))))


def activity_editions_query(activity_id: int):
    """An edition belongs to the activity named on it, else to its course's activity."""
    return (select(Edition.id).join(Course, Course.id == Edition.course_id)
            .where(or_(Edition.activity_id == activity_id,
                       Edition.activity_id.is_(None) & (Course.activity_id == activity_id))))


def outputs_of_activity(activity: Activity, user) -> list[Output]:
    """The activity page's list: the public outputs of the activity and of its events,
    sessions and editions (every one, drafts' included, for programme managers)."""
    manager = is_programme_manager(user)
    events = select(Event.id).where(Event.activity_id == activity.id)
    editions = activity_editions_query(activity.id)
    if not manager:
        events = events.where(Event.status != EventStatus.DRAFT)
        editions = editions.where(Edition.status != EditionStatus.DRAFT)
    sessions = select(EventSession.id).where(EventSession.event_id.in_(events))
    query = (select(Output).options(selectinload(Output.event), selectinload(Output.session),
                                    selectinload(Output.edition))
             .where(or_(Output.activity_id == activity.id, Output.event_id.in_(events),
                        Output.session_id.in_(sessions), Output.edition_id.in_(editions))))
    if not manager:
        query = query.where(Output.visibility == Visibility.PUBLIC)
    return list(db.session.scalars(_newest_first(query)))


def outputs_for_participant(user) -> list[tuple[Event, list[Output]]]:
    """For the person's own page: the public and participants' outputs of the events they
    hold a confirmed registration for, grouped by event, newest event first."""
    if user is None or not user.is_authenticated:
        return []
    events = select(Registration.event_id).where(
        Registration.user_id == user.id, Registration.status == RegistrationStatus.CONFIRMED)
    sessions = select(EventSession.id).where(EventSession.event_id.in_(events))
    found = db.session.scalars(_newest_first(
        select(Output).options(selectinload(Output.event), selectinload(Output.session)
                               .selectinload(EventSession.event))
        .where(or_(Output.event_id.in_(events), Output.session_id.in_(sessions)),
               Output.visibility.in_((Visibility.PUBLIC, Visibility.PARTICIPANTS))))).all()
    now = utcnow()
    grouped: dict[int, tuple[Event, list[Output]]] = {}
    for output in found:
        session = output.session
        if session is not None and output.kind == OutputKind.RECORDING and session.ends_at > now:
            continue
        event = output.event or session.event
        if event.status == EventStatus.DRAFT:
            continue
        grouped.setdefault(event.id, (event, []))[1].append(output)
    return sorted(grouped.values(), key=lambda pair: (pair[0].starts_at is None,
                                                       -(pair[0].starts_at.timestamp()
                                                         if pair[0].starts_at else 0)))
