"""Certificate templates: which one applies, whether it can be rendered, signatories and their
signature images, and the organiser's preview with sample data."""

import hashlib
import io
from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from elearn.audit.services import record
from elearn.base_url import base_url
from elearn.db_types import utcnow
from elearn.extensions import db

from .. import codes, pdf, texts
from ..errors import BadInput, TemplateProblem
from ..models import CertificateKind, CertificateTemplate, Signatory

MAX_SIGNATURE_BYTES = 512 * 1024
MAX_SIGNATURE_PIXELS = 2000 * 2000
MAX_SIGNATORIES = 3
SAMPLE_NAME = "María José Núñez Çelik"
_designs: dict[tuple, pdf.Design] = {}


def template_for(kind: CertificateKind | str, subject_id: int | None) -> CertificateTemplate:
    """The template of this subject, else the kind's default; TemplateProblem when none."""
    kind = CertificateKind(kind)
    candidates = list(db.session.scalars(
        select(CertificateTemplate).where(
            CertificateTemplate.kind == kind, CertificateTemplate.active.is_(True),
            (CertificateTemplate.subject_id == subject_id)
            | CertificateTemplate.subject_id.is_(None))
        .order_by(CertificateTemplate.id.desc())))
    for template in candidates:
        if template.subject_id is not None:
            return template
    if candidates:
        return candidates[0]
    raise TemplateProblem(_("There is no certificate template for this kind of certificate "
                            "yet: create one before issuing."))


def _fonts() -> tuple[str, str]:
    config = current_app.config
    return (config.get("CERT_FONT_PATH") or pdf.DEFAULT_FONT,
            config.get("CERT_FONT_BOLD_PATH") or pdf.DEFAULT_BOLD_FONT)


def design_for(template: CertificateTemplate) -> pdf.Design:
    """The template's static design, built once per template version; TemplateProblem when it
    cannot be rendered."""
    if not template.signatories:
        raise TemplateProblem(_("The template “%(name)s” has no signatory: add at least one "
                                "before issuing or previewing.", name=template.name))
    fonts = _fonts()
    people = tuple((s.id, s.name, s.title, len(s.signature_png or b""))
                   for s in template.signatories)
    key = (template.id, template.updated_at, fonts, people)
    design = _designs.get(key)
    if design is None:
        try:
            design = pdf.build_design(
                [(s.name, s.title, s.signature_png) for s in template.signatories],
                template.logo_png, fonts)
        except pdf.FontMissing as exc:
            raise TemplateProblem(_("The certificate font %(path)s cannot be read: install it "
                                    "or correct CERT_FONT_PATH.", path=str(exc))) from exc
        if len(_designs) > 64:
            _designs.clear()
        _designs[key] = design
    return design


def check_png(data: bytes | None, what: str) -> bytes:
    """The bytes when they really are a PNG of a sensible size, else BadInput. The content is
    decoded, not the file name or the browser's type trusted."""
    if not data:
        raise BadInput(_("Choose a PNG file for the %(what)s.", what=what))
    if len(data) > MAX_SIGNATURE_BYTES:
        raise BadInput(_("The %(what)s is larger than 512 KB.", what=what))
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            kind, size = image.format, image.size
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise BadInput(_("The %(what)s is not a readable PNG image.", what=what)) from None
    if kind != "PNG":
        raise BadInput(_("The %(what)s must be a PNG image.", what=what))
    if size[0] * size[1] > MAX_SIGNATURE_PIXELS:
        raise BadInput(_("The %(what)s is too large (at most 2000 × 2000 pixels).", what=what))
    return data


def save_template(template: CertificateTemplate | None, values: dict, *, actor=None,
                  logo: bytes | None = None) -> CertificateTemplate:
    if logo:
        check_png(logo, _("logo"))
    created = template is None
    template = template or CertificateTemplate()
    before = None if created else _template_state(template)
    for name in ("kind", "subject_id", "name", "organisation_name", "min_attendance_percent",
                 "hours_override", "texts", "active"):
        if name in values:
            setattr(template, name, values[name])
    if not 0 <= template.min_attendance_percent <= 100:
        raise BadInput(_("The attendance required must be between 0 and 100 %."))
    if logo:
        template.logo_png = logo
    template.updated_at = utcnow()
    db.session.add(template)
    db.session.flush()
    after = _template_state(template)
    if logo:
        after["logo_sha256"] = hashlib.sha256(logo).hexdigest()
    record("certificate_template.saved", template, actor=actor, before=before, after=after)
    return template


def _template_state(template: CertificateTemplate) -> dict:
    return {"kind": str(template.kind), "subject_id": template.subject_id, "name": template.name,
            "organisation_name": template.organisation_name,
            "min_attendance_percent": template.min_attendance_percent,
            "hours_override": template.hours_override, "texts": template.texts,
            "active": template.active}


def add_signatory(template: CertificateTemplate, name: str, title: str,
                  signature_png: bytes | None, *, actor=None) -> Signatory:
    name, title = (name or "").strip(), (title or "").strip()
    if not name or not title:
        raise BadInput(_("A signatory needs a name and a title."))
    if len(template.signatories) >= MAX_SIGNATORIES:
        raise BadInput(_("A certificate has room for %(n)d signatories.", n=MAX_SIGNATORIES))
    if signature_png:
        check_png(signature_png, _("signature image"))
    signatory = Signatory(name=name, title=title, signature_png=signature_png or None,
                          position=len(template.signatories))
    template.signatories.append(signatory)
    template.updated_at = utcnow()
    db.session.flush()
    record("certificate_template.signatory_added", template, actor=actor,
           before={"signatories": _signatory_names(template)[:-1]},
           after={"signatories": _signatory_names(template), "name": name, "title": title,
                  "image": bool(signature_png)})
    return signatory


def _signatory_names(template: CertificateTemplate) -> list[str]:
    return [f"{s.name} — {s.title}" for s in template.signatories]


def remove_signatory(template: CertificateTemplate, signatory_id: int, *, actor=None) -> None:
    for signatory in template.signatories:
        if signatory.id == signatory_id:
            before = _signatory_names(template)
            template.signatories.remove(signatory)
            template.updated_at = utcnow()
            record("certificate_template.signatory_removed", template, actor=actor,
                   before={"signatories": before, "name": signatory.name,
                           "title": signatory.title},
                   after={"signatories": _signatory_names(template)})
            return
    raise BadInput(_("No such signatory on this template."))


def preview(template: CertificateTemplate, language: str = "en") -> bytes:
    """The template rendered with sample data (nothing stored)."""
    design = design_for(template)
    language = language if language in texts.LANGUAGES else "en"
    lines = texts.printed_lines(
        template.kind, language, holder_name=SAMPLE_NAME, title=_("Sample activity title"),
        organisation=template.organisation_name, starts_on=date.today(), ends_on=date.today(),
        hours=template.hours_override or 12,
        details={"team": "Equipo Ñandú", "placing": 1, "role": "speaker"},
        overrides=template.texts)
    code = codes.new_code()
    base = base_url()
    return pdf.render(design, lines, code=codes.display(code), url=f"{base}/verify/{code}",
                      title=_("Preview"))
