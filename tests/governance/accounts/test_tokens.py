import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from governance.accounts import tokens
from governance.accounts.authentication import FailedTokenThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _client(key: str | None = None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_is_stored_only_as_a_hash(ind_partner):
    instance, key = tokens.create_api_token(user=ind_partner)
    stored = AuthToken.objects.get(pk=instance.pk)
    assert key not in (stored.digest, stored.token_key)
    assert key.startswith(stored.token_key)
    assert stored.expiry > timezone.now() + datetime.timedelta(days=300)


def test_a_valid_token_opens_the_api(ind_partner):
    _instance, key = tokens.create_api_token(user=ind_partner)
    assert _client(key).get("/api/v1/organisations/").status_code == 200


def test_an_expired_token_is_refused_and_removed(ind_partner):
    instance, key = tokens.create_api_token(user=ind_partner)
    AuthToken.objects.filter(pk=instance.pk).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = _client(key).get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json()["message"]
    assert not AuthToken.objects.filter(pk=instance.pk).exists()


def test_the_api_revokes_the_token_it_was_called_with(ind_partner):
    _first, key = tokens.create_api_token(user=ind_partner)
    _second, other_key = tokens.create_api_token(user=ind_partner)
    assert _client(key).post("/api/v1/auth/token/revoke/").status_code == 204
    assert _client(key).get("/api/v1/organisations/").status_code == 401
    assert _client(other_key).get("/api/v1/organisations/").status_code == 200


def test_revoking_through_a_session_is_refused_with_a_message(ind_partner):
    client = APIClient()
    client.force_login(ind_partner)
    response = client.post("/api/v1/auth/token/revoke/")
    assert response.status_code == 400
    assert "API-token" in response.json()["message"]


def test_a_user_cannot_revoke_another_users_token(ind_partner, coa_partner):
    instance, key = tokens.create_api_token(user=coa_partner)
    assert tokens.revoke_api_token(user=ind_partner, token_key=instance.token_key) == 0
    assert _client(key).get("/api/v1/organisations/").status_code == 200


def _with_password(user):
    user.set_password("correct-horse-battery")
    user.save()
    return user


def test_a_token_is_obtained_with_name_and_password(ind_partner):
    _with_password(ind_partner)
    response = _client().post(
        "/api/v1/auth/token/", {"username": "ind-test", "password": "correct-horse-battery"}
    )
    assert response.status_code == 201
    assert _client(response.json()["token"]).get("/api/v1/milestones/").status_code == 200


def test_a_wrong_password_gives_no_token(ind_partner):
    response = _client().post("/api/v1/auth/token/", {"username": "ind-test", "password": "nee"})
    assert response.status_code == 400
    assert response.json()["message"] == "Gebruikersnaam of wachtwoord klopt niet."
    assert not AuthToken.objects.exists()


def test_a_user_without_a_role_gets_no_token():
    _with_password(UserFactory(username="zonder-rol"))
    response = _client().post(
        "/api/v1/auth/token/", {"username": "zonder-rol", "password": "correct-horse-battery"}
    )
    assert response.status_code == 403
    assert not AuthToken.objects.exists()


def test_token_requests_are_throttled_per_address(ind_partner, monkeypatch, settings):
    settings.AXES_ENABLED = False
    monkeypatch.setitem(
        __import__("rest_framework.throttling").throttling.ScopedRateThrottle.THROTTLE_RATES,
        "login",
        "3/min",
    )
    codes = [
        _client()
        .post("/api/v1/auth/token/", {"username": "ind-test", "password": "nee"})
        .status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_failed_token_attempts_are_throttled_but_a_valid_token_still_works(
    ind_partner, monkeypatch
):
    # Issue 15: one misconfigured script behind a shared gateway must not lock out the others.
    monkeypatch.setitem(FailedTokenThrottle.THROTTLE_RATES, "auth", "3/min")
    _instance, key = tokens.create_api_token(user=ind_partner)
    codes = [_client("wrong" + str(n)).get("/api/v1/themes/").status_code for n in range(3)]
    assert codes == [401, 401, 401]
    blocked = _client("wrong-again").get("/api/v1/themes/")
    assert blocked.status_code == 429
    assert "Te veel" in blocked.json()["message"]
    assert _client(key).get("/api/v1/themes/").status_code == 200


def test_token_page_creates_shows_once_and_revokes(client, ind_partner):
    client.force_login(ind_partner)
    response = client.post("/accounts/api-tokens/", {"action": "create"})
    assert response.status_code == 201
    key = response.context["new_key"]
    assert key.encode() in response.content
    assert response["Cache-Control"].startswith("max-age=0")
    page = client.get("/accounts/api-tokens/")
    assert key.encode() not in page.content
    token = AuthToken.objects.get(user=ind_partner)
    assert token.token_key[:8].encode() in page.content
    response = client.post(
        "/accounts/api-tokens/", {"action": "revoke", "token_key": token.token_key}, follow=True
    )
    assert "ingetrokken" in response.content.decode()
    assert not AuthToken.objects.exists()


def test_token_page_cannot_revoke_someone_elses_token(client, ind_partner, coa_partner):
    instance, _key = tokens.create_api_token(user=coa_partner)
    client.force_login(ind_partner)
    response = client.post(
        "/accounts/api-tokens/", {"action": "revoke", "token_key": instance.token_key}, follow=True
    )
    assert "niet van u" in response.content.decode()
    assert AuthToken.objects.filter(pk=instance.pk).exists()
