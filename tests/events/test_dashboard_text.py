"""What a person reads on the dashboard's list, in English and Spanish, now that its rows are
built as plain tuples and its labels translated once per page: each cell says what it said when
the template looked everything up per row (name, email, country in the reader's language, mode,
status, "Will attend", role, moves), and gender is never beside a name."""

import re
from html.parser import HTMLParser

import pytest
from flask import render_template_string
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext

from elearn.accounts.services import country_name
from elearn.events.forms import ATTENDANCE_LABELS, ROLE_LABELS, STATUS_LABELS
from elearn.events.models import (
    AttendanceMode,
    InviteReply,
    ParticipantRole,
    Registration,
    RegistrationStatus,
)
from elearn.extensions import db
from elearn.i18n import template_gettext


class _Cells(HTMLParser):
    """The visible text of each cell of one row."""

    def __init__(self):
        super().__init__()
        self.cells: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("th", "td"):
            self.cells.append([])

    def handle_data(self, data):
        if self.cells and data.strip():
            self.cells[-1].append(" ".join(data.split()))


def _list_rows(page: str) -> list[list[str]]:
    """[[person, country, mode, status, role, move], ...] as a reader sees them."""
    table = _list_text(page)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table[table.index("<tbody>"):], re.S):
        parser = _Cells()
        parser.feed(row)
        rows.append([" / ".join(cell) for cell in parser.cells])
    return rows


def _list_text(page: str) -> str:
    return page.split('id="list"', 1)[1].split("</table>", 1)[0]


@pytest.fixture
def crowd(make_event, make_user):
    """A hybrid event with one registration of each kind the list shows differently."""
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=10)
    people = {
        "ana": make_user(full_name="Ana Pérez", email="ana@example.org", country="JM",
                         gender="woman"),
        "bob": make_user(full_name="Bob <b>Brown</b>", email="bob@example.org", country="VE",
                         gender="man"),
        "carla": make_user(full_name="Carla Díaz", email="carla@example.org", country="BR",
                           gender="non_binary"),
        "dan": make_user(full_name="", email="dan@example.org", country=None),
    }
    rows = [("ana", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED, InviteReply.ATTENDING,
             ParticipantRole.PARTICIPANT),
            ("bob", AttendanceMode.ONLINE, RegistrationStatus.WAITLISTED, None,
             ParticipantRole.SPEAKER),
            ("carla", AttendanceMode.ONLINE, RegistrationStatus.CANCELLED, InviteReply.ATTENDING,
             ParticipantRole.PARTICIPANT),
            ("dan", AttendanceMode.IN_PERSON, RegistrationStatus.CONFIRMED, None,
             ParticipantRole.MODERATOR)]
    for key, mode, status, reply, role in rows:
        db.session.add(Registration(event=event, user_id=people[key].id, mode=mode,
                                    status=status, reply=reply, role=role))
    db.session.commit()
    return event


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_cell_reads_as_before_in_the_readers_language(app, client, login, organiser, crowd,
                                                           language):
    organiser.preferred_language = language
    db.session.commit()
    login(organiser)
    page = client.get(f"/organise/events/{crowd.id}").get_data(as_text=True)
    with app.test_request_context(), force_locale(language):
        def label(labels, key):
            return str(labels[key])

        attend = babel_gettext("Will attend")
        move = {m: babel_gettext("Move to %(mode)s", mode=ATTENDANCE_LABELS[m])
                for m in AttendanceMode}
        confirmed = label(STATUS_LABELS, RegistrationStatus.CONFIRMED)
        expected = [
            # Sorted by name as the list is: "" sorts first (its email stands for the name).
            ["dan@example.org / dan@example.org", "",
             label(ATTENDANCE_LABELS, AttendanceMode.IN_PERSON), confirmed,
             label(ROLE_LABELS, ParticipantRole.MODERATOR), move[AttendanceMode.ONLINE]],
            ["Ana Pérez / ana@example.org", country_name("JM", language),
             label(ATTENDANCE_LABELS, AttendanceMode.IN_PERSON), f"{confirmed} / {attend}",
             label(ROLE_LABELS, ParticipantRole.PARTICIPANT), move[AttendanceMode.ONLINE]],
            ["Bob <b>Brown</b> / bob@example.org", country_name("VE", language),
             label(ATTENDANCE_LABELS, AttendanceMode.ONLINE),
             label(STATUS_LABELS, RegistrationStatus.WAITLISTED),
             label(ROLE_LABELS, ParticipantRole.SPEAKER), move[AttendanceMode.IN_PERSON]],
            # Cancelled: no "Will attend" whatever the reply said, and nothing to move.
            ["Carla Díaz / carla@example.org", country_name("BR", language),
             label(ATTENDANCE_LABELS, AttendanceMode.ONLINE),
             label(STATUS_LABELS, RegistrationStatus.CANCELLED),
             label(ROLE_LABELS, ParticipantRole.PARTICIPANT), ""],
        ]
    assert _list_rows(page) == expected
    # A name is text, never markup; each row links to its registration page.
    assert "Bob &lt;b&gt;Brown&lt;/b&gt;" in page
    for reg in crowd.registrations:
        assert f'href="/organise/registrations/{reg.id}"' in page
    # Gender is never beside a name on a staff page, in any language.
    assert not re.search(r"\b(woman|man|non.binary|mujer|hombre|no binari[oa])\b",
                         _list_text(page), re.I)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_pages_gettext_gives_what_jinjas_gives(app, language):
    """The template's `_` bound to the catalogue in force (elearn.i18n.template_gettext): the
    same words as Flask-Babel's, always %-formatted (so "%%" reads "%"); Markup with its
    variables escaped on a page, plain text in a text email."""
    source = ('{{ _("Registrations") }}|{{ _("Select %(name)s", name=who) }}|'
              '{{ _("Move to %(mode)s", mode=mode) }}|{% trans %}Dashboard{% endtrans %}')
    with app.test_request_context(), force_locale(language):
        values = {"who": "<Ana & Bob>", "mode": str(ATTENDANCE_LABELS[AttendanceMode.ONLINE])}
        jinja = render_template_string(source, **values)
        ours = render_template_string(source, **values, **template_gettext())
        percent = render_template_string('{{ _("100%%") }}', **template_gettext())
        # A text email: no autoescaping, so the variables go in as they are.
        text = "{% autoescape false %}" + source + "{% endautoescape %}"
        jinja_text = render_template_string(text, **values)
        ours_text = render_template_string(text, **values, **template_gettext(markup=False))
    assert ours == jinja
    assert "&lt;Ana &amp; Bob&gt;" in ours
    assert percent == "100%"
    assert ours_text == jinja_text
    assert "<Ana & Bob>" in ours_text


def test_rows_of_another_event_and_other_people_do_not_show(client, login, organiser, crowd,
                                                            make_event, make_user):
    other = make_event(mode="hybrid", venue_name="Elsewhere")
    db.session.add(Registration(event=other, user_id=make_user(full_name="Zoe Zed").id,
                                mode=AttendanceMode.ONLINE, status=RegistrationStatus.CONFIRMED))
    db.session.commit()
    login(organiser)
    page = client.get(f"/organise/events/{crowd.id}").get_data(as_text=True)
    assert "Zoe Zed" not in page and len(_list_rows(page)) == 4
    stranger = make_user(email="stranger@example.org")
    client.get("/logout")
    login(stranger)
    assert client.get(f"/organise/events/{crowd.id}").status_code in (403, 404)
