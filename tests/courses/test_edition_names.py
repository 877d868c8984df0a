"""An edition has an English name and an optional Spanish one (issue 14, point 8): the forms ask
for both and refuse hostile input without writing anything, and every page, list, statistics
title and export shows the reader's language, the English name (said to be English) when there
is no Spanish one."""

import random
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses import privacy
from elearn.courses.labels import edition_name
from elearn.courses.models import Edition, EnrolmentStatus
from elearn.courses.services import editions
from elearn.courses.services.live import ensure_event
from elearn.extensions import db

from .test_authoring_pages import EDITION_FORM
from .test_settings import FORM as SETTINGS_FORM

SPANISH = "Segunda edición"


def in_english_note(app, language="es") -> str:
    with app.test_request_context("/"), force_locale(language):
        return gettext("(in English)")


@pytest.fixture
def manager(make_user):
    return make_user(email="manager@sela.example", roles=["programme_manager"])


@pytest.fixture
def named(edition):
    edition.name_es = SPANISH
    db.session.commit()
    return edition


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


# --- the forms -------------------------------------------------------------------------------

def test_new_edition_form_asks_for_both_names(client, login, manager, edition):
    login(manager)
    url = f"/courses/{edition.course.id}/editions/new"
    page = client.get(url).get_data(as_text=True)
    assert 'name="name"' in page and 'name="name_es"' in page
    response = client.post(url, data=dict(EDITION_FORM, name_es="  Edición del Caribe  "))
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.name == "Caribbean edition"))
    assert new.name_es == "Edición del Caribe"
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                         "edition.created"))
    assert record.after["name_es"] == "Edición del Caribe"


def test_the_spanish_name_is_optional(client, login, manager, edition):
    login(manager)
    response = client.post(f"/courses/{edition.course.id}/editions/new",
                           data=dict(EDITION_FORM, name_es="   "))
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.name == "Caribbean edition"))
    assert new.name_es is None


def test_settings_change_the_spanish_name_audited(client, login, instructor, edition):
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/settings").get_data(as_text=True)
    assert 'name="name_es"' in page
    response = client.post(f"/courses/editions/{edition.id}/settings",
                           data=dict(SETTINGS_FORM, name="Second edition", name_es=SPANISH))
    assert response.status_code == 302, response.data
    db.session.refresh(edition)
    assert edition.name == "Second edition" and edition.name_es == SPANISH
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                         "edition.settings"))
    assert record.before["name_es"] is None and record.after["name_es"] == SPANISH
    # The settings page shows what is stored, so saving again keeps it.
    page = client.get(f"/courses/editions/{edition.id}/settings").get_data(as_text=True)
    assert f'value="{SPANISH}"' in unescape(page)


HOSTILE = [
    ("newline", "Edición\r\nBcc: all@example.org", b"single line"),
    ("markup", "<script>alert(1)</script>", b"without HTML tags"),
    ("long", "x" * 1000, b"200"),
]


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
@pytest.mark.parametrize("field", ["name", "name_es"])
def test_hostile_names_on_the_settings_page_are_refused(client, login, instructor, edition,
                                                       field, what, value, message):
    login(instructor)
    data = dict(SETTINGS_FORM, name="Renamed", name_es="Renombrada")
    data[field] = value
    response = client.post(f"/courses/editions/{edition.id}/settings", data=data)
    assert response.status_code == 400
    assert message in response.data
    db.session.expire_all()
    assert edition.name == "Second edition" and edition.name_es is None
    assert db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "edition.settings")) == 0


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_spanish_names_on_the_new_edition_page_are_refused(client, login, manager,
                                                                  edition, what, value,
                                                                  message):
    login(manager)
    before = db.session.scalar(select(func.count()).select_from(Edition))
    response = client.post(f"/courses/{edition.course.id}/editions/new",
                           data=dict(EDITION_FORM, name_es=value))
    assert response.status_code == 400 and message in response.data
    assert db.session.scalar(select(func.count()).select_from(Edition)) == before


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_on_the_copy_page_are_refused(client, login, instructor, edition, what,
                                                   value, message):
    login(instructor)
    before = db.session.scalar(select(func.count()).select_from(Edition))
    for field in ("name", "name_es"):
        data = {"name": "Third edition", "name_es": "Tercera edición", "offset_days": "364"}
        data[field] = value
        response = client.post(f"/courses/editions/{edition.id}/copy", data=data)
        assert response.status_code == 400 and message in response.data, field
    assert db.session.scalar(select(func.count()).select_from(Edition)) == before


def test_the_services_refuse_what_the_forms_refuse(app, edition, instructor):
    """A caller other than the web forms (CLI, job) meets the same rule."""
    from elearn.courses.errors import CourseError
    from elearn.courses.services import settings

    values = {field: getattr(edition, field) for field in settings.FIELDS}
    for bad in ("a\nb", "<b>x</b>", "y" * 201):
        with pytest.raises(CourseError) as refused:
            settings.update(edition, dict(values, name_es=bad), actor=instructor)
        assert refused.value.status == 400
        with pytest.raises(CourseError):
            editions.copy_edition(edition, "Third", 7, name_es=bad, actor=instructor)
    db.session.expire_all()
    assert edition.name_es is None


def test_a_copy_takes_both_names(client, login, instructor, named):
    login(instructor)
    response = client.post(f"/courses/editions/{named.id}/copy", data={
        "name": "Third edition", "name_es": "Tercera edición", "offset_days": "364"})
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.name == "Third edition"))
    assert new.name_es == "Tercera edición"


# --- what readers see ------------------------------------------------------------------------

def test_a_spanish_reader_sees_the_spanish_name(client, login, make_user, named, participant,
                                                instructor):
    reader = participant(preferred_language="es")
    login(reader)
    for url in ("/courses/", f"/courses/{named.course.id}", f"/courses/editions/{named.id}",
                f"/courses/editions/{named.id}/learn", "/courses/mine", "/me"):
        text = text_of(client, url)
        assert SPANISH in text, url
        assert "Second edition" not in text, url


def test_an_english_reader_sees_the_english_name(client, login, named, participant):
    reader = participant(preferred_language="en")
    login(reader)
    for url in ("/courses/", f"/courses/editions/{named.id}", "/courses/mine", "/me"):
        text = text_of(client, url)
        assert "Second edition" in text, url
        assert SPANISH not in text, url


def test_staff_pages_show_the_readers_language(client, login, named, instructor, participant):
    participant(status=EnrolmentStatus.PENDING)
    instructor.preferred_language = "es"
    db.session.commit()
    login(instructor)
    base = f"/courses/editions/{named.id}"
    for url in (f"{base}/staff", f"{base}/applications", f"{base}/gradebook",
                f"{base}/live", f"{base}/copy", "/courses/mine"):
        text = text_of(client, url)
        assert SPANISH in text and "Second edition" not in text, url
    # The settings page names the edition in the reader's language and offers both names.
    text = text_of(client, f"{base}/settings")
    assert f"<title>{SPANISH}" in text or f"· {SPANISH}" in text
    assert 'value="Second edition"' in text and f'value="{SPANISH}"' in text


def test_without_a_spanish_name_a_spanish_reader_is_told_it_is_english(app, client, login,
                                                                       edition, participant):
    login(participant(preferred_language="es"))
    text = text_of(client, f"/courses/editions/{edition.id}")
    assert f"Second edition {in_english_note(app)}" in text


def test_statistics_titles_and_links_in_the_readers_language(app, client, login, make_user,
                                                             named):
    manager = make_user(roles=["programme_manager"], preferred_language="es")
    login(manager)
    text = text_of(client, f"/stats/edition/{named.id}")
    assert SPANISH in text and "Second edition" not in text
    with app.test_request_context("/"), force_locale("es"):
        assert edition_name(named) == SPANISH
    with app.test_request_context("/"), force_locale("en"):
        assert edition_name(named) == "Second edition"
    with app.test_request_context("/"), force_locale("pt"):
        assert edition_name(named) == f"Second edition {gettext('(in English)')}"


def test_the_personal_data_export_names_editions_in_the_persons_language(named, participant,
                                                                         instructor):
    reader = participant(preferred_language="es")
    assert privacy.export(reader)["course_enrolments"][0]["edition"] == SPANISH
    assert privacy.export(instructor)["course_editions_taught"] == ["Second edition"]


def test_the_live_class_event_is_named_in_both_languages(named, instructor):
    event = ensure_event(named, actor=instructor)
    assert event.title_en.endswith("— Second edition")
    assert event.title_es.endswith(f"— {SPANISH}")


def test_the_demo_editions_have_spanish_names(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.courses import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(3)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    demo.populate(rng)
    db.session.commit()
    names = dict(db.session.execute(select(Edition.name, Edition.name_es)).all())
    assert names == {"First edition": "Primera edición", "Second edition": "Segunda edición",
                     "Caribbean edition": "Edición del Caribe"}
