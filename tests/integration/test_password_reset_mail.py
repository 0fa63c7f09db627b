"""Password reset by mail through a real SMTP server (aiosmtpd, in this process): the link
arrives, works once, wants twelve characters, and the old API tokens stop working."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.accounts import tokens
from governance.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_a_user_resets_the_password_through_the_link_in_the_mail(
    settings, smtp_server, client, ind_partner
):
    settings.MAILERS = smtp_server.mailer()
    ind_partner.email = "ind-test@example.test"
    ind_partner.save()
    _instance, key = tokens.create_api_token(user=ind_partner)
    smtp_server.messages.clear()

    response = client.post(reverse("password_reset"), {"email": "ind-test@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    client.post(reverse("password_reset"), {"email": "unknown@example.test"})  # no mail, same page
    assert len(smtp_server.messages) == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "ind-test@example.test"
    body = mail.get_payload(decode=True).decode()
    link = re.search(r"http://testserver(/accounts/wachtwoord-herstellen/\S+/)", body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200 and "Nieuw wachtwoord kiezen" in form.content.decode()
    set_url = form.redirect_chain[-1][0]
    short = client.post(set_url, {"new_password1": "Kort-pw-1", "new_password2": "Kort-pw-1"})
    assert "12" in short.content.decode()
    done = client.post(
        set_url,
        {
            "new_password1": "Een-nieuw-lang-wachtwoord-9",
            "new_password2": "Een-nieuw-lang-wachtwoord-9",
        },
    )
    assert done["Location"] == reverse("password_reset_complete")
    ind_partner.refresh_from_db()
    assert ind_partner.check_password("Een-nieuw-lang-wachtwoord-9")
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/themes/").status_code == 401
    # The link worked once.
    again = client.get(link, follow=True)
    assert "werkt niet (meer)" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED).count() == 2
