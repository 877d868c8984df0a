"""Helpers shared by the certificates view modules: the verification rate limit, pages that
search engines must not index, and finding a certificate, subject or kind from the URL."""

from flask import Response, abort, current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.permissions import is_programme_manager
from elearn.extensions import db, limiter

from . import codes
from .kinds import get_kind, kinds_for
from .models import Certificate, SubjectType
from .rules import may_issue_for
from .services import find_by_code
from .subjects import SUBJECTS, load_subject


def _verify_limit() -> str:
    return current_app.config.get("CERT_VERIFY_LIMIT", "30 per minute")


# One budget per address across the page, its JSON twin and the PDF check, so switching
# between them does not multiply the guesses an enumerator gets.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def noindex(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def noindex_page(template: str, status: int = 200, **context) -> Response:
    response = current_app.make_response((render_template(template, **context), status))
    return noindex(response)


def certificate_or_404(code: str) -> Certificate:
    """The certificate a typed or linked code names; 404 for a typo or an unknown code."""
    try:
        canonical = codes.parse(code)
    except codes.CodeTypo:
        abort(404)
    return find_by_code(canonical) or abort(404)


def certified_subject_or_404(subject_type: str, subject_id: int):
    """(type, subject) when the current user may certify it; 404 unknown, 403 not theirs."""
    try:
        kind_type = SubjectType(subject_type)
    except ValueError:
        abort(404)
    subject = load_subject(kind_type, subject_id) or abort(404)
    if not may_issue_for(current_user, subject):
        abort(403)
    return kind_type, subject


def kind_for(subject_type: SubjectType, value: str | None):
    """(kind, kinds of the subject type); 400 for a kind of another subject type."""
    kinds = kinds_for(subject_type)
    if not kinds:
        abort(404)
    if not value:
        return kinds[0], kinds
    try:
        kind = get_kind(value)
    except ValueError:
        abort(400)
    if kind.subject_type != subject_type:
        abort(400)
    return kind, kinds


LIST_LIMIT = 200  # the Secretariat sees every activity: the latest ones, newest first


def subjects_looked_after(user, language: str) -> list[tuple[SubjectType, list]]:
    """(type, [(id, title)]) of the activities whose certificates this person issues."""
    groups = []
    for adapter in SUBJECTS.values():
        query = select(adapter.model).order_by(adapter.model.id.desc()).limit(LIST_LIMIT)
        if not is_programme_manager(user):
            ids = adapter.looked_after(user)
            query = query.where(adapter.model.id.in_(ids or [0]))
        rows = db.session.scalars(query).all()
        if rows:
            groups.append((adapter.type, [(row.id, adapter.title(row, language))
                                          for row in rows]))
    return groups
