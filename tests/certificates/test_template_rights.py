"""Rights over certificate templates follow the activity (issue 11.1): each attack replayed as
the organiser of another event, the instructor of another edition, a participant and a judge
(refused, nothing written), a programme manager and an admin (allowed). Default templates print
on every activity's certificates: only admins change them."""

import io

import pytest
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.certificates.models import CertificateTemplate, Signatory
from elearn.extensions import db

OUTSIDERS = ["org_b", "instr_y", "participant", "judge"]
SECRETARIAT = ["manager", "admin"]


def _template_form(kind="participation", subject_id=None, **extra):
    data = {"kind": kind, "name": "Forged", "organisation_name": "Fake Organisation Inc.",
            "min_attendance_percent": "10", "active": "y", **extra}
    if subject_id is not None:
        data["subject_id"] = str(subject_id)
    return data


def _post(client, url, data):
    return client.post(url, data=data, content_type="multipart/form-data")


def _written():
    """Everything an attack could leave behind: templates, signatories, audit entries."""
    return (db.session.scalar(select(func.count(CertificateTemplate.id))),
            db.session.scalar(select(func.count(Signatory.id))),
            db.session.scalar(select(func.count(AuditRecord.id))))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_outsiders_cannot_create_edit_or_sign_an_events_template(client, login, world, who):
    login(world.people[who])
    before = _written()
    template = world.template_a
    assert _post(client, "/certificates/templates/new",
                 _template_form(subject_id=world.event_a.id)).status_code == 403
    assert _post(client, f"/certificates/templates/{template.id}",
                 _template_form(subject_id=world.event_a.id)).status_code == 403
    assert _post(client, f"/certificates/templates/{template.id}/signatories",
                 {"name": "Forged Signer", "title": "Secretary"}).status_code == 403
    signatory = template.signatories[0]
    assert client.post(f"/certificates/templates/{template.id}/signatories/{signatory.id}"
                       "/delete").status_code == 403
    assert client.get(f"/certificates/templates/{template.id}").status_code == 403
    assert client.get(f"/certificates/templates/{template.id}/preview.pdf").status_code == 403
    assert _written() == before
    db.session.expire_all()
    assert template.organisation_name != "Fake Organisation Inc."
    assert template.min_attendance_percent == 75


@pytest.mark.parametrize("who", ["org_b", "participant", "judge", "instr_x"])
def test_outsiders_cannot_touch_a_hackathons_template(client, login, world, who):
    login(world.people[who])
    before = _written()
    response = _post(client, "/certificates/templates/new",
                     _template_form("hackathon_participation", world.hackathon.id))
    assert response.status_code == 403
    assert _written() == before


@pytest.mark.parametrize("who", ["instr_y", "org_a", "participant", "judge"])
def test_outsiders_cannot_touch_an_editions_template(client, login, world, who):
    login(world.people[who])
    before = _written()
    template = world.template_x
    assert _post(client, "/certificates/templates/new",
                 _template_form("diploma", world.edition_x.id)).status_code == 403
    assert _post(client, f"/certificates/templates/{template.id}",
                 _template_form("diploma", world.edition_x.id)).status_code == 403
    assert _post(client, f"/certificates/templates/{template.id}/signatories",
                 {"name": "Forged Signer", "title": "Dean"}).status_code == 403
    assert _written() == before


@pytest.mark.parametrize("who", ["org_a", *SECRETARIAT])
def test_the_events_staff_and_the_secretariat_may_change_its_template(client, login, world,
                                                                       who):
    actor = world.people[who]
    login(actor)
    template = world.template_a
    response = _post(client, f"/certificates/templates/{template.id}",
                     _template_form(subject_id=world.event_a.id, name="Event A 2026",
                                    organisation_name="SELA", min_attendance_percent="80"))
    assert response.status_code == 302
    db.session.expire_all()
    assert template.organisation_name == "SELA" and template.min_attendance_percent == 80
    entry = db.session.scalars(select(AuditRecord).where(
        AuditRecord.action == "certificate_template.saved")).one()
    assert entry.actor_id == actor.id
    assert entry.before["organisation_name"] == "Sistema Económico Latinoamericano y del Caribe"
    assert entry.before["min_attendance_percent"] == 75
    assert entry.after["organisation_name"] == "SELA"
    assert entry.after["min_attendance_percent"] == 80
    added = _post(client, f"/certificates/templates/{template.id}/signatories",
                  {"name": "Ana Secretaria", "title": "Coordinator"})
    assert added.status_code == 302
    entry = db.session.scalars(select(AuditRecord).where(
        AuditRecord.action == "certificate_template.signatory_added")).one()
    assert entry.actor_id == actor.id
    assert len(entry.before["signatories"]) == 1 and len(entry.after["signatories"]) == 2


@pytest.mark.parametrize("who", ["instr_x", *SECRETARIAT])
def test_the_editions_instructor_and_the_secretariat_may_make_its_template(client, login,
                                                                          world, who):
    login(world.people[who])
    response = _post(client, "/certificates/templates/new",
                     _template_form("diploma", world.edition_x.id, name="X diploma"))
    assert response.status_code == 302
    created = db.session.scalar(select(CertificateTemplate).where(
        CertificateTemplate.name == "X diploma"))
    assert created.subject_id == world.edition_x.id


@pytest.mark.parametrize("who", ["org_a", "org_b", "instr_x", "manager"])
def test_only_admins_make_or_change_a_default_template(client, login, world, who):
    """The forged-default attack: a fake organisation and signatory on every certificate."""
    login(world.people[who])
    before = _written()
    assert _post(client, "/certificates/templates/new", _template_form()).status_code == 403
    default = world.default
    assert _post(client, f"/certificates/templates/{default.id}",
                 _template_form()).status_code == 403
    assert _post(client, f"/certificates/templates/{default.id}/signatories",
                 {"name": "Forged Signer", "title": "Secretary"}).status_code == 403
    assert client.post(f"/certificates/templates/{default.id}/signatories/"
                       f"{default.signatories[0].id}/delete").status_code == 403
    assert _written() == before
    # Staff still read the default (it prints on their certificates), without a form.
    page = client.get(f"/certificates/templates/{default.id}")
    assert page.status_code == 200
    assert "Only administrators change it" in page.get_data(as_text=True)
    assert 'name="organisation_name"' not in page.get_data(as_text=True)


def test_an_admin_may_make_and_change_a_default_template(client, login, world):
    admin = world.people["admin"]
    login(admin)
    response = _post(client, "/certificates/templates/new",
                     _template_form(name="New default", organisation_name="SELA"))
    assert response.status_code == 302
    assert _post(client, f"/certificates/templates/{world.default.id}",
                 _template_form(name="Default", organisation_name="SELA")).status_code == 302
    actors = set(db.session.scalars(select(AuditRecord.actor_id).where(
        AuditRecord.action == "certificate_template.saved")))
    assert actors == {admin.id}


def test_an_unknown_activity_is_404_and_nothing_is_written(client, login, world):
    login(world.people["org_a"])
    before = _written()
    for subject_id in (999_999, 2**63):
        response = _post(client, "/certificates/templates/new",
                         _template_form(subject_id=subject_id))
        assert response.status_code in (400, 404)
    unknown = _post(client, "/certificates/templates/new", _template_form(subject_id=999_999))
    assert unknown.status_code == 404
    assert "no activity with number 999999" in unknown.get_data(as_text=True)
    assert _written() == before


def test_a_template_cannot_be_moved_to_an_activity_one_does_not_manage(client, login, world):
    login(world.people["org_a"])
    before = _written()
    template = world.template_a
    moved = _post(client, f"/certificates/templates/{template.id}",
                  _template_form(subject_id=world.event_b.id))
    assert moved.status_code == 403
    made_default = _post(client, f"/certificates/templates/{template.id}", _template_form())
    assert made_default.status_code == 403
    assert _written() == before
    db.session.expire_all()
    assert template.subject_id == world.event_a.id


def test_the_list_shows_only_ones_own_templates_and_the_defaults_read_only(client, login,
                                                                          world):
    login(world.people["org_a"])
    page = client.get("/certificates/templates").get_data(as_text=True)
    assert "Event A template" in page and "Edition X template" not in page
    assert "read only" in page  # the default


def test_the_list_for_an_instructor_and_the_refused(client, login, world, make_user):
    login(world.people["instr_x"])
    page = client.get("/certificates/templates").get_data(as_text=True)
    assert "Edition X template" in page and "Event A template" not in page


@pytest.mark.parametrize("who", ["participant", "judge"])
def test_people_who_certify_nothing_have_no_templates_page(client, login, world, who):
    login(world.people[who])
    assert client.get("/certificates/templates").status_code == 403
    assert client.get("/certificates/templates/new").status_code == 403
    assert client.get(f"/certificates/templates/{world.default.id}").status_code == 403


def test_signatory_and_names_must_be_single_lines(client, login, world):
    login(world.people["org_a"])
    before = _written()
    response = _post(client, f"/certificates/templates/{world.template_a.id}/signatories",
                     {"name": "Ana\r\nBcc: x@example.org", "title": "Coordinator",
                      "signature": (io.BytesIO(b""), "")})
    assert response.status_code == 400
    response = _post(client, "/certificates/templates/new",
                     _template_form(subject_id=world.event_a.id, name="A\nB"))
    assert response.status_code == 400
    assert _written() == before
