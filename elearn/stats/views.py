"""Statistics pages: dashboards for staff (suppressed unless admin), the public page of events
whose organisers opted in (always suppressed), and exports. Who sees which scope is decided in
view_helpers.resolve_scope."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from elearn.courses.models import Edition
from elearn.downloads.views import prepared
from elearn.events.models import Event, EventStatus
from elearn.extensions import db

from . import downloads, publishing, services
from .charts import stacked_bars
from .view_helpers import (
    filter_choices,
    get_or_404,
    link_arguments,
    may_see_event,
    parse_request,
    protected,
    resolve_scope,
    staff_dashboards,
    title_of,
)


def _page(scope: str, obj, obj_id: int, title: str, board, error=None, status=200):
    return render_template("stats/dashboard.html", scope=scope, obj=obj, obj_id=obj_id,
                           title=title, board=board, error=error, args=request.args,
                           query=link_arguments(), choices=filter_choices(),
                           may_publish=scope == "event" and may_see_event(obj),
                           publishable=scope in publishing.SCOPES,
                           published=scope in publishing.SCOPES
                           and publishing.is_published(scope, obj_id),
                           chart=stacked_bars), status


@login_required
def dashboard(scope: str, obj_id: int):
    obj, scope_filters, title = resolve_scope(scope, obj_id)
    try:
        f, dims = parse_request(scope, scope_filters)
    except services.StatsError as exc:
        return _page(scope, obj, obj_id, title, None, error=str(exc), status=400)
    board = services.dashboard(scope, f, dims, protected=protected(), title=title)
    return _page(scope, obj, obj_id, title, board)


@login_required
def event_dashboard(event_id: int):
    return dashboard("event", event_id)


def _export(scope: str, obj_id: int, fmt: str, table: str = ""):
    """After the same checks as the page, the file is prepared by a job (elearn.downloads)."""
    _obj, scope_filters, _title = resolve_scope(scope, obj_id)
    try:
        _f, dims = parse_request(scope, scope_filters)
    except services.StatsError as exc:
        abort(Response(render_template("error.html", code=400, message=str(exc)), 400))
    if fmt == "csv" and not downloads.known_table(scope, dims, table):
        return render_template("error.html", code=400, message=_(
            "Choose one of the tables of this page to export.")), 400
    return prepared(downloads.KIND, downloads.parameters(scope, obj_id, fmt, link_arguments(),
                                                         table),
                    downloads.filename(scope, obj_id, fmt, table))


@login_required
def export_csv(scope: str, obj_id: int):
    return _export(scope, obj_id, "csv", request.args.get("table", "")[:80])


@login_required
def export_xlsx(scope: str, obj_id: int):
    return _export(scope, obj_id, "xlsx")


@login_required
def event_pdf(event_id: int):
    return _export("event", event_id, "pdf")


@login_required
def toggle_public(event_id: int):
    event = get_or_404(Event, event_id)
    if not may_see_event(event):  # its organisers and programme managers
        abort(403)
    public = request.form.get("public") == "1"
    publishing.set_public(event, public, actor=current_user)
    db.session.commit()
    flash(_("The statistics of this event are now public.") if public else
          _("The statistics of this event are no longer public."), "success")
    return redirect(url_for("stats.event_dashboard", event_id=event.id))


# --- public ----------------------------------------------------------------------------------

@login_required
def publish(scope: str, obj_id: int):
    """Publish or unpublish the programme overview or an edition's tables (audited)."""
    try:
        obj = publishing.subject_of(scope, obj_id)
    except LookupError:
        abort(404)
    if not publishing.may_publish(current_user, scope, obj):
        abort(403)
    public = request.form.get("public") == "1"
    publishing.set_published(scope, obj_id, public, actor=current_user)
    db.session.commit()
    flash(_("These statistics are now public.") if public else
          _("These statistics are no longer public."), "success")
    return redirect(url_for("stats.dashboard", scope=scope, obj_id=obj_id))


def public_index():
    overview = publishing.overview() if publishing.is_published("all", 0) else None
    return render_template("stats/public_index.html", events=publishing.public_events(),
                           dashboards=staff_dashboards(current_user),
                           editions=publishing.published_editions(), overview=overview,
                           title_of=title_of, chart=stacked_bars)


def public_edition(edition_id: int):
    edition = get_or_404(Edition, edition_id)
    if not publishing.is_published("edition", edition.id):
        abort(404)
    return render_template("stats/public_event.html", board=publishing.edition_board(edition),
                           chart=stacked_bars)


def public_event(event_id: int):
    event = get_or_404(Event, event_id)
    if not event.public_statistics or event.status not in (EventStatus.PUBLISHED,
                                                           EventStatus.COMPLETED):
        abort(404)
    f = services.parse_filters({}, event_id=event.id)
    board = services.dashboard("event", f, ("subregion",), protected=True,
                               title=title_of(event))
    return render_template("stats/public_event.html", event=event, board=board,
                           chart=stacked_bars)
