"""Statistics files prepared by a job (elearn.downloads): one table as CSV, the page's tables
as XLSX, an event's summary as PDF. The figures are computed in the job, through the same
service and disclosure control as the page, for the person who asked (small figures hidden
unless they are an admin); who may see the scope is asked again when the file is fetched."""

from flask_babel import gettext as _

from elearn.downloads import Built, DownloadError, register
from elearn.i18n import format_in_zone

from . import exports, services
from .view_helpers import may_see_scope, parse_request, protected, scope_subject

KIND = "stats.export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx", "pdf")


def table_keys(scope: str, dims: tuple[str, ...]) -> set[str]:
    """Every table a page of this scope can hold (services.dashboard names them so)."""
    return {f"{measure}-by-{'-'.join(dims)}" for measure in services.measures_for(scope)} \
        | {"panel-by-role"}


def parameters(scope: str, obj_id: int, fmt: str, args: dict, table: str = "") -> dict:
    found = {"scope": scope, "obj_id": obj_id, "fmt": fmt, "args": dict(args)}
    if table:
        found["table"] = table
    return found


def filename(scope: str, obj_id: int, fmt: str, table: str = "") -> str:
    if fmt == "csv":
        return f"{table}.csv"
    if fmt == "pdf":
        return f"statistics-event-{obj_id}.pdf"
    return f"statistics-{scope}.xlsx"


def _subject(params: dict):
    scope, obj_id = params.get("scope"), params.get("obj_id")
    if not isinstance(scope, str) or not isinstance(obj_id, int):
        raise LookupError(scope)
    return scope_subject(scope, obj_id)


def may_download(user, params: dict) -> bool:
    try:
        obj, _filters, _title = _subject(params)
    except LookupError:
        return False
    return may_see_scope(user, params["scope"], obj)


def build(owner, params: dict) -> Built:
    try:
        obj, scope_filters, title = _subject(params)
    except LookupError:
        raise DownloadError(_("What these statistics were about no longer exists.")) from None
    scope, fmt = params["scope"], params.get("fmt")
    try:
        f, dims = parse_request(scope, scope_filters, params.get("args") or {})
    except services.StatsError as exc:
        raise DownloadError(str(exc)) from None
    board = services.dashboard(scope, f, dims, protected=protected(owner), title=title)
    if fmt == "csv":
        table = board.table(params.get("table") or "")
        if table is None:
            raise DownloadError(_("This table has no figures to export."))
        return Built(exports.table_csv(table).encode(), f"{table.key}.csv",
                     "text/csv; charset=utf-8")
    if fmt == "pdf":
        when = format_in_zone(obj.starts_at, obj.timezone, "medium") if obj.starts_at else ""
        return Built(exports.event_summary_pdf(board.title, when, board.tables),
                     filename(scope, obj.id, "pdf"), "application/pdf")
    return Built(exports.tables_xlsx(board.tables), filename(scope, 0, "xlsx"), XLSX)


def known_table(scope: str, dims: tuple[str, ...], table: str) -> bool:
    """Whether `table` can be one of the page's tables (checked before asking for the file)."""
    return bool(table) and table in table_keys(scope, dims)


register(KIND, build=build, may_download=may_download)
