"""Structured logs (issue 15): JSON lines with the request id, and no password, token, code or
reset link in them, whatever the portal logs while people log in, make tokens and reset."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from ketenportaal import logs

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def captured_logs():
    """Everything logged anywhere, at DEBUG, through the portal's own JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    config = dict(logs.configure(json=True))
    factory = config.pop("()")
    handler.setFormatter(factory(**config))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = {name: logging.getLogger(name).level for name in ("axes", "django.request")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
        for name, level in quiet.items():
            logging.getLogger(name).setLevel(level)


def test_no_secret_reaches_the_logs(captured_logs, client, regie, ind_partner):
    secrets = [PASSWORD, "Verkeerd-wachtwoord-1", "Een-nieuw-lang-wachtwoord-9"]
    client.post(reverse("login"), {"username": "ind-test", "password": "Verkeerd-wachtwoord-1"})
    client.post(reverse("login"), {"username": "ind-test", "password": PASSWORD})
    secrets.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    api = APIClient()
    answer = api.post("/api/v1/auth/token/", {"username": "ind-test", "password": PASSWORD})
    key = answer.json()["token"]
    secrets.append(key)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/themes/")
    api.get("/api/v1/themes/?password=in-de-url")  # a client's mistake: the query is never logged
    secrets.append("in-de-url")
    APIClient(HTTP_AUTHORIZATION=f"Token {key[:-4]}beef").get("/api/v1/themes/")

    device = TOTPDevice.objects.create(user=regie, name="authenticator", confirmed=True)
    code = f"{TOTP(device.bin_key).token():06d}"
    other = APIClient()
    other.post("/api/v1/auth/token/", {"username": "regie-test", "password": PASSWORD, "otp": code})
    secrets += [code, device.key]

    ind_partner.email = "ind@example.test"
    ind_partner.save()
    client.post(reverse("password_reset"), {"email": "ind@example.test"})
    link = re.search(r"(/accounts/wachtwoord-herstellen/\S+/)", mail.outbox[0].body).group(1)
    _uid, token = link.rstrip("/").split("/")[-2:]
    secrets.append(token)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": secrets[2], "new_password2": secrets[2]},
    )

    output = captured_logs.getvalue()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert len(lines) > 10, output[:2000]
    assert all(line.get("request_id") for line in lines if line.get("event") == "request")
    leaked = [secret for secret in secrets if secret in output]
    assert not leaked, f"secrets in the logs: {leaked}"


def test_the_check_of_the_whole_runs_logs_knows_its_tokens_sessions_and_password(
    client, ind_partner
):
    """tests/conftest.py searches every log line of the run for these (tests.log_secrets)."""
    from governance.accounts import tokens
    from tests import log_secrets

    _token, key = tokens.create_api_token(user=ind_partner)
    client.post(reverse("login"), {"username": "ind-test", "password": PASSWORD})
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    for secret in (key, session_key, PASSWORD):
        assert log_secrets.leaked_in(f'{{"event": "oops", "value": "{secret}"}}')
    assert not log_secrets.leaked_in('{"event": "request", "status_code": 200}')
