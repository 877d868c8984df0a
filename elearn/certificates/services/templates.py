"""Certificate templates: which one applies, whether it can be rendered, signatories and their
signature images, logo and seal, what a certificate prints in each language (organisation,
signatories' titles, place and date of issue), and the organiser's preview with sample data."""

import hashlib
import io
import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from elearn import uploads
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
# Logo and seal: PNG or JPEG as uploaded, kept as a PNG at most ART_PIXELS on its longer side
# (an 84 pt seal needs no more than that to print sharply).
MAX_ART_BYTES = 1024 * 1024
MAX_ART_PIXELS = 4000 * 4000
ART_PIXELS = 1000
DEFAULT_PLACE = "Caracas"  # the organisation's seat
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


def _setting(name: str) -> str | None:
    return current_app.config.get(name) or os.environ.get(name) or None


def _logo(template: CertificateTemplate) -> tuple[bytes, str]:
    """The template's logo, else the organisation's (CERTIFICATE_LOGO_PATH or the one shipped);
    with a key that changes when the image does."""
    if template.logo_png:
        return template.logo_png, hashlib.sha256(template.logo_png).hexdigest()
    path = _setting("CERTIFICATE_LOGO_PATH") or pdf.DEFAULT_LOGO
    try:
        with open(path, "rb") as logo:
            return logo.read(), f"{path}:{os.path.getmtime(path)}"
    except OSError:
        raise TemplateProblem(_("The organisation's logo %(path)s cannot be read: install it "
                                "or correct CERTIFICATE_LOGO_PATH.", path=path)) from None


def design_for(template: CertificateTemplate) -> pdf.Design:
    """The template's static design, built once per template version; TemplateProblem when it
    cannot be rendered."""
    if not template.signatories:
        raise TemplateProblem(_("The template “%(name)s” has no signatory: add at least one "
                                "before issuing or previewing.", name=template.name))
    fonts = _fonts()
    people = tuple((s.id, len(s.signature_png or b"")) for s in template.signatories)
    logo, logo_key = _logo(template)
    seal = template.seal_image
    key = (template.id, template.updated_at, fonts, people, logo_key, len(seal or b""))
    design = _designs.get(key)
    if design is None:
        try:
            design = pdf.build_design(
                [(s.name, s.title, s.signature_png) for s in template.signatories],
                logo, fonts, seal=seal)
        except pdf.FontMissing as exc:
            raise TemplateProblem(_("The certificate font %(path)s cannot be read: install it "
                                    "or correct CERT_FONT_PATH.", path=str(exc))) from exc
        if len(_designs) > 64:
            _designs.clear()
        _designs[key] = design
    return design


def organisation_in(template: CertificateTemplate, language: str) -> str:
    """The organisation's name as `language` writes it: the template's own for that language,
    else, when the template prints the organisation's configured name, the configured name in
    that language (ORGANISATION_NAME_<LANG>), else the template's name as typed."""
    own = ((template.texts or {}).get(language) or {}).get("organisation")
    if own:
        return own
    config = current_app.config
    names = config.get("ORGANISATION_NAMES") or {}
    typed = (template.organisation_name or "").strip()
    if typed in {config.get("ORGANISATION_NAME"), *names.values()} and names.get(language):
        return names[language]
    return typed


def default_place() -> str:
    return _setting("CERTIFICATE_PLACE") or DEFAULT_PLACE


def place_of(template: CertificateTemplate) -> str:
    return (template.place or "").strip() or default_place()


def issue_date() -> date:
    """Today where the organisation sits (DEFAULT_TIMEZONE), the date printed as issued."""
    zone = current_app.config.get("DEFAULT_TIMEZONE") or "America/Caracas"
    return datetime.now(ZoneInfo(zone)).date()


def printed_for(template: CertificateTemplate, kind, language: str, *, holder_name: str,
                title: str, starts_on, ends_on, hours, details: dict,
                issued_on: date | None = None) -> dict:
    """Every line of a certificate from this template in `language`, as printed."""
    return texts.printed_lines(
        kind, language, holder_name=holder_name, title=title,
        organisation=organisation_in(template, language), starts_on=starts_on,
        ends_on=ends_on, hours=hours, details=details, overrides=template.texts,
        place=place_of(template), issued_on=issued_on or issue_date(),
        signatories=[{"name": s.name, "title": s.title_in(language)}
                     for s in template.signatories])


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


def check_art(data: bytes | None, what: str) -> bytes:
    """A logo or seal as a PNG: the upload must really be a PNG or JPEG (by content, through
    the shared upload checks) of a sensible size; it is decoded, turned upright and kept as a
    PNG no larger than needed. BadInput otherwise."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        uploads.check(data or b"", {uploads.PNG, uploads.JPEG}, MAX_ART_BYTES)
    except uploads.UploadRefused as refused:
        if refused.reason == uploads.Refusal.EMPTY:
            raise BadInput(_("Choose a PNG or JPEG file for the %(what)s.", what=what)) from None
        if refused.reason == uploads.Refusal.TOO_LARGE:
            raise BadInput(_("The %(what)s is larger than 1 MB.", what=what)) from None
        raise BadInput(_("The %(what)s must be a PNG or JPEG image.", what=what)) from None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.size[0] * image.size[1] > MAX_ART_PIXELS:
                raise BadInput(_("The %(what)s is too large (at most 4000 × 4000 pixels).",
                                 what=what))
            image.load()
            picture = ImageOps.exif_transpose(image).convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        raise BadInput(_("The %(what)s is not a readable image.", what=what)) from None
    picture.thumbnail((ART_PIXELS, ART_PIXELS))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def save_template(template: CertificateTemplate | None, values: dict, *, actor=None,
                  logo: bytes | None = None, seal: bytes | None = None,
                  remove_logo: bool = False, remove_seal: bool = False,
                  signatory_titles: dict | None = None) -> CertificateTemplate:
    """Create or change a template. `signatory_titles` maps a signatory's id to its titles by
    language ({"en": ..., "es": ...}); English is the one printed where a language has none."""
    if logo:
        logo = check_art(logo, _("logo"))
    if seal:
        seal = check_art(seal, _("seal"))
    created = template is None
    template = template or CertificateTemplate()
    before = None if created else _template_state(template)
    for name in ("kind", "subject_id", "name", "organisation_name", "min_attendance_percent",
                 "hours_override", "texts", "active", "place"):
        if name in values:
            setattr(template, name, values[name])
    if not 0 <= template.min_attendance_percent <= 100:
        raise BadInput(_("The attendance required must be between 0 and 100 %."))
    if logo:
        template.logo_png = logo
    elif remove_logo:
        template.logo_png = None
    if seal:
        template.seal_image = seal
    elif remove_seal:
        template.seal_image = None
    for signatory in template.signatories if signatory_titles else ():
        if signatory.id in signatory_titles:
            _set_titles(signatory, signatory_titles[signatory.id])
    template.updated_at = utcnow()
    db.session.add(template)
    db.session.flush()
    after = _template_state(template)
    for what, image, removed in (("logo", logo, remove_logo), ("seal", seal, remove_seal)):
        if image:
            after[f"{what}_sha256"] = hashlib.sha256(image).hexdigest()
        elif removed:
            after[f"{what}_sha256"] = None
    record("certificate_template.saved", template, actor=actor, before=before, after=after)
    return template


def _set_titles(signatory: Signatory, titles: dict) -> None:
    english = (titles.get("en") or "").strip()
    if not english:
        raise BadInput(_("%(name)s needs a title in English; the other languages may be left "
                         "empty.", name=signatory.name))
    signatory.title = english
    others = {lang: (titles.get(lang) or "").strip() for lang in texts.LANGUAGES if lang != "en"}
    signatory.titles = {lang: title for lang, title in others.items() if title} or None


def _template_state(template: CertificateTemplate) -> dict:
    return {"kind": str(template.kind), "subject_id": template.subject_id, "name": template.name,
            "organisation_name": template.organisation_name,
            "min_attendance_percent": template.min_attendance_percent,
            "hours_override": template.hours_override, "texts": template.texts,
            "active": template.active, "place": template.place,
            "signatories": {str(s.id): {"en": s.title, **(s.titles or {})}
                            for s in template.signatories if s.id is not None}}


def add_signatory(template: CertificateTemplate, name: str, title: str,
                  signature_png: bytes | None, *, actor=None,
                  titles: dict | None = None) -> Signatory:
    """`title` is the English title; `titles` the other languages' ({"es": ...})."""
    name, title = (name or "").strip(), (title or "").strip()
    if not name or not title:
        raise BadInput(_("A signatory needs a name and a title."))
    if len(template.signatories) >= MAX_SIGNATORIES:
        raise BadInput(_("A certificate has room for %(n)d signatories.", n=MAX_SIGNATORIES))
    if signature_png:
        check_png(signature_png, _("signature image"))
    signatory = Signatory(name=name, title=title, signature_png=signature_png or None,
                          position=len(template.signatories))
    _set_titles(signatory, {**(titles or {}), "en": title})
    template.signatories.append(signatory)
    template.updated_at = utcnow()
    db.session.flush()
    record("certificate_template.signatory_added", template, actor=actor,
           before={"signatories": _signatory_names(template)[:-1]},
           after={"signatories": _signatory_names(template), "name": name, "title": title,
                  "titles": signatory.titles, "image": bool(signature_png)})
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
    lines = printed_for(
        template, template.kind, language, holder_name=SAMPLE_NAME,
        title=_("Sample activity title"), starts_on=date.today(), ends_on=date.today(),
        hours=template.hours_override or 12,
        details={"team": "Equipo Ñandú", "placing": 1, "role": "speaker"})
    code = codes.new_code()
    base = base_url()
    return pdf.render(design, lines, code=codes.display(code), url=f"{base}/verify/{code}",
                      title=_("Preview"), language=language)
