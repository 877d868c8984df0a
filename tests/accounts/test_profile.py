import pytest

from elearn.accounts.models import Gender, Sector, User
from elearn.extensions import db


def profile_data(**overrides):
    data = {"full_name": "Keisha Campbell", "country": "JM", "institution": "Ministry of Economy",
            "sector": "government", "job_title": "Policy analyst", "is_public_official": "y",
            "year_of_birth": "1988", "preferred_language": "en",
            "timezone": "America/Jamaica", "gender": "woman", "gender_other": "",
            "stats_consent": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def reload(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_edit_profile_saves_every_field(client, make_user, login):
    user = make_user()
    login(user)
    response = client.post("/profile/edit", data=profile_data())
    assert response.status_code == 302
    user = reload(user)
    assert (user.full_name, user.country, user.institution, user.sector, user.job_title) == (
        "Keisha Campbell", "JM", "Ministry of Economy", Sector.GOVERNMENT, "Policy analyst")
    assert user.is_public_official and user.year_of_birth == 1988
    assert user.timezone == "America/Jamaica" and user.gender == Gender.WOMAN
    assert user.stats_consent_at is not None
    page = client.get("/profile").get_data(as_text=True)
    assert "Jamaica" in page and "Woman" in page


def test_country_select_is_localised_with_member_states_first(client, make_user, login):
    login(make_user(preferred_language="es"))
    html = client.get("/profile/edit").get_data(as_text=True)
    assert "México" in html and "Alemania" in html  # Babel's Spanish names
    assert html.index("México") < html.index("Otros países") < html.index("Alemania")


def test_not_answered_is_distinct_from_prefer_not_to_say(client, make_user, login):
    user = make_user(gender=Gender.WOMAN)
    login(user)
    client.post("/profile/edit", data=profile_data(gender=""))
    assert reload(user).gender is None
    client.post("/profile/edit", data=profile_data(gender="prefer_not_to_say"))
    assert reload(user).gender == Gender.PREFER_NOT_TO_SAY


def test_gender_other_text_only_kept_for_another(client, make_user, login):
    user = make_user()
    login(user)
    client.post("/profile/edit", data=profile_data(gender="another", gender_other="Two-spirit"))
    assert (reload(user).gender, reload(user).gender_other) == (Gender.ANOTHER, "Two-spirit")
    client.post("/profile/edit", data=profile_data(gender="man", gender_other="Two-spirit"))
    assert (reload(user).gender, reload(user).gender_other) == (Gender.MAN, None)


def test_withdrawing_consent_clears_the_timestamp(client, make_user, login):
    user = make_user()
    login(user)
    client.post("/profile/edit", data=profile_data())
    given = reload(user).stats_consent_at
    client.post("/profile/edit", data=profile_data())
    assert reload(user).stats_consent_at == given  # saving again keeps the original date
    client.post("/profile/edit", data=profile_data(stats_consent=None))
    assert reload(user).stats_consent_at is None


def test_invalid_values_get_400_with_messages_and_nothing_written(client, make_user, login):
    user = make_user(full_name="Before")
    login(user)
    cases = [
        ({"country": "XX"}, "Choose a country from the list"),
        ({"timezone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"year_of_birth": "1850"}, "Enter a year between"),
        ({"year_of_birth": "abc"}, "integer"),
        ({"institution": "x" * 201}, "200"),
        ({"gender": "robot"}, "Not a valid choice"),
        ({"sector": "mafia"}, "Not a valid choice"),
        ({"full_name": ""}, "required"),
    ]
    for change, message in cases:
        response = client.post("/profile/edit", data=profile_data(**change))
        assert response.status_code == 400, change
        assert message in response.get_data(as_text=True), change
    assert reload(user).full_name == "Before"


def test_gender_is_never_shown_to_admins_listing_users(client, make_user, login):
    make_user(email="keisha@example.org", gender=Gender.NON_BINARY)
    login(make_user(roles=["admin"]))
    html = client.get("/admin/users").get_data(as_text=True)
    assert "keisha@example.org" in html
    assert "non_binary" not in html and "Non-binary" not in html


def test_profile_needs_login(client):
    assert client.get("/profile").status_code == 302
    assert client.get("/profile/edit").status_code == 302


def test_country_names_sort_without_regard_to_accents(app):
    from elearn.accounts.services import country_choices

    with app.test_request_context():
        others = [name for _code, name in country_choices("fr")[1][1]]
    assert others.index("Émirats arabes unis") < others.index("Espagne")


def test_change_email_needs_the_new_address_confirmed(client, make_user, login, mailbox,
                                                      link_in):
    user = make_user(email="old@example.org")
    login(user)
    assert client.get("/profile/email").status_code == 200
    wrong = client.post("/profile/email", data={"email": "new@example.org", "password": "nope"})
    assert wrong.status_code == 400
    response = client.post("/profile/email", data={"email": "NEW@example.org",
                                                   "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert reload(user).email == "old@example.org"  # not until the link is opened
    link = link_in(mailbox.last("new@example.org"))
    assert client.get(link).status_code == 302
    assert reload(user).email == "new@example.org" and reload(user).is_confirmed
    assert "new@example.org" in mailbox.text_of(mailbox.last("old@example.org"))
    assert client.get(link).status_code == 400  # used: the old address no longer matches


def test_change_email_to_a_taken_address_is_a_conflict(client, make_user, login, mailbox):
    make_user(email="taken@example.org")
    login(make_user(email="me@example.org"))
    response = client.post("/profile/email", data={"email": "Taken@example.org",
                                                   "password": "correct horse battery staple"})
    assert response.status_code == 409
    assert "already used" in response.get_data(as_text=True)
    assert mailbox.messages == []


@pytest.mark.parametrize("field", ["full_name", "institution", "job_title", "timezone",
                                   "gender_other"])
@pytest.mark.parametrize("hostile", ["Ana\r\nBcc: all@example.org", "Ana\tPérez", "Ana\x00",
                                     "Ana\u2028Pérez"])
def test_one_line_profile_fields_refuse_line_breaks(client, make_user, login, field, hostile):
    """A name with CR/LF would split an email header or a certificate line: refused at the
    form with a message, nothing written."""
    user = make_user(full_name="Before")
    login(user)
    extra = {"gender": "another"} if field == "gender_other" else {}
    response = client.post("/profile/edit", data=profile_data(**{field: hostile}, **extra))
    assert response.status_code == 400
    # A NUL is refused before the form (elearn/converters.py), other controls by the form.
    expected = "NUL character" if "\x00" in hostile else "must be a single line"
    if field == "timezone" and "\x00" not in hostile:
        expected = "Choose a time zone from the list."  # a select: only a listed zone passes
    assert expected in response.get_data(as_text=True)
    assert reload(user).full_name == "Before"


def test_sign_up_refuses_a_name_with_line_breaks(client):
    response = client.post("/signup", data={
        "email": "ana@example.org", "full_name": "Ana\r\nSubject: hi",
        "password": "a quiet orange bicycle", "confirm": "a quiet orange bicycle",
        "preferred_language": "en", "country": ""})
    assert response.status_code == 400
    assert "must be a single line" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 0
