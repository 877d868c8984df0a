"""Public verification (/verify), the holder's certificates (/certificates/mine) and their
downloads. URLs are listed in blueprint.py."""

from flask import (
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
from elearn.extensions import db

from . import codes
from .credential_keys import CredentialKeyMissing
from .forms import KIND_LABELS, UploadPdfForm, VerifyForm
from .models import Certificate, CertificateStatus
from .services import find_by_code
from .services.exports import matches_pdf, open_badge, open_badge_jwt
from .services.lifecycle import current_version, public_view
from .view_helpers import certificate_or_404, noindex, noindex_page, verify_limit

# The media type of a Verifiable Credential secured as a JWT (W3C VC-JOSE-COSE).
VC_JWT = "application/vc+jwt"


def _lookup(typed: str):
    """(certificate, None) or (None, error page response)."""
    try:
        code = codes.parse(typed)
    except codes.CodeTypo:
        return None, noindex_page("certificates/verify_typo.html", 400, typed=typed,
                                  form=VerifyForm(data={"code": typed}))
    certificate = find_by_code(code)
    if certificate is None:
        return None, noindex_page("certificates/verify_unknown.html", 404,
                                  code=codes.display(code), form=VerifyForm(formdata=None))
    return certificate, None


@verify_limit
def verify_form():
    form = VerifyForm(request.args)
    if "code" not in request.args:
        return noindex_page("certificates/verify_form.html", form=VerifyForm(formdata=None))
    if not form.validate():
        return noindex_page("certificates/verify_form.html", 400, form=form)
    try:
        code = codes.parse(form.code.data)
    except codes.CodeTypo:
        return noindex_page("certificates/verify_typo.html", 400, typed=form.code.data,
                            form=form)
    return redirect(url_for(".verify", code=code))


@verify_limit
def verify(code: str):
    certificate, error = _lookup(code)
    if error is not None:
        return error
    if code != certificate.code:  # one address per certificate
        return redirect(url_for(".verify", code=certificate.code), 301)
    return _verify_page(certificate)


def _verify_page(certificate: Certificate, status: int = 200, **context):
    return noindex_page("certificates/verify.html", status, certificate=certificate,
                        view=public_view(certificate), current=current_version(certificate),
                        kind_label=KIND_LABELS[certificate.kind],
                        staff=can(current_user, "manage", certificate),
                        upload=context.pop("upload", None) or UploadPdfForm(formdata=None),
                        **context)


@verify_limit
def verify_json(code: str):
    try:
        canonical = codes.parse(code)
    except codes.CodeTypo:
        return noindex(jsonify(error="typo", message=_("This code has a typo."))), 400
    certificate = find_by_code(canonical)
    if certificate is None:
        return noindex(jsonify(error="unknown",
                               message=_("No certificate with this code."))), 404
    return noindex(jsonify(public_view(certificate)))


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
    identical = not certificate.withdrawn and matches_pdf(certificate, upload.read())
    return _verify_page(certificate, upload=form,
                        pdf_result="identical" if identical else "different")


@login_required
def mine():
    """The holder's certificates in force, and apart from them the revoked ones."""
    certificates = db.session.scalars(
        select(Certificate).where(Certificate.holder_id == current_user.id,
                                  Certificate.superseded_at.is_(None))
        .order_by(Certificate.issued_at.desc())).all()
    return render_template(
        "certificates/mine.html", kind_labels=KIND_LABELS,
        certificates=[c for c in certificates if c.status != CertificateStatus.REVOKED],
        revoked=[c for c in certificates if c.status == CertificateStatus.REVOKED])


def _downloadable(code: str) -> Certificate:
    certificate = certificate_or_404(code)
    if not can(current_user, "download", certificate):
        abort(403)
    if certificate.withdrawn:
        abort(410)  # nothing printed is kept once the holder was erased
    return certificate


@login_required
def download_pdf(code: str):
    certificate = _downloadable(code)
    revoked = certificate.status == CertificateStatus.REVOKED
    # Staff may still fetch a revoked certificate: the file name and a header say what it is.
    name = f"certificate-{certificate.code}{'-REVOKED' if revoked else ''}.pdf"
    response = Response(certificate.pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Certificate-Status"] = str(certificate.status)
    return response


def _badge_certificate(code: str) -> Certificate:
    certificate = _downloadable(code)
    if certificate.status == CertificateStatus.REVOKED:
        abort(410)  # a badge is a claim of a valid credential: none for a revoked one
    return certificate


def _no_key_page():
    message = _("Badges cannot be signed yet: the platform has no signing key. The "
                "administrators have been told; please try again later.")
    current_app.logger.error("Open Badge not signed: no credential key (run `flask elearn "
                             "credential-keys generate`)")
    return render_template("error.html", code=503, title=_("Badge not available yet"),
                           message=message, back=None, login_link=None), 503


@login_required
def badge(code: str):
    """The credential as JSON with its embedded proof; the VC-JWT twin is named in Link."""
    certificate = _badge_certificate(code)
    try:
        response = jsonify(open_badge(certificate))
    except CredentialKeyMissing:
        return _no_key_page()
    response.headers["Content-Disposition"] = (
        f'attachment; filename="badge-{certificate.code}.json"')
    jwt_url = url_for(".badge_jwt", code=certificate.code)
    response.headers["Link"] = f'<{jwt_url}>; rel="alternate"; type="{VC_JWT}"'
    return response


@login_required
def badge_jwt(code: str):
    """The credential signed (VC-JWT, Ed25519), what a holder hands to a verifier."""
    certificate = _badge_certificate(code)
    try:
        token = open_badge_jwt(certificate)
    except CredentialKeyMissing:
        return _no_key_page()
    response = Response(token, mimetype=VC_JWT)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="badge-{certificate.code}.jwt"')
    return response
