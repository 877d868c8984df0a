"""Public verification (/verify), the holder's certificates (/certificates/mine) and their
downloads. Organiser pages are in manage_views and template_views, on the same blueprint."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can
from elearn.extensions import db, limiter

from . import codes
from .forms import KIND_LABELS, UploadPdfForm, VerifyForm
from .models import Certificate
from .services import find_by_code
from .services.exports import matches_pdf, open_badge
from .services.lifecycle import current_version, public_view

bp = Blueprint("certificates", __name__)


def _verify_limit() -> str:
    return current_app.config.get("CERT_VERIFY_LIMIT", "30 per minute")


# One budget per address across the page, its JSON twin and the PDF check, so switching
# between them does not multiply the guesses an enumerator gets.
verify_limit = limiter.shared_limit(_verify_limit, scope="certificate-verify")


def _noindex(response: Response) -> Response:
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(template: str, status: int = 200, **context) -> Response:
    response = current_app.make_response((render_template(template, **context), status))
    return _noindex(response)


def _lookup(typed: str):
    """(certificate, None) or (None, error page response)."""
    try:
        code = codes.parse(typed)
    except codes.CodeTypo:
        return None, _page("certificates/verify_typo.html", 400, typed=typed,
                           form=VerifyForm(data={"code": typed}))
    certificate = find_by_code(code)
    if certificate is None:
        return None, _page("certificates/verify_unknown.html", 404, code=codes.display(code),
                           form=VerifyForm(formdata=None))
    return certificate, None


@bp.get("/verify")
@verify_limit
def verify_form():
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return _page("certificates/verify_form.html", form=VerifyForm(formdata=None))
    if not form.validate():
        return _page("certificates/verify_form.html", 400, form=form)
    try:
        code = codes.parse(form.code.data)
    except codes.CodeTypo:
        return _page("certificates/verify_typo.html", 400, typed=form.code.data, form=form)
    return redirect(url_for(".verify", code=code))


@bp.get("/verify/<code>")
@verify_limit
def verify(code: str):
    certificate, error = _lookup(code)
    if error is not None:
        return error
    if code != certificate.code:  # one address per certificate
        return redirect(url_for(".verify", code=certificate.code), 301)
    return _verify_page(certificate)


def _verify_page(certificate: Certificate, status: int = 200, **context):
    return _page("certificates/verify.html", status, certificate=certificate,
                 view=public_view(certificate), current=current_version(certificate),
                 kind_label=KIND_LABELS[certificate.kind],
                 upload=context.pop("upload", None) or UploadPdfForm(formdata=None), **context)


@bp.get("/verify/<code>.json")
@verify_limit
def verify_json(code: str):
    try:
        canonical = codes.parse(code)
    except codes.CodeTypo:
        return _noindex(jsonify(error="typo", message=_("This code has a typo."))), 400
    certificate = find_by_code(canonical)
    if certificate is None:
        return _noindex(jsonify(error="unknown",
                                message=_("No certificate with this code."))), 404
    return _noindex(jsonify(public_view(certificate)))


@bp.post("/verify/<code>")
@verify_limit
def verify_pdf(code: str):
    """Is this PDF byte-identical to the one issued?"""
    certificate, error = _lookup(code)
    if error is not None:
        return error
    form = UploadPdfForm()
    upload = form.pdf.data if form.validate_on_submit() else None
    if not upload or not upload.filename:
        return _verify_page(certificate, 400, upload=form, pdf_result="missing")
    identical = matches_pdf(certificate, upload.read())
    return _verify_page(certificate, upload=form,
                        pdf_result="identical" if identical else "different")


@bp.get("/certificates/mine")
@login_required
def mine():
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.holder_id == current_user.id,
                                  Certificate.superseded_at.is_(None))
        .order_by(Certificate.issued_at.desc())).all()
    return render_template("certificates/mine.html", certificates=certificates,
                           kind_labels=KIND_LABELS)


def _own(code: str) -> Certificate:
    try:
        canonical = codes.parse(code)
    except codes.CodeTypo:
        abort(404)
    certificate = find_by_code(canonical) or abort(404)
    if not can(current_user, "view", certificate):
        abort(403)
    return certificate


@bp.get("/certificates/<code>.pdf")
@login_required
def download_pdf(code: str):
    certificate = _own(code)
    response = Response(certificate.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="certificate-{certificate.code}.pdf"')
    return response


@bp.get("/certificates/<code>/badge.json")
@login_required
def badge(code: str):
    certificate = _own(code)
    response = jsonify(open_badge(certificate))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="badge-{certificate.code}.json"')
    return response


from . import manage_views, template_views  # noqa: E402,F401  (organiser routes on bp)
