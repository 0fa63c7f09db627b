import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import Milestone, MilestoneStatus, ProgressUpdate
from governance.models import ActionPerspective, Membership, Role

pytestmark = pytest.mark.django_db


def run(*args, **kwargs) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue().strip().splitlines()


def log_in(client, username: str, password: str) -> bool:
    """Through the real login form (django-axes needs the request)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and client.session.get("_auth_user_id") == str(
        get_user_model().objects.get(username=username).pk
    )


# ---------------------------------------------------------------- portal_user


def test_portal_user_creates_a_user_with_organisation_role_and_password(monkeypatch, client):
    monkeypatch.setenv("PORTAL_PASSWORD", "een-lang-wachtwoord-42")
    run("portal_user", "jansen", "--organisation", "coa", "--role", "partner")
    membership = Membership.objects.get(user__username="jansen")
    assert (membership.organisation.code, membership.role) == ("COA", Role.PARTNER)
    assert log_in(client, "jansen", "een-lang-wachtwoord-42")


def test_portal_user_updates_an_existing_users_role(monkeypatch):
    monkeypatch.delenv("PORTAL_PASSWORD", raising=False)
    run("portal_user", "jansen", "--organisation", "COA", "--role", "partner")
    lines = run("portal_user", "jansen", "--organisation", "IND", "--role", "viewer")
    membership = Membership.objects.get(user__username="jansen")
    assert (membership.organisation.code, membership.role) == ("IND", Role.VIEWER)
    assert lines == ["Updated user jansen (IND, viewer)."]
    assert get_user_model().objects.filter(username="jansen").count() == 1


def test_portal_user_without_password_creates_a_user_who_cannot_log_in(monkeypatch):
    monkeypatch.delenv("PORTAL_PASSWORD", raising=False)
    run("portal_user", "zonder", "--organisation", "DTV", "--role", "partner")
    assert not get_user_model().objects.get(username="zonder").has_usable_password()


def test_portal_user_admin_role_gets_django_admin_access(monkeypatch, client):
    monkeypatch.setenv("PORTAL_PASSWORD", "een-lang-wachtwoord-42")
    run("portal_user", "beheer", "--organisation", "JENV", "--role", "admin")
    assert log_in(client, "beheer", "een-lang-wachtwoord-42")
    # The admin asks for the second factor first (issue 15); once verified, it opens.
    assert client.get("/admin/")["Location"].startswith(reverse("mfa-setup"))
    client.force_login(get_user_model().objects.get(username="beheer"))
    assert client.get("/admin/").status_code == 200


def test_portal_user_refuses_an_unknown_organisation():
    with pytest.raises(CommandError, match="Unknown organisation 'XYZ'"):
        run("portal_user", "jansen", "--organisation", "XYZ", "--role", "partner")
    assert not get_user_model().objects.filter(username="jansen").exists()


def test_portal_user_token_is_the_last_line_and_works_against_the_api(client):
    lines = run("portal_user", "robot", "--organisation", "IND", "--role", "partner", "--token")
    token = lines[-1]
    assert lines[0] == "Created user robot (IND, partner)."
    assert client.get("/api/v1/").status_code in (401, 403)
    response = client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_a_wrong_token_is_refused_with_a_json_message(client):
    response = client.get("/api/v1/", HTTP_AUTHORIZATION="Token " + "0" * 64)
    assert response.status_code == 401
    assert response.json()["message"]


# ---------------------------------------------------------------- load_demo


# One demo load per test is the slow part of this module: each test below loads it once and
# checks several of its promises.


def test_load_demo_fills_a_plausible_chain_relative_to_today():
    run("load_demo")
    # About sixty milestones of the implementation plan, with mixed statuses; decisions'
    # follow-ups (issue 5) come on top.
    plan = Milestone.objects.filter(action__decision__isnull=True)
    assert 50 <= plan.count() <= 70
    assert Milestone.objects.filter(action__decision__isnull=False).exists()
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert statuses == set(MilestoneStatus.values)
    assert ProgressUpdate.objects.exists()
    years = {d.year for d in Milestone.objects.values_list("due_date", flat=True)}
    assert len(years) >= 4
    # Every perspective has one to three recommendations.
    for perspective in ActionPerspective.objects.all():
        assert 1 <= perspective.recommendations.count() <= 3, perspective
    # The overdue and upcoming lists are filled relative to today.
    today = timezone.localdate()
    assert Milestone.objects.overdue(today).exists()
    assert Milestone.objects.due_within(30, today).exists()
    assert Milestone.objects.filter(due_date__gt=today + datetime.timedelta(days=30)).exists()


def test_load_demo_refuses_a_filled_database_and_its_logins_work():
    run("load_demo")
    before = Milestone.objects.count()
    with pytest.raises(CommandError, match="not empty"):
        run("load_demo")
    assert Milestone.objects.count() == before
    # --if-empty leaves a filled database alone.
    lines = run("load_demo", "--if-empty")
    assert Milestone.objects.count() == before
    assert "not loaded again" in lines[-1]
    # demo_logins creates regie, ind and viewer with the printed password.
    lines = run("demo_logins")
    password = next(line for line in lines if "password" in line).split()[-1]
    for username in ("regie", "ind", "viewer"):
        assert log_in(Client(), username, password), username
    assert Membership.objects.get(user__username="ind").organisation.code == "IND"
