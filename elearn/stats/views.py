"""Statistics pages: dashboards for organisers (suppressed unless admin), the public page of
events whose organisers opted in (always suppressed), and exports."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.models import Role, Subregion
from elearn.accounts.permissions import can, has_role, require
from elearn.events.models import AttendanceMode, Event, EventKind, EventStatus
from elearn.extensions import db

from . import exports, services
from .charts import stacked_bars
from .labels import DIMENSION_LABELS, VALUE_LABELS
from .queries import COURSE_KIND, DIMENSIONS, courses_installed

bp = Blueprint("stats", __name__)
SCOPES = ("all", "programme", "event", "edition")
DEFAULT_BY = {"all": "year", "programme": "activity", "event": "country", "edition": "country"}


def _title(obj) -> str:
    from flask_babel import get_locale

    es = str(get_locale()) == "es"
    if hasattr(obj, "title_en"):
        return (obj.title_es if es and obj.title_es else None) or obj.title_en
    return getattr(obj, "name", "")


def _scope(scope: str, obj_id: int):
    """(object, scope filters, title) after the permission check for this scope."""
    if scope not in SCOPES:
        abort(404)
    if scope == "event":
        event = db.get_or_404(Event, obj_id)
        if not (has_role(current_user, Role.ORGANISER) or can(current_user, "manage", event)):
            abort(403)
        return event, {"event_id": event.id}, _title(event)
    if not has_role(current_user, Role.ORGANISER):
        abort(403)
    if scope == "programme":
        from elearn.programme.models import Programme

        programme = db.get_or_404(Programme, obj_id)
        return programme, {"programme": programme.id}, f"{programme.code} {_title(programme)}"
    if scope == "edition":
        if not courses_installed():
            abort(404)
        from elearn.courses.models import Edition

        edition = db.get_or_404(Edition, obj_id)
        return edition, {"edition_id": edition.id}, edition.name
    return None, {}, _("Work programme")


def _filters(scope_filters: dict):
    args = request.args.to_dict()
    if "programme" in scope_filters:
        args.pop("programme", None)
    return services.parse_filters(args, **scope_filters)


def _choices():
    from elearn.programme.models import Programme

    programmes = db.session.execute(
        select(Programme.id, Programme.code, Programme.title_en).order_by(Programme.id)).all()
    kinds = [(k.value, str(VALUE_LABELS["kind"][k.value])) for k in EventKind]
    if courses_installed():
        kinds.append((COURSE_KIND, str(VALUE_LABELS["kind"][COURSE_KIND])))
    return {
        "programmes": programmes, "kinds": kinds,
        "modes": [(m.value, str(VALUE_LABELS["mode"][m.value])) for m in AttendanceMode],
        "subregions": [(s.value, str(VALUE_LABELS["subregion"][s.value])) for s in Subregion],
        "dimensions": [(d, str(DIMENSION_LABELS[d])) for d in DIMENSIONS if d != "role"],
    }


def _protected() -> bool:
    return not has_role(current_user, Role.ADMIN)


@bp.get("/stats/", defaults={"scope": "all", "obj_id": 0})
@bp.get("/stats/<scope>/<int(min=0):obj_id>")
@login_required
def dashboard(scope: str, obj_id: int):
    obj, scope_filters, title = _scope(scope, obj_id)
    try:
        f = _filters(scope_filters)
        dims = services.parse_dimensions(request.args, DEFAULT_BY[scope])
    except services.StatsError as exc:
        return render_template("stats/dashboard.html", scope=scope, obj=obj, obj_id=obj_id,
                               title=title, board=None, error=str(exc), args=request.args,
                               choices=_choices(), chart=stacked_bars), 400
    board = services.dashboard(scope, f, dims, protected=_protected(), title=title)
    return render_template("stats/dashboard.html", scope=scope, obj=obj, obj_id=obj_id,
                           title=title, board=board, error=None, args=request.args,
                           choices=_choices(), chart=stacked_bars)


@bp.get("/stats/event/<int:event_id>", endpoint="event_dashboard")
@login_required
def event_dashboard(event_id: int):
    return dashboard("event", event_id)


def _export_board(scope: str, obj_id: int):
    obj, scope_filters, title = _scope(scope, obj_id)
    try:
        f = _filters(scope_filters)
        dims = services.parse_dimensions(request.args, DEFAULT_BY[scope])
    except services.StatsError as exc:
        abort(Response(render_template("error.html", code=400, message=str(exc)), 400))
    return obj, services.dashboard(scope, f, dims, protected=_protected(), title=title)


@bp.get("/stats/<scope>/<int(min=0):obj_id>/export.csv")
@login_required
def export_csv(scope: str, obj_id: int):
    _obj, board = _export_board(scope, obj_id)
    table = board.table(request.args.get("table", ""))
    if table is None:
        return render_template("error.html", code=400, message=_(
            "Choose one of the tables of this page to export.")), 400
    return Response(exports.table_csv(table), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{table.key}.csv"'})


@bp.get("/stats/<scope>/<int(min=0):obj_id>/export.xlsx")
@login_required
def export_xlsx(scope: str, obj_id: int):
    _obj, board = _export_board(scope, obj_id)
    return Response(
        exports.tables_xlsx(board.tables),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="statistics-{scope}.xlsx"'})


@bp.get("/stats/event/<int:event_id>/summary.pdf")
@login_required
def event_pdf(event_id: int):
    event, board = _export_board("event", event_id)
    from elearn.i18n import format_in_zone

    when = format_in_zone(event.starts_at, event.timezone, "medium") if event.starts_at else ""
    pdf = exports.event_summary_pdf(board.title, when, board.tables)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="statistics-event-{event.id}.pdf"'})


@bp.post("/stats/event/<int:event_id>/public")
@login_required
def toggle_public(event_id: int):
    event = db.get_or_404(Event, event_id)
    require("manage", event)
    public = request.form.get("public") == "1"
    services.set_public(event, public, actor=current_user)
    db.session.commit()
    flash(_("The statistics of this event are now public.") if public else
          _("The statistics of this event are no longer public."), "success")
    return redirect(url_for("stats.event_dashboard", event_id=event.id))


# --- public ----------------------------------------------------------------------------------

@bp.get("/statistics/")
def public_index():
    return render_template("stats/public_index.html", events=services.public_events(),
                           title_of=_title)


@bp.get("/statistics/event/<int:event_id>")
def public_event(event_id: int):
    event = db.get_or_404(Event, event_id)
    if not event.public_statistics or event.status not in (EventStatus.PUBLISHED,
                                                           EventStatus.COMPLETED):
        abort(404)
    f = services.parse_filters({}, event_id=event.id)
    board = services.dashboard("event", f, ("subregion",), protected=True,
                               title=_title(event))
    return render_template("stats/public_event.html", event=event, board=board,
                           chart=stacked_bars)
