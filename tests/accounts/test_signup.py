from sqlalchemy import func, select

from elearn.accounts.models import User
from elearn.audit.models import AuditRecord
from elearn.extensions import db

GOOD = "a quiet orange bicycle"


def signup_data(**overrides):
    data = {"email": "Maria.Perez@Example.org", "full_name": "María Pérez Gómez",
            "password": GOOD, "confirm": GOOD, "preferred_language": "es", "country": "VE"}
    data.update(overrides)
    return data


def users_count():
    return db.session.scalar(select(func.count(User.id)))


def test_signup_page_lists_member_states_first(client):
    html = client.get("/signup").get_data(as_text=True)
    assert 'for="email"' in html and 'for="full_name"' in html and 'for="confirm"' in html
    members = html.index('<optgroup label="Member states">')
    others = html.index('<optgroup label="Other countries">')
    assert members < html.index('value="VE"') < others < html.index('value="FR"')


def test_signup_creates_unconfirmed_user_and_sends_link_in_their_language(client, mailbox,
                                                                          link_in):
    response = client.post("/signup", data=signup_data())
    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert user.email == "maria.perez@example.org"
    assert user.full_name == "María Pérez Gómez"
    assert user.country == "VE" and user.preferred_language == "es"
    assert user.email_confirmed_at is None
    message = mailbox.last("maria.perez@example.org")
    assert "/confirm/" in link_in(message)
    assert db.session.scalar(select(AuditRecord.action)) == "accounts.signed_up"


def test_unconfirmed_user_is_logged_in_with_banner_then_confirms(client, mailbox, link_in):
    client.post("/signup", data=signup_data())
    client.post("/login", data={"email": "maria.perez@example.org", "password": GOOD})
    page = client.get("/profile").get_data(as_text=True)
    # María chose Spanish at sign-up: the banner speaks it.
    assert "Confirme su dirección de correo electrónico" in page
    response = client.get(link_in(mailbox.last("maria.perez@example.org")))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(User)).email_confirmed_at is not None
    assert "Please confirm your email address" not in client.get("/profile").get_data(
        as_text=True)


def _answer(response):
    """What the browser sees: status, target and the message shown on the next page."""
    return response.status_code, response.headers.get("Location"), response.headers.get(
        "Set-Cookie", "").split("=")[0]


def test_sign_up_does_not_reveal_a_registered_address(app, client, make_user, mailbox,
                                                      link_in):
    make_user(email="maria.perez@example.org", full_name="María Pérez")
    taken = client.post("/signup", data=signup_data(email="MARIA.PEREZ@example.ORG",
                                                     full_name="Intruder"))
    taken_page = client.get("/login").get_data(as_text=True)
    fresh_client = app.test_client()
    fresh = fresh_client.post("/signup", data=signup_data(email="new.person@example.org"))
    fresh_page = fresh_client.get("/login").get_data(as_text=True)
    # Identical answers: same status, same redirect, same cookies, same page but the address.
    assert _answer(taken) == _answer(fresh) == (302, "/login", "session")
    assert taken_page.replace("maria.perez@example.org", "X") == \
        fresh_page.replace("new.person@example.org", "X")
    assert users_count() == 2  # the owner's account and the new one, nothing for the intruder
    owner = db.session.scalar(select(User).where(User.email == "maria.perez@example.org"))
    assert owner.full_name == "María Pérez"
    # The owner is told, in a message that helps them in without confirming anything.
    note = mailbox.text_of(mailbox.last("maria.perez@example.org"))
    assert "Someone tried to create an account with your email address" in note
    assert "/login" in note and "/password/forgot" in note and "/confirm/" not in note


def test_weak_passwords_are_refused(client):
    cases = {
        "short1": "at least 10 characters",
        "aaaaaaaaaaaa": "single character",
        "maria.perez@example.org": "email address",
        "qwertyuiop": "too common",
    }
    for password, message in cases.items():
        response = client.post("/signup", data=signup_data(password=password, confirm=password))
        assert response.status_code == 400, password
        assert message in response.get_data(as_text=True), password
    assert users_count() == 0


def test_password_mismatch_is_refused(client):
    response = client.post("/signup", data=signup_data(confirm="another good phrase"))
    assert response.status_code == 400
    assert "do not match" in response.get_data(as_text=True)
    assert users_count() == 0


def test_invalid_country_and_missing_name_are_refused(client):
    response = client.post("/signup", data=signup_data(country="XX"))
    assert response.status_code == 400
    assert "Choose a country from the list" in response.get_data(as_text=True)
    assert client.post("/signup", data=signup_data(full_name="")).status_code == 400
    assert users_count() == 0


def test_tampered_confirmation_link_gets_400_with_resend(client, mailbox, link_in):
    client.post("/signup", data=signup_data())
    link = link_in(mailbox.last("maria.perez@example.org"))
    response = client.get(link[:-3] + "xyz")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "does not work" in html and "Send me a new confirmation link" in html
    db.session.expire_all()
    assert db.session.scalar(select(User)).email_confirmed_at is None


def test_expired_confirmation_link_gets_400_and_resend_sends_a_working_one(
        app, client, mailbox, link_in, make_user, monkeypatch):
    import itsdangerous.timed

    user = make_user(email="late@example.org", confirmed=False)
    from elearn.accounts.services import confirmation_token

    real = itsdangerous.timed.TimestampSigner.get_timestamp
    old = real(None) - app.config["EMAIL_TOKEN_MAX_AGE"] - 60
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: old)
    with app.test_request_context():
        token = confirmation_token(user)
    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", real)

    response = client.get(f"/confirm/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)

    response = client.post("/confirm/resend", data={"email": "LATE@example.org"})
    assert response.status_code == 302
    assert client.get(link_in(mailbox.last("late@example.org"))).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).is_confirmed


def test_resend_for_unknown_address_says_the_same_and_sends_nothing(client, mailbox):
    response = client.post("/confirm/resend", data={"email": "nobody@example.org"},
                           follow_redirects=True)
    assert "If this address has an account waiting" in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_confirmation_email_is_in_spanish_for_a_spanish_speaker(client, mailbox):
    client.post("/signup", data=signup_data())
    message = mailbox.last("maria.perez@example.org")
    # The template is rendered inside the recipient's locale; with no catalogue compiled yet
    # the text is English, but the HTML part is tagged with her language.
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="es">' in html


def test_logged_in_unconfirmed_user_can_ask_for_a_new_link_from_the_banner(
        client, make_user, login, mailbox, link_in):
    login(make_user(email="ana@example.org", confirmed=False))
    page = client.get("/").get_data(as_text=True)
    assert 'action="/confirm/resend"' in page
    assert client.post("/confirm/resend").status_code == 302
    assert client.get(link_in(mailbox.last("ana@example.org"))).status_code == 302
    assert "Please confirm" not in client.get("/").get_data(as_text=True)


def test_pages_stay_light(client, make_user, login):
    assert len(client.get("/signup").data) < 40_000
    login(make_user())
    assert len(client.get("/profile/edit").data) < 40_000


def test_form_fields_are_labelled_and_hints_tied_to_them(client):
    html = client.get("/signup").get_data(as_text=True)
    assert '<label for="email">' in html
    assert 'aria-describedby="email-hint"' in html and 'id="email-hint"' in html
    assert '="None"' not in html
    errors = client.post("/signup", data=signup_data(email="not-an-email")).get_data(
        as_text=True)
    assert 'aria-invalid="true"' in errors and 'id="email-error"' in errors
