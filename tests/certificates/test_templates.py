"""Organisers' templates: create, signatories with PNG checked by content, preview PDF."""

import io

import pytest
from sqlalchemy import select

from elearn.certificates.models import CertificateTemplate
from elearn.extensions import db


@pytest.fixture
def organiser(make_user, login, make_event):
    """An organiser of one event, making templates for it (defaults are for admins)."""
    user = make_user(roles=["organiser"])
    user.event = make_event(organiser=user)
    login(user)
    return user


def _create(client, **extra):
    from elearn.events.models import Event

    event_id = db.session.scalar(select(Event.id))
    data = {"kind": "participation", "subject_id": str(event_id), "name": "Workshops 2026",
            "organisation_name": "SELA", "min_attendance_percent": "80", "active": "y",
            "heading_es": "Constancia de participación", **extra}
    return client.post("/certificates/templates/new", data=data,
                       content_type="multipart/form-data")


def test_participants_cannot_manage_templates(client, make_user, login):
    login(make_user())
    assert client.get("/certificates/templates").status_code == 403


def test_create_template_add_signatory_and_preview(client, organiser, pdf_text, make_png):
    response = _create(client)
    assert response.status_code == 302
    template = CertificateTemplate.query.one()
    assert template.min_attendance_percent == 80
    assert template.texts == {"es": {"heading": "Constancia de participación"}}
    # No signatory yet: the preview explains instead of failing.
    problem = client.get(f"/certificates/templates/{template.id}/preview.pdf")
    assert problem.status_code == 409
    assert "no signatory" in problem.get_data(as_text=True)
    added = client.post(f"/certificates/templates/{template.id}/signatories", data={
        "name": "Clarissa Bórquez", "title": "Secretaria Permanente",
        "signature": (io.BytesIO(make_png()), "firma.png")}, content_type="multipart/form-data")
    assert added.status_code == 302
    preview = client.get(f"/certificates/templates/{template.id}/preview.pdf?lang=es")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    text = pdf_text(preview.data)
    assert "María José Núñez Çelik" in text and "Constancia de participación" in text
    assert "Clarissa Bórquez" in text


def test_signature_must_really_be_a_png(client, organiser):
    _create(client)
    template = CertificateTemplate.query.one()
    fake = client.post(f"/certificates/templates/{template.id}/signatories", data={
        "name": "X", "title": "Y",
        "signature": (io.BytesIO(b"\x89PNG\r\n\x1a\n not really"), "firma.png")},
        content_type="multipart/form-data")
    assert fake.status_code == 400
    assert "not a readable PNG" in fake.get_data(as_text=True)
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (50, 20)).save(jpeg, "JPEG")
    wrong = client.post(f"/certificates/templates/{template.id}/signatories", data={
        "name": "X", "title": "Y", "signature": (io.BytesIO(jpeg.getvalue()), "firma.png")},
        content_type="multipart/form-data")
    assert wrong.status_code == 400 and "must be a PNG" in wrong.get_data(as_text=True)
    missing = client.post(f"/certificates/templates/{template.id}/signatories",
                          data={"name": "", "title": ""}, content_type="multipart/form-data")
    assert missing.status_code == 400
    assert not CertificateTemplate.query.one().signatories


def test_invalid_template_form_is_shown_again(client, organiser):
    response = _create(client, name="", min_attendance_percent="150")
    assert response.status_code == 400
    assert CertificateTemplate.query.count() == 0
    bad_logo = _create(client, logo=(io.BytesIO(b"GIF89a...."), "logo.png"))
    assert bad_logo.status_code == 400
    assert CertificateTemplate.query.count() == 0


def test_edit_template(client, organiser):
    _create(client)
    template = CertificateTemplate.query.one()
    page = client.get(f"/certificates/templates/{template.id}").get_data(as_text=True)
    assert "Constancia de participación" in page
    response = client.post(f"/certificates/templates/{template.id}", data={
        "kind": "participation", "subject_id": str(organiser.event.id), "name": "Renamed",
        "organisation_name": "SELA", "min_attendance_percent": "70"},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    template = db.session.scalar(select(CertificateTemplate))
    assert (template.name, template.min_attendance_percent, template.active) == (
        "Renamed", 70, False)
