"""Hostile input at the courses forms: a line break in a one-line field (it would split an
email subject or a calendar line) and a date in year 9999 are refused with a message."""

import inspect

import pytest
from sqlalchemy import func, select
from wtforms import DateField, DateTimeLocalField, Form, StringField, TextAreaField, URLField

from elearn.courses import authoring_forms, forms
from elearn.courses.models import Course, Edition
from elearn.courses.services import live
from elearn.extensions import db
from elearn.form_checks import SensibleDate, SingleLine

SINGLE_LINE = "This field must be a single line of text."
ONE_LINE_FIELDS = (StringField, URLField)
DATE_FIELDS = (DateField, DateTimeLocalField)


def declared_fields():
    """(form, name, field class, validators) of every field declared in the courses forms."""
    for module in (forms, authoring_forms):
        for _, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, Form) or form.__module__ != module.__name__:
                continue
            for klass in form.__mro__:
                for name, unbound in vars(klass).items():
                    if hasattr(unbound, "field_class"):
                        yield (form.__name__, name, unbound.field_class,
                               unbound.kwargs.get("validators") or [])


def test_every_one_line_field_and_date_is_checked():
    missing, checked = [], 0
    for form, name, field_class, validators in declared_fields():
        checked += 1
        kinds = {type(v) for v in validators}
        one_line = issubclass(field_class, ONE_LINE_FIELDS) and \
            not issubclass(field_class, TextAreaField)
        if one_line and SingleLine not in kinds:
            missing.append(f"{form}.{name}: SingleLine")
        if issubclass(field_class, DATE_FIELDS) and SensibleDate not in kinds:
            missing.append(f"{form}.{name}: SensibleDate")
    assert missing == [] and checked > 40


@pytest.fixture
def manager(make_user):
    return make_user(roles=["programme_manager"])


@pytest.mark.parametrize("title", ["Digital trade\r\nBcc: everyone@example.org",
                                   "Digital trade\nfor SMEs", "Tab\tinside"])
def test_line_break_in_course_title_refused(client, login, manager, title):
    login(manager)
    response = client.post("/courses/new", data={"title_en": title, "languages": ["en"],
                                                 "activity_id": "0"})
    assert response.status_code == 400 and SINGLE_LINE.encode() in response.data
    assert db.session.scalar(select(func.count(Course.id))) == 0


def test_line_break_in_live_class_title_refused(client, login, instructor, edition):
    login(instructor)
    response = client.post(f"/courses/editions/{edition.id}/live", data={
        "title": "Live class\r\nBcc: x@example.org", "starts_at": "2027-01-10T10:00",
        "ends_at": "2027-01-10T12:00", "url": ""})
    assert response.status_code == 400 and SINGLE_LINE.encode() in response.data
    assert live.sessions(edition) == []


def test_year_9999_refused_with_message(client, login, instructor, edition):
    login(instructor)
    before = edition.ends_on
    response = client.post(f"/courses/editions/{edition.id}/settings", data={
        "name_en": "Second edition", "starts_on": "2026-01-01", "ends_on": "9999-12-31",
        "timezone": "America/Caracas", "language": "es"})
    assert response.status_code == 400 and b"Enter a date between 1900 and 2100" in \
        response.data
    db.session.expire_all()
    assert db.session.get(Edition, edition.id).ends_on == before
