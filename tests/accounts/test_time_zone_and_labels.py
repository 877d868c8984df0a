"""Issue 13 #11 and #10 on account pages: the time zone is chosen from a select of IANA zones
(a typed "Bogota" is refused), and coded values read as labels in the person's language on
the admin page and in the personal data export (each beside its stable code)."""

import json

from flask_babel import force_locale

from elearn.accounts.labels import GENDER_PROFILE_LABELS, ROLE_LABELS, SECTOR_PROFILE_LABELS
from elearn.accounts.models import Gender, Role, Sector, User
from elearn.extensions import db


def profile_data(**overrides):
    data = {"full_name": "Ana Pérez", "country": "CO", "institution": "", "sector": "",
            "job_title": "", "year_of_birth": "", "preferred_language": "en", "timezone": "",
            "gender": "", "gender_other": ""}
    data.update(overrides)
    return data


def test_a_typed_city_is_refused_with_a_message_and_nothing_saved(client, make_user, login):
    user = make_user(timezone="America/Caracas")
    login(user)
    response = client.post("/profile/edit", data=profile_data(timezone="Bogota"))
    assert response.status_code == 400
    assert "Choose a time zone from the list." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, user.id).timezone == "America/Caracas"


def test_an_iana_zone_is_saved_and_blank_means_the_site_default(client, make_user, login):
    user = make_user()
    login(user)
    assert client.post("/profile/edit",
                       data=profile_data(timezone="America/Bogota")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).timezone == "America/Bogota"
    assert client.post("/profile/edit", data=profile_data()).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).timezone is None


def test_the_select_lists_member_states_first_and_keeps_a_saved_alias(client, make_user,
                                                                      login):
    login(make_user(timezone="America/Buenos_Aires"))  # an alias, saved before the select
    html = client.get("/profile/edit").get_data(as_text=True)
    select = html[html.index('id="timezone"'):]
    select = select[:select.index("</select>")]
    members = select.index('<optgroup label="Member states">')
    others = select.index('<optgroup label="Other countries">')
    assert members < select.index('value="America/Bogota"') < others
    assert others < select.index('value="Europe/Paris"')
    assert "Colombia: Bogotá (UTC−5)" in select
    assert 'selected value="America/Buenos_Aires">Buenos Aires (UTC−3)<' in select
    assert 'value="Bogota"' not in select


def test_the_select_stays_light(client, make_user, login):
    login(make_user())
    html = client.get("/profile/edit").get_data(as_text=True)
    select = html[html.index('id="timezone"'):]
    assert len(select[:select.index("</select>")].encode()) < 26_000  # was 37 KB


def test_admin_page_names_roles_in_the_readers_language(client, make_user, login):
    login(make_user(roles=["admin"], preferred_language="es"))
    html = client.get("/admin/users").get_data(as_text=True)
    with force_locale("es"):
        for role in (Role.INSTRUCTOR, Role.ORGANISER, Role.PROGRAMME_MANAGER, Role.ADMIN):
            spanish = str(ROLE_LABELS[role])
            assert spanish != role.value and f">{spanish}</label>" in html


def test_export_gives_labels_in_the_persons_language_beside_codes(client, make_user, login):
    user = make_user(preferred_language="es", sector=Sector.GOVERNMENT, gender=Gender.WOMAN,
                     country="VE", roles=["instructor"])
    login(user)
    data = json.loads(client.get("/profile/data").get_data(as_text=True))
    profile = data["profile"]
    with force_locale("es"):
        assert profile["sector"] == "government"
        assert profile["sector_label"] == str(SECTOR_PROFILE_LABELS[Sector.GOVERNMENT])
        assert profile["gender"] == "woman"
        assert profile["gender_label"] == str(GENDER_PROFILE_LABELS[Gender.WOMAN])
        assert data["roles"] == ["instructor"]
        assert data["role_labels"] == [str(ROLE_LABELS[Role.INSTRUCTOR])]
    assert profile["sector_label"] != "Government or public administration"
    assert profile["country"] == "VE" and profile["country_label"] == "Venezuela"


def test_every_account_enum_value_has_a_label():
    for labels, enum in ((ROLE_LABELS, Role), (SECTOR_PROFILE_LABELS, Sector),
                         (GENDER_PROFILE_LABELS, Gender)):
        assert set(labels) == set(enum), enum


def test_profile_shows_the_zone_as_a_city_in_the_readers_language(client, make_user, login):
    login(make_user(timezone="America/Bogota", preferred_language="es"))
    assert "Bogotá (UTC−5)" in client.get("/profile").get_data(as_text=True)
