"""Demo certificates: default templates, participation certificates for past events and
diplomas for completed course editions.

Past events use the attendance rule when the attendance demo recorded any attendance for them;
when it recorded none, the demo issues to the confirmed registrants instead (marked as an
override with that justification, as an admin would have to).
"""

import io

from sqlalchemy import select

from elearn.attendance import models as attendance
from elearn.courses import models as courses
from elearn.db_types import utcnow
from elearn.events import models as events
from elearn.extensions import db

from .models import CertificateKind, CertificateTemplate, Signatory, SubjectType
from .timing import refusal

MAX_PER_SUBJECT = 60
DEMO_JUSTIFICATION = "Demo data: no attendance was recorded for this event."


def signature_png(rng, seed_text: str) -> bytes:
    """A scribble that looks enough like a signature for a demo."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (360, 110), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(10 + i * 340 / 14, 55 + rng.uniform(-38, 38)) for i in range(15)]
    draw.line(points, fill=(20, 30, 90, 255), width=4, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _template(rng, kind: CertificateKind, name: str) -> CertificateTemplate:
    from flask import current_app

    template = db.session.scalar(select(CertificateTemplate).where(
        CertificateTemplate.kind == kind, CertificateTemplate.subject_id.is_(None)))
    if template is None:
        # The organisation's configured name: each certificate prints it in its language.
        template = CertificateTemplate(
            kind=kind, name=name, organisation_name=current_app.config["ORGANISATION_NAME"],
            min_attendance_percent=75)
        template.signatories = [
            Signatory(position=0, name="Clarissa Bórquez Álvarez", title="Permanent Secretary",
                      titles={"es": "Secretaria Permanente", "pt": "Secretária Permanente",
                              "fr": "Secrétaire permanente"},
                      signature_png=signature_png(rng, "a")),
            Signatory(position=1, name="Jean-Baptiste Désir", title="Programme Coordinator",
                      titles={"es": "Coordinador de Programas",
                              "pt": "Coordenador de Programas",
                              "fr": "Coordinateur de programmes"},
                      signature_png=signature_png(rng, "b")),
        ]
        db.session.add(template)
        db.session.flush()
    return template


def _events_done(lines, rng) -> int:
    from .kinds import get_kind
    from .services.issuing import after_issue, build, current_certificate, issue
    from .services.templates import design_for

    template = _template(rng, CertificateKind.PARTICIPATION, "Participation (default)")
    design = design_for(template)
    past = db.session.scalars(select(events.Event).where(
        (events.Event.status == events.EventStatus.COMPLETED)
        | (events.Event.ends_at < utcnow())).where(
        events.Event.status != events.EventStatus.CANCELLED)).all()
    issued = 0
    for event in past:
        if refusal(SubjectType.EVENT, event):
            continue  # marked completed but not over yet: no certificate before the end
        has_attendance = db.session.scalar(
            select(attendance.Attendance.id).join(events.EventSession).where(
                events.EventSession.event_id == event.id).limit(1)) is not None
        if has_attendance:
            rule = get_kind(CertificateKind.PARTICIPATION)
            people = [v.person for v in rule.evaluate(event, template) if v.qualifies]
            for person in people[:MAX_PER_SUBJECT]:
                _cert, created = issue(CertificateKind.PARTICIPATION, event, person,
                                       template=template, notify=False)
                issued += created
            source = "attendance"
        else:
            registrations = db.session.scalars(select(events.Registration).where(
                events.Registration.event_id == event.id,
                events.Registration.status == events.RegistrationStatus.CONFIRMED)
                .limit(MAX_PER_SUBJECT)).all()
            for registration in registrations:
                if current_certificate(CertificateKind.PARTICIPATION, SubjectType.EVENT,
                                       event.id, registration.user_id) is not None:
                    continue
                certificate = build(CertificateKind.PARTICIPATION, event, registration.user,
                                    template, design, {}, justification=DEMO_JUSTIFICATION)
                db.session.add(certificate)
                after_issue(certificate, notify=False)
                issued += 1
            source = "confirmed registrations (no attendance recorded)"
        lines.append(f"Certificates: event {event.id} “{event.text('title', 'en')}” from {source}.")
    return issued


def _diplomas(lines, rng) -> int:
    from .kinds import get_kind
    from .services.issuing import issue

    template = _template(rng, CertificateKind.DIPLOMA, "Diploma (default)")
    issued = 0
    editions = db.session.scalars(select(courses.Edition).where(
        courses.Edition.status == courses.EditionStatus.COMPLETED)).all()
    for edition in editions:
        verdicts = get_kind(CertificateKind.DIPLOMA).evaluate(edition, template)
        for person in [v.person for v in verdicts if v.qualifies][:MAX_PER_SUBJECT]:
            _cert, created = issue(CertificateKind.DIPLOMA, edition, person,
                                   template=template, notify=False)
            issued += created
        lines.append(f"Certificates: diplomas for edition {edition.id} “{edition.name_in('en')}”.")
    return issued


def populate(rng) -> list[str]:
    lines: list[str] = []
    count = _events_done(lines, rng) + _diplomas(lines, rng)
    lines.append(f"Certificates: {count} issued; verify them at /verify.")
    return lines
