import pytest
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def post_login(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_in_dutch(client):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="nl">' in html
    for text in ("Inloggen", "Gebruikersnaam", "Wachtwoord"):
        assert text in html


def test_login_through_the_form_leads_to_the_overview(client, regie):
    response = post_login(client, regie.username, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_gets_a_dutch_message(client, regie):
    response = post_login(client, regie.username, "fout")
    assert response.status_code == 200
    assert "Uw gebruikersnaam of wachtwoord is onjuist" in response.content.decode()


def test_repeated_failed_logins_lock_the_account_even_for_the_right_password(client, settings):
    user = make_user("regie", username="doelwit")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, user.username, "geraden")
    response = post_login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "Account tijdelijk geblokkeerd" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_fewer_failed_logins_than_the_limit_do_not_lock(client, settings):
    user = make_user("regie", username="bijna")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, user.username, "geraden")
    assert post_login(client, user.username, PASSWORD).status_code == 302


def test_logout_is_a_post_and_ends_the_session(regie_client):
    response = regie_client.post(reverse("logout"))
    assert response.status_code == 302
    assert regie_client.get(reverse("home")).status_code == 302


def test_regie_has_no_django_admin_but_admin_has(client, regie):
    admin_user = make_user("admin", username="beheerder")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(regie)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_language_switch_serves_the_page_in_english(regie_client):
    regie_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = regie_client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html


def test_the_django_admin_cannot_hard_delete_governance_or_action_objects(client):
    from tests.factories import MilestoneFactory

    admin_user = make_user("admin", username="beheerder2")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    milestone = MilestoneFactory()
    client.force_login(admin_user)
    recommendation = milestone.action.recommendations.get()
    for url in (
        f"/admin/actions/milestone/{milestone.pk}/delete/",
        f"/admin/actions/action/{milestone.action.pk}/delete/",
        f"/admin/governance/recommendation/{recommendation.pk}/delete/",
    ):
        assert client.post(url, {"post": "yes"}).status_code == 403, url
    assert client.get(f"/admin/actions/milestone/{milestone.pk}/change/").status_code == 200
    assert type(milestone).objects.filter(pk=milestone.pk).exists()
