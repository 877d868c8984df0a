"""Certificate templates: list, create/edit, signatories, preview with sample data. URLs are
listed in blueprint.py.

A template tied to an activity is for the staff who may certify that activity; a default
template prints on every activity's certificates, so staff read it and only admins change it.
"""

from decimal import Decimal

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from elearn.accounts.permissions import can, require
from elearn.extensions import db

from .errors import CertificateError
from .forms import (
    KIND_LABELS,
    SignatoryForm,
    TemplateForm,
    signatory_title_field,
    template_form_class,
)
from .models import CertificateKind, CertificateTemplate
from .rules import looks_after_any, may_save_template, template_subject
from .services import templates as template_service
from .texts import LANGUAGES


def _template_or_404(template_id: int, action: str = "edit") -> CertificateTemplate:
    template = db.session.get(CertificateTemplate, template_id) or abort(404)
    require(action, template)
    return template


def _staff_only() -> None:
    if not looks_after_any(current_user):
        abort(403)


@login_required
def templates():
    _staff_only()
    rows = [t for t in db.session.scalars(select(CertificateTemplate).order_by(
        CertificateTemplate.kind, CertificateTemplate.subject_id, CertificateTemplate.id))
        if can(current_user, "view", t)]
    return render_template("certificates/templates.html", templates=rows,
                           editable={t.id for t in rows if can(current_user, "edit", t)},
                           kind_labels=KIND_LABELS)


# Per-language wording edited on this form; other keys a template's texts may carry (intro,
# reason: set by the CLI or earlier versions) are kept as they are.
_FORM_TEXTS = ("heading", "organisation")


def _values(form: TemplateForm, template: CertificateTemplate | None) -> dict:
    overrides = {}
    for language in LANGUAGES:
        own = {key: value for key, value in ((template.texts or {}) if template else {})
               .get(language, {}).items() if key not in _FORM_TEXTS}
        for key in _FORM_TEXTS:
            value = (getattr(form, f"{key}_{language}").data or "").strip()
            if value:
                own[key] = value
        if own:
            overrides[language] = own
    hours = form.hours_override.data
    return {
        "kind": CertificateKind(form.kind.data), "subject_id": form.subject_id.data,
        "name": form.name.data.strip(), "organisation_name": form.organisation_name.data.strip(),
        "min_attendance_percent": form.min_attendance_percent.data,
        "hours_override": float(hours) if isinstance(hours, Decimal) else None,
        "texts": overrides or None, "active": form.active.data,
        "place": (form.place.data or "").strip() or None,
    }


def _signatory_titles(form: TemplateForm, template: CertificateTemplate | None) -> dict:
    """{signatory id: {language: title}} for the signatories whose titles the form sent (a
    form from before a signatory was added leaves that signatory's titles alone)."""
    titles = {}
    for signatory in template.signatories if template else ():
        if signatory_title_field(signatory.id, "en") not in request.form:
            continue
        titles[signatory.id] = {
            language: getattr(form, signatory_title_field(signatory.id, language)).data or ""
            for language in LANGUAGES}
    return titles


def _upload(field) -> bytes | None:
    return field.data.read() if field.data and field.data.filename else None


def _form_page(form, template=None, status=200, error=None):
    return render_template("certificates/template_form.html", form=form, template=template,
                           signatory_form=SignatoryForm(formdata=None), error=error,
                           cert_languages=LANGUAGES, title_field=signatory_title_field,
                           default_place=template_service.default_place()), status


def _refused_target(form: TemplateForm, template: CertificateTemplate | None):
    """The activity the form ties the template to must exist and be the user's to certify;
    a default template (no activity) is for admins. Asked before anything is written: the
    form page again with the reason, or None when the target is allowed."""
    kind, subject_id = form.kind.data, form.subject_id.data
    if subject_id is not None and template_subject(kind, subject_id) is None:
        return _form_page(form, template, 404, _(
            "There is no activity with number %(id)d for this kind of certificate.",
            id=subject_id))
    if not may_save_template(current_user, kind, subject_id):
        if subject_id is None:
            return _form_page(form, template, 403, _(
                "Only administrators change the default templates: give the number of your "
                "activity."))
        return _form_page(form, template, 403, _(
            "You may only make templates for the activities you organise or teach."))
    return None


def _save(form: TemplateForm, template: CertificateTemplate | None):
    if not form.validate_on_submit():
        return _form_page(form, template, 400)
    refused = _refused_target(form, template)
    if refused is not None:
        return refused
    try:
        saved = template_service.save_template(
            template, _values(form, template), actor=current_user, logo=_upload(form.logo),
            seal=_upload(form.seal), remove_logo=form.remove_logo.data,
            remove_seal=form.remove_seal.data,
            signatory_titles=_signatory_titles(form, template))
    except CertificateError as exc:
        db.session.rollback()
        return _form_page(form, template, exc.status, exc.message)
    db.session.commit()
    flash(_("Template saved."), "success")
    return redirect(url_for(".edit_template", template_id=saved.id))


@login_required
def new_template():
    _staff_only()
    if request.method == "GET":
        form = TemplateForm(data={"organisation_name": current_app.config["ORGANISATION_NAME"]})
        return _form_page(form)
    return _save(TemplateForm(), None)


@login_required
def edit_template(template_id: int):
    if request.method == "POST":
        template = _template_or_404(template_id)
        return _save(template_form_class(template)(), template)
    template = _template_or_404(template_id, "view")
    if not can(current_user, "edit", template):
        return render_template("certificates/template_view.html", template=template,
                               kind_labels=KIND_LABELS, cert_languages=LANGUAGES,
                               place=template_service.place_of(template))
    return _form_page(_filled_form(template), template)


def _filled_form(template: CertificateTemplate) -> TemplateForm:
    form = template_form_class(template)(obj=template, kind=template.kind.value)
    for language, texts in (template.texts or {}).items():
        for key in _FORM_TEXTS:
            field = getattr(form, f"{key}_{language}", None)
            if field is not None:
                field.data = texts.get(key)
    for signatory in template.signatories:
        getattr(form, signatory_title_field(signatory.id, "en")).data = signatory.title
        for language in LANGUAGES[1:]:
            getattr(form, signatory_title_field(signatory.id, language)).data = \
                (signatory.titles or {}).get(language)
    return form


@login_required
def add_signatory(template_id: int):
    template = _template_or_404(template_id)
    form = SignatoryForm()
    if not form.validate_on_submit():
        return _signatory_error(template, form, _("A signatory needs a name and a title."))
    image = form.signature.data.read() if form.signature.data and \
        form.signature.data.filename else None
    try:
        template_service.add_signatory(
            template, form.name.data, form.title.data, image, actor=current_user,
            titles={language: getattr(form, f"title_{language}").data
                    for language in LANGUAGES[1:]})
    except CertificateError as exc:
        db.session.rollback()
        return _signatory_error(template, form, exc.message, exc.status)
    db.session.commit()
    flash(_("Signatory added."), "success")
    return redirect(url_for(".edit_template", template_id=template.id))


def _signatory_error(template, form, message, status=400):
    return render_template("certificates/template_form.html", form=_filled_form(template),
                           template=template, signatory_form=form, signatory_error=message,
                           cert_languages=LANGUAGES, title_field=signatory_title_field,
                           default_place=template_service.default_place()), status


@login_required
def remove_signatory(template_id: int, signatory_id: int):
    template = _template_or_404(template_id)
    try:
        template_service.remove_signatory(template, signatory_id, actor=current_user)
    except CertificateError:
        abort(404)
    db.session.commit()
    flash(_("Signatory removed."), "success")
    return redirect(url_for(".edit_template", template_id=template.id))


@login_required
def preview_template(template_id: int):
    template = _template_or_404(template_id, "view")
    try:
        data = template_service.preview(template, request.args.get("lang", "en"))
    except CertificateError as exc:
        return render_template("certificates/template_problem.html", template=template,
                               message=exc.message), exc.status
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": 'inline; filename="preview.pdf"'})
