import pytest


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def test_post_without_csrf_token_is_refused(client, make_user):
    make_user(email="ana@example.org")
    response = client.post("/login", data={"email": "ana@example.org",
                                           "password": "correct horse battery staple"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)


def test_login_form_carries_a_token(client):
    assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)
