"""No raw values (issue 13 point 10): statuses, modes, roles and sectors are words in the
reader's language on pages and in exports, with a stable code column beside each; session
titles follow the language and say so when they fall back to the other one."""

import csv
import io
import zipfile
from types import SimpleNamespace

from flask_babel import force_locale, gettext

from elearn.events import services
from elearn.events.view_helpers import session_title
from elearn.extensions import db


def _people(event, make_user):
    ana = make_user(full_name="Ana Pérez", country="JM", sector="government")
    services.register(event, ana, "in_person")
    services.register(event, make_user(full_name="Bob Brown"), "in_person")
    db.session.commit()


def test_csv_in_spanish_has_labels_and_codes(client, login, make_event, make_user, app):
    organiser = make_user(email="es@example.org", roles=["organiser"], preferred_language="es")
    event = make_event(mode="hybrid", venue_name="SELA", capacity_in_person=1)
    event.organisers[0].user_id = organiser.id
    db.session.commit()
    _people(event, make_user)
    login(organiser)
    body = client.get(f"/organise/events/{event.id}/registrations.csv",
                      follow_redirects=True).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    with app.test_request_context(), force_locale("es"):
        from flask_babel import gettext as _
        status, status_code = _("Status"), _("Status code")
        sector, sector_code = _("Sector"), _("Sector code")
        mode, mode_code = _("Mode"), _("Mode code")
        words = {"confirmed": _("Confirmed"), "waitlisted": _("Waiting list"),
                 "in_person": _("In person"), "government": _("Government")}
    by_name = {row[next(iter(row))]: row for row in rows}
    ana, bob = by_name["Ana Pérez"], by_name["Bob Brown"]
    assert (ana[status], ana[status_code]) == (words["confirmed"], "confirmed")
    assert (bob[status], bob[status_code]) == (words["waitlisted"], "waitlisted")
    assert (ana[mode], ana[mode_code]) == (words["in_person"], "in_person")
    assert (ana[sector], ana[sector_code]) == (words["government"], "government")
    assert words["confirmed"] == "Confirmada"  # the catalogue is really Spanish
    response = client.get(f"/organise/events/{event.id}/registrations.xlsx",
                          follow_redirects=True)
    with zipfile.ZipFile(io.BytesIO(response.data)) as book:
        strings = book.read("xl/sharedStrings.xml").decode()
    assert "Confirmada" in strings and ">confirmed<" in strings


def test_dashboard_shows_country_names_not_codes(client, login, organiser, make_event,
                                                 make_user):
    event = make_event()
    services.register(event, make_user(full_name="Ana Pérez", country="JM"))
    db.session.commit()
    login(organiser)
    listing = client.get(f"/organise/events/{event.id}").get_data(as_text=True) \
        .split('id="list"')[1]
    assert "<td>Jamaica</td>" in listing and "<td>JM</td>" not in listing


def test_session_titles_follow_the_language(app, make_event):
    event = make_event()
    both = SimpleNamespace(title={"en": "Opening", "es": "Apertura"}, event=event)
    english_only = SimpleNamespace(title={"en": "Closing panel"}, event=event)
    untitled = SimpleNamespace(title={}, event=event)
    with app.test_request_context():
        with force_locale("es"):
            assert str(session_title(both)) == "Apertura"
            fallback = str(session_title(english_only))
            assert '<span lang="en">Closing panel</span>' in fallback
            with force_locale("es"):
                note = gettext("(in English)")
            assert fallback.endswith(f'<span class="muted">{note}</span>')
            assert str(session_title(untitled)) == event.title["es"]
        with force_locale("en"):
            assert str(session_title(both)) == "Opening"
            assert str(session_title(english_only)) == "Closing panel"
            only_es = SimpleNamespace(title={"es": "Clausura"}, event=event)
            assert "(in Spanish)" in str(session_title(only_es))
        with force_locale("pt"):  # neither: the event's main language (Spanish), noted
            assert str(session_title(both)).startswith('<span lang="es">Apertura</span>')
            portuguese = SimpleNamespace(title={"es": "Apertura", "pt": "Abertura"}, event=event)
            assert str(session_title(portuguese)) == "Abertura"


def test_event_page_marks_an_english_title_for_spanish_readers(client, make_event):
    event = make_event()  # its session is titled "Opening" in English only
    html = client.get(f"/events/{event.id}", headers={"Accept-Language": "es"}) \
        .get_data(as_text=True)
    assert '<span lang="en">Opening</span> <span class="muted">' in html
