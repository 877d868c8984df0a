"""The edition's files prepared by a job (elearn.downloads): the applications list, as
filtered on its page, and the gradebook, each in CSV or XLSX. The teaching staff's right
(`teach`) is asked when the file is asked for and again when it is fetched."""

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from elearn.accounts.labels import SECTOR_LABELS
from elearn.accounts.models import Gender, Sector, User
from elearn.accounts.permissions import can
from elearn.accounts.services import members
from elearn.downloads import Built, DownloadError, register
from elearn.extensions import db

from .labels import ENROLMENT_STATUS_LABELS
from .models import Edition, Enrolment, EnrolmentStatus
from .services import gradebook, questions

APPLICATIONS, GRADEBOOK = "courses.applications", "courses.gradebook"
FORMATS = ("csv", "xlsx")
FILTERS = ("country", "gender", "sector", "status", "answer")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the applications list (also the page's own list) ----------------------------------------

def applications_of(edition: Edition, filters: dict, viewer=None) -> list[Enrolment]:
    """The edition's applications matching `filters` (strings; unknown values ignored). The
    caller decides whether a gender filter may be used at all; an answer filter the viewer may
    not use (unknown, or a sensitive question) is ignored like other unknown values."""
    query = (select(Enrolment).join(User, User.id == Enrolment.user_id)
             .options(selectinload(Enrolment.user))
             .where(Enrolment.edition_id == edition.id))
    if filters.get("country"):
        query = query.where(User.country == str(filters["country"]).upper())
    query = _by_gender(query, filters.get("gender") or "")
    if filters.get("sector") in {s.value for s in Sector}:
        query = query.where(User.sector == Sector(filters["sector"]))
    if filters.get("status") in {s.value for s in EnrolmentStatus}:
        query = query.where(Enrolment.status == EnrolmentStatus(filters["status"]))
    if filters.get("answer") and viewer is not None:
        answering = questions.answering_filter(
            edition, str(filters["answer"]), questions.reads_sensitive(edition, viewer))
        if answering is not None:
            query = query.where(Enrolment.form_response_id.in_(answering))
    return list(db.session.scalars(query.order_by(Enrolment.applied_at, Enrolment.id)))


def _by_gender(query, gender: str):
    """Only people who agreed to the statistical use of their profile can be picked by gender;
    those who did not never match a gender filter (not even "not answered")."""
    if gender == "not_answered":
        wanted = User.gender.is_(None)
    elif gender in {g.value for g in Gender}:
        wanted = User.gender == Gender(gender)
    else:
        return query
    return query.where(wanted, User.stats_consent_at.is_not(None))


def application_lines(rows: list[Enrolment], edition: Edition | None = None,
                      viewer=None) -> list[list]:
    """Labels in the reader's language beside stable codes for machines; never gender. Then
    one column per application question (sensitive ones only for who may read them)."""
    lang = str(get_locale() or "en")
    asked, answers = (questions.answer_export(rows, edition, lang, viewer)
                      if edition is not None else ([], {}))
    lines = [[_("Name"), _("Email"), _("Country"), "country_code", _("Sector"), "sector_code",
              _("Public official"), _("Applied on"), _("Status"), "status_code",
              _("Motivation"), *(title for _key, title in asked)]]
    for row in rows:
        user = row.user
        lines.append([
            user.display_name, user.email,
            members.country_name(user.country, lang) if user.country else "",
            user.country or "", str(SECTOR_LABELS.get(user.sector, "")) if user.sector else "",
            str(user.sector) if user.sector else "",
            _("yes") if user.is_public_official else _("no"),
            row.applied_at.date().isoformat() if row.applied_at else "",
            str(ENROLMENT_STATUS_LABELS.get(row.status, row.status)), str(row.status),
            row.motivation or "",
            *(answers.get(row.form_response_id or "", {}).get(key, "") for key, _t in asked)])
    return lines


# --- prepared downloads -----------------------------------------------------------------------

def parameters(edition: Edition, fmt: str, filters: dict | None = None) -> dict:
    found = {"edition_id": edition.id, "fmt": fmt}
    if filters is not None:
        found["filters"] = {k: str(v)[:40] for k, v in filters.items() if k in FILTERS and v}
    return found


def filename(what: str, edition: Edition, fmt: str) -> str:
    return f"{what}-edition-{edition.id}.{fmt}"


def _edition(params: dict) -> Edition | None:
    edition_id = params.get("edition_id")
    return db.session.get(Edition, edition_id) if isinstance(edition_id, int) else None


def may_download(user, params: dict) -> bool:
    edition = _edition(params)
    return edition is not None and can(user, "teach", edition)


def _lines_file(lines: list[list], name: str, fmt: str, sheet: str) -> Built:
    if fmt == "xlsx":
        return Built(gradebook.lines_to_xlsx(lines, sheet), f"{name}.xlsx", XLSX)
    return Built(gradebook.lines_to_csv(lines).encode(), f"{name}.csv",
                 "text/csv; charset=utf-8")


def build_applications(owner, params: dict) -> Built:
    edition = _edition(params)
    if edition is None:
        raise DownloadError(_("This course edition no longer exists."))
    filters = dict(params.get("filters") or {})
    if not can(owner, "filter_by_gender", edition):  # as on the page: no gender filter
        filters.pop("gender", None)
    lines = application_lines(applications_of(edition, filters, owner), edition, owner)
    return _lines_file(lines, f"applications-edition-{edition.id}", params.get("fmt"),
                       _("Applications"))


def build_gradebook(owner, params: dict) -> Built:
    edition = _edition(params)
    if edition is None:
        raise DownloadError(_("This course edition no longer exists."))
    book = gradebook.build(edition)
    name = f"gradebook-edition-{edition.id}"
    if params.get("fmt") == "xlsx":
        return Built(gradebook.to_xlsx(book), f"{name}.xlsx", XLSX)
    return Built(gradebook.to_csv(book).encode(), f"{name}.csv", "text/csv; charset=utf-8")


register(APPLICATIONS, build=build_applications, may_download=may_download)
register(GRADEBOOK, build=build_gradebook, may_download=may_download)
