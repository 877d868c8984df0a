"""An edition's name, a module's title and summary can be written in every language of the
site (issue 18, point 2; issue 14, point 8 before it): the forms offer one fieldset per
language, the edition's language first and required, refuse hostile input without writing
anything, and every page, list, statistics title and export shows the reader's language, else
the edition's language with a note saying which."""

import random
from datetime import date, timedelta
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from elearn.audit.models import AuditRecord
from elearn.courses import privacy
from elearn.courses.labels import edition_name
from elearn.courses.models import Edition, EditionInstructor, EditionStatus, Module
from elearn.courses.services import editions
from elearn.courses.services.live import ensure_event
from elearn.extensions import db

from .test_authoring_pages import EDITION_FORM
from .test_settings import FORM as SETTINGS_FORM

SPANISH = "Segunda edición"


def note(app, language: str, msgid: str = "(in English)") -> str:
    with app.test_request_context("/"), force_locale(language):
        return gettext(msgid)


@pytest.fixture
def manager(make_user):
    return make_user(email="manager@sela.example", roles=["programme_manager"])


@pytest.fixture
def named(edition):
    edition.name["es"] = SPANISH
    db.session.commit()
    return edition


def text_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the forms -------------------------------------------------------------------------------

def test_new_edition_form_asks_for_the_name_in_every_language(client, login, manager, edition):
    login(manager)
    url = f"/courses/{edition.course.id}/editions/new"
    page = client.get(url).get_data(as_text=True)
    for lang in ("en", "es", "pt", "fr"):
        assert f'name="name_{lang}"' in page
    assert 'name="name"' not in page
    response = client.post(url, data=dict(EDITION_FORM, name_es="  Edición del Caribe  "))
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.id != edition.id))
    assert new.name == {"en": "Caribbean edition", "es": "Edición del Caribe"}
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                         "edition.created"))
    assert record.after["name"] == {"en": "Caribbean edition", "es": "Edición del Caribe"}


def test_only_the_main_language_is_required(client, login, manager, edition):
    login(manager)
    response = client.post(f"/courses/{edition.course.id}/editions/new",
                           data=dict(EDITION_FORM, name_es="   "))
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.id != edition.id))
    assert new.name == {"en": "Caribbean edition"}


def test_settings_change_the_spanish_name_audited(client, login, instructor, edition):
    login(instructor)
    page = client.get(f"/courses/editions/{edition.id}/settings").get_data(as_text=True)
    assert 'name="name_es"' in page and 'name="name_fr"' in page
    response = client.post(f"/courses/editions/{edition.id}/settings",
                           data=dict(SETTINGS_FORM, name_en="Second edition", name_es=SPANISH))
    assert response.status_code == 302, response.data
    db.session.refresh(edition)
    assert edition.name == {"en": "Second edition", "es": SPANISH}
    record = db.session.scalar(select(AuditRecord).where(AuditRecord.action ==
                                                         "edition.settings"))
    assert record.before["name"] == {"en": "Second edition"}
    assert record.after["name"] == {"en": "Second edition", "es": SPANISH}
    # The settings page shows what is stored, so saving again keeps it.
    page = client.get(f"/courses/editions/{edition.id}/settings").get_data(as_text=True)
    assert f'value="{SPANISH}"' in unescape(page)


HOSTILE = [
    ("newline", "Edición\r\nBcc: all@example.org", b"single line"),
    ("markup", "<script>alert(1)</script>", b"without HTML tags"),
    ("long", "x" * 1000, b"200"),
]


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
@pytest.mark.parametrize("field", ["name_en", "name_es", "name_fr"])
def test_hostile_names_on_the_settings_page_are_refused(client, login, instructor, edition,
                                                       field, what, value, message):
    login(instructor)
    data = dict(SETTINGS_FORM, name_en="Renamed", name_es="Renombrada")
    data[field] = value
    response = client.post(f"/courses/editions/{edition.id}/settings", data=data)
    assert response.status_code == 400
    assert message in response.data
    db.session.expire_all()
    assert edition.name == {"en": "Second edition"}
    assert db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "edition.settings")) == 0


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_spanish_names_on_the_new_edition_page_are_refused(client, login, manager,
                                                                  edition, what, value,
                                                                  message):
    login(manager)
    before = count(Edition)
    response = client.post(f"/courses/{edition.course.id}/editions/new",
                           data=dict(EDITION_FORM, name_es=value))
    assert response.status_code == 400 and message in response.data
    assert count(Edition) == before


@pytest.mark.parametrize(("what", "value", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_names_on_the_copy_page_are_refused(client, login, instructor, edition, what,
                                                   value, message):
    login(instructor)
    before = count(Edition)
    for field in ("name_en", "name_es"):
        data = {"name_en": "Third edition", "name_es": "Tercera edición", "offset_days": "364"}
        data[field] = value
        response = client.post(f"/courses/editions/{edition.id}/copy", data=data)
        assert response.status_code == 400 and message in response.data, field
    assert count(Edition) == before


def test_the_services_refuse_what_the_forms_refuse(app, edition, instructor):
    """A caller other than the web forms (CLI, job) meets the same rule."""
    from elearn.courses.errors import CourseError
    from elearn.courses.services import settings

    values = {field: getattr(edition, field) for field in settings.FIELDS}
    for bad in ("a\nb", "<b>x</b>", "y" * 201):
        with pytest.raises(CourseError) as refused:
            settings.update(edition, dict(values, name={"en": "Fine", "es": bad}),
                            actor=instructor)
        assert refused.value.status == 400
        with pytest.raises(CourseError):
            editions.copy_edition(edition, {"en": "Third", "es": bad}, 7, actor=instructor)
    # Without the name in the edition's language (English here) neither saves.
    with pytest.raises(CourseError):
        settings.update(edition, dict(values, name={"es": "Solo en español"}),
                        actor=instructor)
    with pytest.raises(CourseError):
        editions.copy_edition(edition, {"es": "Tercera"}, 7, actor=instructor)
    db.session.expire_all()
    assert edition.name == {"en": "Second edition"}


def test_a_copy_takes_every_name(client, login, instructor, named):
    login(instructor)
    response = client.post(f"/courses/editions/{named.id}/copy", data={
        "name_en": "Third edition", "name_es": "Tercera edición", "name_pt": "Terceira edição",
        "offset_days": "364"})
    assert response.status_code == 302, response.data
    new = db.session.scalar(select(Edition).where(Edition.id != named.id))
    assert new.name == {"en": "Third edition", "es": "Tercera edición",
                        "pt": "Terceira edição"}


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
    from elearn.courses.models import EnrolmentStatus

    participant(status=EnrolmentStatus.PENDING)
    instructor.preferred_language = "es"
    db.session.commit()
    login(instructor)
    base = f"/courses/editions/{named.id}"
    for url in (f"{base}/staff", f"{base}/applications", f"{base}/gradebook",
                f"{base}/live", f"{base}/copy", "/courses/mine"):
        text = text_of(client, url)
        assert SPANISH in text and "Second edition" not in text, url
    # The settings page names the edition in the reader's language and offers every name.
    text = text_of(client, f"{base}/settings")
    assert f"<title>{SPANISH}" in text or f"· {SPANISH}" in text
    assert 'value="Second edition"' in text and f'value="{SPANISH}"' in text


def test_without_a_spanish_name_a_spanish_reader_is_told_it_is_english(app, client, login,
                                                                       edition, participant):
    login(participant(preferred_language="es"))
    text = text_of(client, f"/courses/editions/{edition.id}")
    assert f"Second edition {note(app, 'es')}" in text


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


def test_the_live_class_event_is_named_in_each_language(named, instructor):
    event = ensure_event(named, actor=instructor)
    assert event.title["en"].endswith("— Second edition")
    assert event.title["es"].endswith(f"— {SPANISH}")
    assert event.title["es"].startswith(named.course.title["es"])


def test_the_demo_editions_have_spanish_names(app):
    from elearn.accounts import demo as accounts_demo
    from elearn.courses import demo
    from elearn.programme import demo as programme_demo

    rng = random.Random(3)
    programme_demo.populate(rng)
    accounts_demo.populate(rng)
    demo.populate(rng)
    db.session.commit()
    names = {e.name["en"]: e.name["es"] for e in db.session.scalars(select(Edition))}
    assert names == {"First edition": "Primera edición", "Second edition": "Segunda edición",
                     "Caribbean edition": "Edición del Caribe"}


# --- an edition taught in Spanish, read in French, Portuguese and English ---------------------

@pytest.fixture
def spanish_edition(edition, instructor):
    """An open edition taught in Spanish, named only in Spanish, with a module titled only in
    Spanish."""
    spanish = Edition(course=edition.course, name={"es": "Edición andina"},
                      starts_on=date.today(), ends_on=date.today() + timedelta(days=30),
                      timezone="America/Lima", language="es", status=EditionStatus.OPEN)
    spanish.instructors = [EditionInstructor(user_id=instructor.id)]
    spanish.modules = [Module(position=1, title={"es": "Comercio electrónico"}, hours=4)]
    db.session.add(spanish)
    db.session.commit()
    return spanish


def settings_of(edition, **names) -> dict:
    return dict(SETTINGS_FORM, language="es", timezone="America/Lima",
                starts_on=edition.starts_on.isoformat(), ends_on=edition.ends_on.isoformat(),
                name_en="", **names)


def test_a_french_name_added_in_the_form_is_shown_to_french_readers(app, client, login,
                                                                    make_user, instructor,
                                                                    spanish_edition):
    login(instructor)
    url = f"/courses/editions/{spanish_edition.id}/settings"
    page = client.get(url).get_data(as_text=True)
    # Spanish, the edition's language, comes first and is the required one.
    assert page.index('name="name_es"') < page.index('name="name_en"') < \
        page.index('name="name_fr"')
    response = client.post(url, data=settings_of(spanish_edition, name_es="Edición andina",
                                                 name_fr="Édition andine"))
    assert response.status_code == 302, response.data
    db.session.refresh(spanish_edition)
    assert spanish_edition.name == {"es": "Edición andina", "fr": "Édition andine"}
    client.post("/logout")

    login(make_user(email="lectrice@example.org", preferred_language="fr"))
    text = text_of(client, f"/courses/editions/{spanish_edition.id}")
    assert "Édition andine" in text and "Edición andina" not in text
    client.post("/logout")

    login(make_user(email="leitora@example.org", preferred_language="pt"))
    text = text_of(client, f"/courses/editions/{spanish_edition.id}")
    assert note(app, "pt", "(in Spanish)") == "(em espanhol)"
    assert "Edición andina (em espanhol)" in text and "Édition andine" not in text


def test_a_module_titled_only_in_spanish_is_shown_with_a_note(app, client, login, make_user,
                                                             spanish_edition):
    login(make_user(email="reader@example.org", preferred_language="en"))
    text = text_of(client, f"/courses/editions/{spanish_edition.id}")
    assert f"Comercio electrónico {note(app, 'en', '(in Spanish)')}" in text
    assert "Comercio electrónico (in Spanish)" in text


def test_without_the_name_in_the_main_language_nothing_is_saved(client, login, instructor,
                                                                spanish_edition):
    login(instructor)
    url = f"/courses/editions/{spanish_edition.id}/settings"
    response = client.post(url, data=settings_of(spanish_edition, name_es="  ",
                                                 name_fr="Édition andine"))
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    # The error is beside the Spanish input, tied to it for screen readers.
    error = page.index('id="name_es-error"')
    assert "Required in Spanish, the main language." in page[error:error + 200]
    assert 'aria-describedby="name_es-error"' in page
    db.session.expire_all()
    assert spanish_edition.name == {"es": "Edición andina"}
    assert db.session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.action == "edition.settings")) == 0
