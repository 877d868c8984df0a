"""A hackathon's rules, challenges and criteria can be written in every language of the site
(issue 18, point 2): the organiser's forms have one fieldset per language, the hackathon
event's language first and required, and readers see their language, else the event's with a
note."""

from html import unescape

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from elearn.extensions import db
from elearn.hackathons.judging_models import Criterion
from elearn.hackathons.models import Challenge


def spanish(hackathon):
    hackathon.event.language = "es"
    db.session.commit()
    return hackathon


def test_the_dashboard_offers_every_language_the_events_first(client, login, organiser,
                                                              hackathon):
    login(organiser)
    page = client.get(f"/hackathons/{spanish(hackathon).id}/organise").get_data(as_text=True)
    for name in ("title", "description"):
        for lang in ("es", "en", "pt", "fr"):
            assert f'name="{name}_{lang}"' in page
    assert page.index('name="title_es"') < page.index('name="title_en"')
    assert page.index('name="name_es"') < page.index('name="name_en"')


def test_a_challenge_without_the_events_language_is_refused(client, login, organiser,
                                                           hackathon):
    login(organiser)
    url = f"/hackathons/{spanish(hackathon).id}/organise/challenges"
    response = client.post(url, data={"title_en": "Green logistics"})
    assert response.status_code == 400
    page = unescape(response.get_data(as_text=True))
    error = page.index('id="title_es-error"')
    assert "Required in Spanish, the main language." in page[error:error + 200]
    assert db.session.scalar(select(func.count()).select_from(Challenge)) == 2


def test_a_french_title_is_shown_to_french_readers(app, client, login, make_user, organiser,
                                                  hackathon):
    login(organiser)
    url = f"/hackathons/{spanish(hackathon).id}/organise/challenges"
    assert client.post(url, data={"title_es": "Logística verde",
                                  "title_fr": "Logistique verte"}).status_code == 302
    assert client.post(f"/hackathons/{hackathon.id}/organise/criteria", data={
        "name_es": "Innovación", "weight": "2", "scale_min": "1", "scale_max": "5"}
    ).status_code == 302
    client.post("/logout")
    login(make_user(email="lectrice@example.org", preferred_language="fr"))
    text = unescape(client.get(f"/hackathons/{hackathon.id}").get_data(as_text=True))
    assert "Logistique verte" in text and "Logística verde" not in text
    with app.test_request_context("/"), force_locale("fr"):
        in_spanish = gettext("(in Spanish)")
    assert f"Innovación {in_spanish}" in text
    criterion = db.session.scalar(select(Criterion).where(
        Criterion.name["es"].as_string() == "Innovación"))
    assert criterion.name == {"es": "Innovación"}


def test_rules_once_written_need_the_events_language(client, login, organiser, hackathon):
    login(organiser)
    url = f"/hackathons/{spanish(hackathon).id}/organise/settings"
    page = client.get(url).get_data(as_text=True)
    assert "Sea original." in page and 'name="rules_pt"' in page
    data = {"team_size_min": "2", "team_size_max": "3", "min_disciplines": "0",
            "judges_per_submission": "2", "normalisation": "zscore",
            "rules_en": "Be kind.", "rules_es": ""}
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "Required in Spanish, the main language." in response.get_data(as_text=True)
    db.session.expire_all()
    assert hackathon.rules["es"] == "Sea original."
    response = client.post(url, data=dict(data, rules_es="Sea amable.", rules_pt="Seja gentil."))
    assert response.status_code == 302, response.data
    db.session.expire_all()
    assert hackathon.rules == {"en": "Be kind.", "es": "Sea amable.", "pt": "Seja gentil."}
