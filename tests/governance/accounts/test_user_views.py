"""The functional administrator maintains users in the portal: one form with organisation and
role, deactivation, sessions ending when rights change (issue 13, item 4)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import AuditAction, AuditEvent, Membership, Role
from tests.factories import make_user, org

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct-horse-battery"
LIST = reverse("users")
NEW = reverse("user-new")


@pytest.fixture
def functional_admin(db):
    return make_user(Role.ADMIN, "JENV", username="beheerder")


@pytest.fixture
def admin_page(client, functional_admin):
    client.force_login(functional_admin)
    return client


def edit_url(user) -> str:
    return reverse("user-edit", args=[user.pk])


def logged_in(user) -> Client:
    browser = Client()
    response = browser.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return browser


def test_creating_a_user_sets_organisation_and_role_in_one_form(admin_page):
    response = admin_page.post(
        NEW,
        {
            "username": "j.devries",
            "first_name": "Jan",
            "last_name": "de Vries",
            "email": "j.devries@coa.example",
            "organisation": org("COA").pk,
            "role": Role.PARTNER,
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="j.devries")
    assert (user.membership.organisation.code, user.membership.role) == ("COA", "partner")
    assert (user.get_full_name(), user.email, user.is_staff) == (
        "Jan de Vries",
        "j.devries@coa.example",
        False,
    )
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action=AuditAction.USER_SAVED, object_id=str(user.pk)).exists()


def test_an_existing_username_is_refused_not_overwritten(admin_page, ind_partner):
    response = admin_page.post(
        NEW,
        {
            "username": ind_partner.username.upper(),
            "email": "x@example.org",
            "organisation": org("COA").pk,
            "role": Role.ADMIN,
        },
    )
    assert response.status_code == 422
    assert "Er bestaat al een gebruiker met deze naam." in response.content.decode()
    ind_partner.membership.refresh_from_db()
    assert ind_partner.membership.role == Role.PARTNER


def test_a_new_user_needs_an_organisation_a_role_and_an_email_address(admin_page):
    response = admin_page.post(NEW, {"username": "zonder"})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert {"organisation", "role", "email"} <= set(errors)
    assert not User.objects.filter(username="zonder").exists()


def test_a_new_role_ends_the_users_sessions(admin_page, ind_partner):
    browser = logged_in(ind_partner)
    assert browser.get(reverse("account")).status_code == 200
    data = {
        "first_name": ind_partner.first_name,
        "last_name": ind_partner.last_name,
        "email": "ind@example.org",
        "is_active": "on",
        "organisation": org("IND").pk,
        "role": Role.VIEWER,
    }
    assert admin_page.post(edit_url(ind_partner), data).status_code == 302
    assert Membership.objects.get(user=ind_partner).role == Role.VIEWER
    assert browser.get(reverse("account")).status_code == 302  # to the login page


def test_deactivating_a_user_ends_their_sessions_and_keeps_them(admin_page, ind_partner):
    browser = logged_in(ind_partner)
    data = {
        "first_name": "",
        "last_name": "",
        "email": "ind@example.org",
        "organisation": org("IND").pk,
        "role": Role.PARTNER,
    }  # "is_active" unticked
    assert admin_page.post(edit_url(ind_partner), data).status_code == 302
    ind_partner.refresh_from_db()
    assert not ind_partner.is_active
    assert browser.get(reverse("account")).status_code == 302
    page = admin_page.get(LIST + "?status=gedeactiveerd").content.decode()
    assert ind_partner.username in page


def test_an_administrator_cannot_deactivate_themselves(admin_page, functional_admin):
    data = {"email": "b@example.org", "organisation": org("JENV").pk, "role": Role.ADMIN}
    response = admin_page.post(edit_url(functional_admin), data)
    assert response.status_code == 422
    functional_admin.refresh_from_db()
    assert functional_admin.is_active


def test_the_username_cannot_change_on_the_edit_form(admin_page, ind_partner):
    data = {
        "username": "iemand-anders",
        "email": "ind@example.org",
        "is_active": "on",
        "organisation": org("IND").pk,
        "role": Role.PARTNER,
    }
    assert admin_page.post(edit_url(ind_partner), data).status_code == 302
    ind_partner.refresh_from_db()
    assert ind_partner.username == "ind-test"


@pytest.mark.parametrize("who", ["regie", "ind_partner", "viewer"])
def test_only_the_functional_administrator_maintains_users(client, who, request, coa_partner):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    data = {"email": "x@example.org", "organisation": org("JENV").pk, "role": Role.ADMIN}
    assert client.post(edit_url(coa_partner), {**data, "is_active": "on"}).status_code == 403
    assert client.post(NEW, {**data, "username": "sneaky"}).status_code == 403
    assert Membership.objects.get(user=coa_partner).role == Role.PARTNER
    assert not User.objects.filter(username="sneaky").exists()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_the_list_filters_by_organisation_and_role_in_constant_queries(
    admin_page, ind_partner, coa_partner
):
    url = LIST + "?organisatie=COA&rol=partner"
    admin_page.get(url)  # the session's first request does its own bookkeeping
    few = queries(admin_page, url)
    for n in range(10):
        make_user(Role.PARTNER, "COA", username=f"coa-{n}")
    assert queries(admin_page, url) == few
    page = admin_page.get(url)
    html = page.content.decode()
    assert "coa-test" in html and "coa-7" in html and "ind-test" not in html
    partial = admin_page.get(LIST + "?organisatie=IND", HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results"') and "ind-test" in partial


def test_a_new_user_gets_an_invitation_and_chooses_a_password_with_it(admin_page, mailoutbox):
    data = {
        "username": "p.bakker",
        "email": "p.bakker@ind.example",
        "organisation": org("IND").pk,
        "role": Role.PARTNER,
        "invite": "on",
    }
    assert admin_page.post(NEW, data).status_code == 302
    (mail,) = mailoutbox
    assert mail.to == ["p.bakker@ind.example"]
    assert "Immigratie- en Naturalisatiedienst" in mail.body and "Ketenpartner" in mail.body
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.body).group(1)
    browser = Client()
    form_page = browser.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "een-lang-nieuw-wachtwoord-42"
    done = browser.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    assert User.objects.get(username="p.bakker").check_password(new_password)


def test_without_the_invitation_no_mail_is_sent(admin_page, mailoutbox):
    data = {
        "username": "sso.gebruiker",
        "email": "sso@ind.example",
        "organisation": org("IND").pk,
        "role": Role.VIEWER,
    }
    assert admin_page.post(NEW, data).status_code == 302
    assert mailoutbox == []
