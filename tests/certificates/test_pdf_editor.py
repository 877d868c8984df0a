"""The template editor's new parts (issue 14.8): signatories' titles per language, the
organisation's name per language, the place of issue, the logo and the seal (PNG or JPEG, by
content, size-limited, kept as PNG). Hostile input gets a message and changes nothing."""

import io

import pytest
from sqlalchemy import select

from elearn.certificates.models import CertificateTemplate
from elearn.extensions import db


@pytest.fixture
def editor(make_user, login, make_event, make_template):
    """An organiser of one event with a template of that event, one signatory on it."""
    user = make_user(roles=["organiser"])
    event = make_event(organiser=user)
    template = make_template(subject_id=event.id)
    login(user)
    return user, event, template


def _form(event, **extra):
    return {"kind": "participation", "subject_id": str(event.id), "name": "Workshops",
            "organisation_name": "SELA", "min_attendance_percent": "75", "active": "y",
            **extra}


def _post(client, template, data):
    return client.post(f"/certificates/templates/{template.id}", data=data,
                       content_type="multipart/form-data")


def _image(kind="PNG", size=(240, 240)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).ellipse([10, 10, size[0] - 10, size[1] - 10], outline="darkred",
                                  width=8)
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


def _fresh(template) -> CertificateTemplate:
    db.session.expire_all()
    return db.session.get(CertificateTemplate, template.id)


def test_the_editor_shows_each_signatorys_titles_and_saves_them(client, editor, pdf_text):
    _user, event, template = editor
    signatory = template.signatories[0]
    page = client.get(f"/certificates/templates/{template.id}").get_data(as_text=True)
    assert f'name="signatory_{signatory.id}_title_es"' in page
    assert 'name="seal"' in page and 'name="place"' in page and 'name="organisation_es"' in page
    field = f"signatory_{signatory.id}_title_"
    response = _post(client, template, _form(
        event, **{f"{field}en": "Permanent Secretary", f"{field}es": "Secretaria Permanente",
                  f"{field}fr": "Secrétaire permanente"},
        organisation_es="Sistema Económico Latinoamericano y del Caribe", place="Panamá"))
    assert response.status_code == 302
    template = _fresh(template)
    saved = template.signatories[0]
    assert saved.title == "Permanent Secretary"
    assert saved.titles == {"es": "Secretaria Permanente", "fr": "Secrétaire permanente"}
    assert template.place == "Panamá"
    assert template.texts == {"es": {"organisation": "Sistema Económico Latinoamericano y del "
                                                     "Caribe"}}
    spanish = pdf_text(client.get(
        f"/certificates/templates/{template.id}/preview.pdf?lang=es").data)
    assert "Secretaria Permanente" in spanish and "Panamá, " in spanish
    assert "Sistema Económico Latinoamericano y del Caribe" in spanish
    english = pdf_text(client.get(
        f"/certificates/templates/{template.id}/preview.pdf?lang=en").data)
    assert "Permanent Secretary" in english and "SELA" in english


@pytest.mark.parametrize("titles,message", [
    ({"en": ""}, "needs a title in English"),
    ({"en": "Secretary", "es": "Secretaria\nPermanente"}, None),
    ({"en": "Secretary", "es": "x" * 201}, None),
])
def test_hostile_or_missing_titles_are_refused_with_a_message(client, editor, titles,
                                                             message):
    _user, event, template = editor
    signatory = template.signatories[0]
    before = (signatory.title, signatory.titles)
    data = _form(event, **{f"signatory_{signatory.id}_title_{lang}": value
                           for lang, value in titles.items()})
    response = _post(client, template, data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'role="alert"' in page or 'class="error"' in page
    if message:
        assert message in page
    saved = _fresh(template).signatories[0]
    assert (saved.title, saved.titles) == before


def test_a_form_without_title_fields_leaves_the_titles_alone(client, editor):
    _user, event, template = editor
    signatory = template.signatories[0]
    signatory.titles = {"es": "Secretaria Permanente"}
    db.session.commit()
    assert _post(client, template, _form(event)).status_code == 302
    assert _fresh(template).signatories[0].titles == {"es": "Secretaria Permanente"}


def test_a_new_signatory_brings_titles_per_language(client, editor, make_png):
    _user, _event, template = editor
    response = client.post(f"/certificates/templates/{template.id}/signatories", data={
        "name": "Jean-Baptiste Désir", "title": "Programme Coordinator",
        "title_es": "Coordinador de Programas", "title_pt": "",
        "signature": (io.BytesIO(make_png()), "firma.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    added = _fresh(template).signatories[-1]
    assert (added.title, added.titles) == ("Programme Coordinator",
                                           {"es": "Coordinador de Programas"})
    hostile = client.post(f"/certificates/templates/{template.id}/signatories", data={
        "name": "X", "title": "Y", "title_es": "a\r\nb"}, content_type="multipart/form-data")
    assert hostile.status_code == 400
    assert len(_fresh(template).signatories) == 2


def test_seal_and_logo_as_png_or_jpeg_kept_as_png_and_removable(client, editor):
    _user, event, template = editor
    response = _post(client, template, _form(
        event, seal=(io.BytesIO(_image("JPEG", (3000, 2000))), "sello.jpg"),
        logo=(io.BytesIO(_image("PNG")), "logo.png")))
    assert response.status_code == 302
    template = _fresh(template)
    assert template.seal_image.startswith(b"\x89PNG") and template.logo_png.startswith(b"\x89PNG")
    from PIL import Image

    assert max(Image.open(io.BytesIO(template.seal_image)).size) == 1000  # scaled down
    page = client.get(f"/certificates/templates/{template.id}").get_data(as_text=True)
    assert 'name="remove_seal"' in page and 'name="remove_logo"' in page
    preview = client.get(f"/certificates/templates/{template.id}/preview.pdf")
    assert preview.status_code == 200 and b"/FormXob.seal" in preview.data
    assert _post(client, template, _form(event, remove_seal="y")).status_code == 302
    template = _fresh(template)
    assert template.seal_image is None and template.logo_png is not None


@pytest.mark.parametrize("upload,message", [
    (b"GIF89a" + b"\0" * 100, "must be a PNG or JPEG image"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "not a readable image"),
    (b"\xff\xd8\xff" + b"\0" * (1024 * 1024), "larger than 1 MB"),
])
def test_a_bad_seal_is_refused_with_a_message(client, editor, upload, message):
    _user, event, template = editor
    response = _post(client, template, _form(event, seal=(io.BytesIO(upload), "sello.png")))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _fresh(template).seal_image is None


def test_a_place_on_two_lines_is_refused(client, editor):
    _user, event, template = editor
    response = _post(client, template, _form(event, place="Panamá\nCaracas"))
    assert response.status_code == 400
    assert db.session.scalar(select(CertificateTemplate.place)) is None


def test_saving_the_form_keeps_wording_overrides_it_does_not_show(client, editor):
    """An intro or reason set per language (CLI, earlier versions) survives a save; the
    heading and organisation fields shown on the form are replaced by what was sent."""
    _user, event, template = editor
    template.texts = {"es": {"intro": "Otorga la presente constancia a", "heading": "Viejo"}}
    db.session.commit()
    assert _post(client, template, _form(event, organisation_en="SELA")).status_code == 302
    assert _fresh(template).texts == {"es": {"intro": "Otorga la presente constancia a"},
                                      "en": {"organisation": "SELA"}}
