"""The notification pages: the bell's count, the list, marking read, the preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import MailPreference, Notification, NotificationKind
from governance.notifications import services

pytestmark = pytest.mark.django_db


def notify(user, key: str, title: str = "Nulmeting uitgevoerd") -> Notification:
    return Notification.objects.create(
        user=user,
        kind=NotificationKind.MILESTONE_OVERDUE,
        key=key,
        url="/mijlpalen/1/",
        params={
            "milestone": title,
            "action": "Doorlooptijden meten",
            "owner": "IND",
            "recommendations": ["R-2.1"],
            "due_date": "2026-11-20",
        },
    )


def test_the_bell_counts_the_users_own_unread_notifications(client, ind_partner, coa_partner):
    notify(ind_partner, "a")
    notify(ind_partner, "b").__class__.objects.filter(key="b").update(read_at="2026-11-30T10:00Z")
    notify(ind_partner, "c")
    notify(coa_partner, "d")
    client.force_login(ind_partner)

    html = client.get(reverse("notifications:bell"), headers={"HX-Request": "true"}).content
    assert b'<span class="pill">2<span class="visually-hidden"> ongelezen' in html


def test_every_page_has_the_bell_link_which_works_without_javascript(client, ind_partner):
    client.force_login(ind_partner)
    html = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notifications:bell")}"' in html
    assert f'href="{reverse("notifications:list")}"' in html


def test_the_list_shows_the_text_with_context_and_marks_one_read(client, ind_partner, coa_partner):
    mine = notify(ind_partner, "a")
    theirs = notify(coa_partner, "b", title="Van COA")
    client.force_login(ind_partner)

    html = client.get(reverse("notifications:list")).content.decode()
    assert "Nulmeting uitgevoerd" in html and "Doorlooptijden meten" in html and "R-2.1" in html
    assert "Van COA" not in html

    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:mark-read", args=[mine.pk]))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_mark_all_read_answers_htmx_with_the_list(client, ind_partner):
    notify(ind_partner, "a")
    notify(ind_partner, "b")
    client.force_login(ind_partner)

    response = client.post(reverse("notifications:mark-all-read"), headers={"HX-Request": "true"})

    assert "0 ongelezen meldingen." in response.content.decode()
    assert "<html" not in response.content.decode()
    assert not Notification.objects.unread().exists()


def test_the_list_is_in_english_for_an_english_reader(client, ind_partner):
    notify(ind_partner, "a")
    client.force_login(ind_partner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Milestone “Nulmeting uitgevoerd” is overdue" in html
    assert "Action: Doorlooptijden meten (IND)" in html


def test_preferences_are_saved_on_the_page(client, ind_partner):
    client.force_login(ind_partner)
    assert "Meldingsvoorkeuren" in client.get(reverse("account")).content.decode()

    response = client.post(
        reverse("notifications:preferences"), {"mail": MailPreference.DIGEST, "language": "en"}
    )

    assert response.status_code == 302
    preference = services.preference_of(ind_partner)
    assert (preference.mail, preference.language) == ("digest", "en")


def test_bad_preferences_get_a_clear_message_and_change_nothing(client, ind_partner):
    client.force_login(ind_partner)
    response = client.post(
        reverse("notifications:preferences"), {"mail": "hourly", "language": "en"}
    )
    assert response.status_code == 422
    assert "geldige keuze" in response.content.decode()
    assert services.preference_of(ind_partner).pk is None


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_runs_a_fixed_number_of_queries(
    client, ind_partner, count, django_assert_max_num_queries
):
    for n in range(count):
        notify(ind_partner, f"k{n}")
    client.force_login(ind_partner)
    client.get(reverse("notifications:list"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:list")).status_code == 200


def test_before_the_second_factor_the_menu_does_not_load_the_bell(client, regie):
    """The bell's request would be sent to the verify page and swap that page into the menu."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from tests.factories import verified_device

    verified_device(regie)
    session = client.session
    session[SESSION_KEY] = str(regie.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = regie.get_session_auth_hash()
    session.save()  # logged in with the password only

    page = client.get(reverse("home"), follow=True)

    assert page.redirect_chain and reverse("mfa-verify") in page.redirect_chain[-1][0]
    html = page.content.decode()
    assert f'href="{reverse("notifications:list")}"' in html
    assert f'hx-get="{reverse("notifications:bell")}"' not in html
