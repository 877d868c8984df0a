"""Organisers' certificate templates: list, create/edit, signatories, preview with sample data."""

from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from elearn.accounts.models import Role
from elearn.accounts.permissions import require, role_required
from elearn.extensions import db

from .errors import CertificateError
from .forms import KIND_LABELS, SignatoryForm, TemplateForm
from .models import CertificateKind, CertificateTemplate
from .services import templates as template_service
from .texts import LANGUAGES
from .views import bp


def _template_or_404(template_id: int) -> CertificateTemplate:
    template = db.session.get(CertificateTemplate, template_id) or abort(404)
    require("edit", template)
    return template


@bp.get("/certificates/templates")
@role_required(Role.ORGANISER)
def templates():
    rows = db.session.scalars(select(CertificateTemplate).order_by(
        CertificateTemplate.kind, CertificateTemplate.subject_id, CertificateTemplate.id)).all()
    return render_template("certificates/templates.html", templates=rows,
                           kind_labels=KIND_LABELS)


def _values(form: TemplateForm) -> dict:
    overrides = {}
    for language in LANGUAGES:
        heading = (getattr(form, f"heading_{language}").data or "").strip()
        if heading:
            overrides[language] = {"heading": heading}
    hours = form.hours_override.data
    return {
        "kind": CertificateKind(form.kind.data), "subject_id": form.subject_id.data,
        "name": form.name.data.strip(), "organisation_name": form.organisation_name.data.strip(),
        "min_attendance_percent": form.min_attendance_percent.data,
        "hours_override": float(hours) if isinstance(hours, Decimal) else None,
        "texts": overrides or None, "active": form.active.data,
    }


def _form_page(form, template=None, status=200, error=None):
    return render_template("certificates/template_form.html", form=form, template=template,
                           signatory_form=SignatoryForm(formdata=None), error=error,
                           cert_languages=LANGUAGES), status


def _save(form: TemplateForm, template: CertificateTemplate | None):
    if not form.validate_on_submit():
        return _form_page(form, template, 400)
    logo = form.logo.data.read() if form.logo.data and form.logo.data.filename else None
    try:
        saved = template_service.save_template(template, _values(form), actor=current_user,
                                               logo=logo)
    except CertificateError as exc:
        db.session.rollback()
        return _form_page(form, template, exc.status, exc.message)
    db.session.commit()
    flash(_("Template saved."), "success")
    return redirect(url_for(".edit_template", template_id=saved.id))


@bp.route("/certificates/templates/new", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def new_template():
    from flask import current_app

    form = TemplateForm(data={"organisation_name": current_app.config["ORGANISATION_NAME"]}
                        if request.method == "GET" else None)
    if request.method == "GET":
        return _form_page(form)
    return _save(form, None)


@bp.route("/certificates/templates/<int:template_id>", methods=["GET", "POST"])
@role_required(Role.ORGANISER)
def edit_template(template_id: int):
    template = _template_or_404(template_id)
    if request.method == "GET":
        form = TemplateForm(obj=template, kind=template.kind.value)
        for language, texts in (template.texts or {}).items():
            field = getattr(form, f"heading_{language}", None)
            if field is not None:
                field.data = texts.get("heading")
        return _form_page(form, template)
    return _save(TemplateForm(), template)


@bp.post("/certificates/templates/<int:template_id>/signatories")
@role_required(Role.ORGANISER)
def add_signatory(template_id: int):
    template = _template_or_404(template_id)
    form = SignatoryForm()
    if not form.validate_on_submit():
        return _signatory_error(template, form, _("A signatory needs a name and a title."))
    image = form.signature.data.read() if form.signature.data and \
        form.signature.data.filename else None
    try:
        template_service.add_signatory(template, form.name.data, form.title.data, image,
                                       actor=current_user)
    except CertificateError as exc:
        db.session.rollback()
        return _signatory_error(template, form, exc.message, exc.status)
    db.session.commit()
    flash(_("Signatory added."), "success")
    return redirect(url_for(".edit_template", template_id=template.id))


def _signatory_error(template, form, message, status=400):
    page = TemplateForm(obj=template, kind=template.kind.value)
    return render_template("certificates/template_form.html", form=page, template=template,
                           signatory_form=form, signatory_error=message,
                           cert_languages=LANGUAGES), status


@bp.post("/certificates/templates/<int:template_id>/signatories/<int:signatory_id>/delete")
@role_required(Role.ORGANISER)
def remove_signatory(template_id: int, signatory_id: int):
    template = _template_or_404(template_id)
    try:
        template_service.remove_signatory(template, signatory_id, actor=current_user)
    except CertificateError:
        abort(404)
    db.session.commit()
    flash(_("Signatory removed."), "success")
    return redirect(url_for(".edit_template", template_id=template.id))


@bp.get("/certificates/templates/<int:template_id>/preview.pdf")
@role_required(Role.ORGANISER)
def preview_template(template_id: int):
    template = _template_or_404(template_id)
    try:
        data = template_service.preview(template, request.args.get("lang", "en"))
    except CertificateError as exc:
        return render_template("certificates/template_problem.html", template=template,
                               message=exc.message), exc.status
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="preview.pdf"'})
