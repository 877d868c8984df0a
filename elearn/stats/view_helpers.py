"""Helpers shared by the statistics views: who may see which scope, the filters of a request,
and the query string of the page's own links (the blueprint and its URLs are in blueprint.py).

Rights: figures of the whole programme (and of a programme or a course edition's cohort
across the programme) are for programme managers and admins; an event's or a hackathon's
figures also for the organisers of that event, an edition's for its instructors."""

from flask import abort, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.models import Subregion
from elearn.accounts.permissions import can, is_admin, is_programme_manager
from elearn.courses.labels import edition_name
from elearn.courses.models import Edition
from elearn.events.models import AttendanceMode, Event, EventKind, EventStatus
from elearn.extensions import db
from elearn.hackathons.models import Hackathon
from elearn.multilingual import sql_text
from elearn.programme.models import Programme
from elearn.programme.services import MAIN_LANGUAGE as PROGRAMME_LANGUAGE

from . import services
from .labels import DIMENSION_LABELS, VALUE_LABELS
from .queries import COURSE_KIND, DIMENSIONS

SCOPES = ("all", "programme", "event", "edition", "hackathon")
DEFAULT_BY = {"all": "year", "programme": "activity", "event": "country", "edition": "country",
              "hackathon": "country"}
# The only query parameters the page's links carry on: anything else in the address (a
# `_external`, an `endpoint`, a repeated key) is ignored rather than handed to url_for.
LINK_PARAMETERS = ("year", "programme", "kind", "mode", "country", "subregion", "by", "by2")
# Larger ids cannot be a row and overflow the database's integers: 404 before asking.
MAX_ID = 2**31 - 1


def get_or_404(model, row_id: int):
    if not 0 < row_id <= MAX_ID:
        abort(404)
    return db.get_or_404(model, row_id)


def title_of(obj) -> str:
    """An event's or programme's title (an edition's name) in the reader's language, else
    in its main language with a note."""
    fields = getattr(obj, "__multilingual__", ())
    for field in ("title", "name"):
        if field in fields:
            return obj.text_noted(field)
    return getattr(obj, "name", "")


def may_see_event(event: Event) -> bool:
    return is_programme_manager(current_user) or can(current_user, "manage", event)


def scope_subject(scope: str, obj_id: int):
    """(object, scope filters, title) of a scope, whoever asks; LookupError when there is no
    such scope or object. (The prepared exports ask it without a request.)"""
    if scope not in SCOPES or not 0 <= obj_id <= MAX_ID:
        raise LookupError(scope)
    if scope == "event":
        event = db.session.get(Event, obj_id) if obj_id else None
        if event is None:
            raise LookupError(obj_id)
        return event, {"event_id": event.id}, title_of(event)
    if scope == "hackathon":
        hackathon = db.session.get(Hackathon, obj_id) if obj_id else None
        if hackathon is None:
            raise LookupError(obj_id)
        return (hackathon, {"event_id": hackathon.event_id, "hackathon_id": hackathon.id},
                title_of(hackathon.event))
    if scope == "edition":
        edition = db.session.get(Edition, obj_id) if obj_id else None
        if edition is None:
            raise LookupError(obj_id)
        return edition, {"edition_id": edition.id}, edition_name(edition)
    if scope == "programme":
        programme = db.session.get(Programme, obj_id) if obj_id else None
        if programme is None:
            raise LookupError(obj_id)
        return programme, {"programme": programme.id}, f"{programme.code} {title_of(programme)}"
    return None, {}, _("Work programme")


def may_see_scope(user, scope: str, obj) -> bool:
    """Figures of the whole programme (and of a programme) are for programme managers and
    admins; an event's or a hackathon's also for its organisers, an edition's for its
    instructors."""
    if is_programme_manager(user):
        return True
    if scope in ("event", "hackathon"):
        return can(user, "manage", obj)
    if scope == "edition":
        return can(user, "teach", obj)
    return False


def resolve_scope(scope: str, obj_id: int):
    """(object, scope filters, title) after the permission check for this scope."""
    if scope not in SCOPES:
        abort(404)
    if scope in ("all", "programme") and not is_programme_manager(current_user):
        abort(403)  # before looking: the programme's ids are nobody else's business
    try:
        found = scope_subject(scope, obj_id)
    except LookupError:
        abort(404)
    if not may_see_scope(current_user, scope, found[0]):
        abort(403)
    return found


def link_arguments() -> dict:
    """The request's known filters, one value each, for the links of the page."""
    return {key: request.args.get(key) for key in LINK_PARAMETERS if request.args.get(key)}


def parse_request(scope: str, scope_filters: dict, args: dict | None = None):
    """(filters, dimensions) of the request (or of `args`, the request's link arguments kept
    for a prepared export); StatsError names an impossible one."""
    args = dict(link_arguments() if args is None else args)
    if "programme" in scope_filters:
        args.pop("programme", None)
    return (services.parse_filters(args, **scope_filters),
            services.parse_dimensions(args, DEFAULT_BY[scope]))


def filter_choices() -> dict:
    programmes = db.session.execute(
        select(Programme.id, Programme.code,
               sql_text(Programme.title, str(get_locale() or "en"), PROGRAMME_LANGUAGE))
        .order_by(Programme.id)).all()
    kinds = [(k.value, str(VALUE_LABELS["kind"][k.value])) for k in EventKind]
    kinds.append((COURSE_KIND, str(VALUE_LABELS["kind"][COURSE_KIND])))
    return {
        "programmes": programmes, "kinds": kinds,
        "modes": [(m.value, str(VALUE_LABELS["mode"][m.value])) for m in AttendanceMode],
        "subregions": [(s.value, str(VALUE_LABELS["subregion"][s.value])) for s in Subregion],
        "dimensions": [(d, str(DIMENSION_LABELS[d])) for d in DIMENSIONS if d != "role"],
    }


def protected(user=None) -> bool:
    """Small figures are hidden from everyone but admins."""
    return not is_admin(current_user if user is None else user)


def staff_dashboards(user) -> list[tuple[str, str]]:
    """(label, address) of the statistics dashboards this person may open, for the
    Statistics page: the whole work programme and each programme for programme managers,
    the events they organise (with their hackathons) and the editions they teach."""
    from flask import url_for

    from elearn.courses.models import EditionInstructor
    from elearn.events.models import EventOrganiser

    if user is None or not user.is_authenticated:
        return []
    links = []
    if is_programme_manager(user):
        links.append((_("Work programme"), url_for("stats.dashboard")))
        for programme in db.session.scalars(select(Programme).order_by(Programme.id)):
            links.append((f"{programme.code} {title_of(programme)}",
                          url_for("stats.dashboard", scope="programme", obj_id=programme.id)))
    # Programme managers may open (and publish) every event and edition; others theirs.
    events, editions = select(Event), select(Edition)
    if not is_programme_manager(user):
        events = events.join(EventOrganiser, EventOrganiser.event_id == Event.id) \
            .where(EventOrganiser.user_id == user.id)
        editions = editions.join(EditionInstructor,
                                 EditionInstructor.edition_id == Edition.id) \
            .where(EditionInstructor.user_id == user.id)
    events = db.session.scalars(events.where(Event.status != EventStatus.CANCELLED)
                                .order_by(Event.starts_at.desc()))
    links += [(title_of(e), url_for("stats.event_dashboard", event_id=e.id)) for e in events]
    editions = db.session.scalars(editions.order_by(Edition.id.desc()))
    links += [(edition_name(e), url_for("stats.dashboard", scope="edition", obj_id=e.id))
              for e in editions]
    return links
