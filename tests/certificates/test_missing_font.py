"""A font that cannot be read stops issuing and previewing with a message naming it."""

import pytest
from sqlalchemy import func, select

from elearn.certificates.errors import TemplateProblem
from elearn.certificates.models import Certificate, CertificateKind
from elearn.certificates.services import issue
from elearn.extensions import db


@pytest.fixture
def app_config(app_config):
    return {**app_config, "CERT_FONT_PATH": "/nonexistent/font.ttf"}


def test_a_missing_font_is_a_clear_error(make_user, make_event, register, attend,
                                         make_template):
    event = make_event(sessions=1)
    person = make_user(full_name="Ana")
    register(event, person)
    attend(person, event.sessions)
    make_template()
    with pytest.raises(TemplateProblem) as problem:
        issue(CertificateKind.PARTICIPATION, event, person)
    assert "/nonexistent/font.ttf" in problem.value.message
    db.session.rollback()
    assert db.session.scalar(select(func.count(Certificate.id))) == 0


def test_preview_with_a_missing_font_is_a_page_not_a_500(client, make_user, login,
                                                        make_template):
    template = make_template()
    login(make_user(roles=["admin"]))  # default templates: admins
    response = client.get(f"/certificates/templates/{template.id}/preview.pdf")
    assert response.status_code == 409
    assert "/nonexistent/font.ttf" in response.get_data(as_text=True)
