"""Themes' and perspectives' texts maintained in the portal (issue 13, item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from governance.models import ActionPerspective, Role, Theme
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_regie_sees_the_maintenance_page_with_every_theme_and_perspective(regie_client):
    page = regie_client.get(reverse("governance:maintenance"))
    assert page.status_code == 200
    html = page.content.decode()
    for number in range(1, 10):
        assert reverse("governance:perspective-edit", args=[number]) in html
    assert reverse("users") not in html  # users are the functional administrator's


def test_the_functional_administrator_sees_the_way_to_the_users(client):
    client.force_login(make_user(Role.ADMIN, "JENV", username="beheerder"))
    assert reverse("users") in client.get(reverse("governance:maintenance")).content.decode()


def test_regie_changes_a_themes_texts(regie_client):
    theme = Theme.objects.get(number=1)
    data = {"title": "Nieuwe titel", "title_en": "New title", "aim": "Een helder doel."}
    response = regie_client.post(reverse("governance:theme-edit", args=[1]), data)
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.title, theme.title_en, theme.aim) == (
        "Nieuwe titel",
        "New title",
        "Een helder doel.",
    )
    assert theme.history.latest().title == "Nieuwe titel"  # the change is in its history


def test_a_perspective_changes_its_themes_but_needs_at_least_one(regie_client):
    url = reverse("governance:perspective-edit", args=[3])
    perspective = ActionPerspective.objects.get(number=3)
    themes = [t.pk for t in Theme.objects.filter(number__in=[1, 2])]
    data = {"title": perspective.title, "title_en": "HP three", "themes": themes}
    assert regie_client.post(url, data).status_code == 302
    perspective.refresh_from_db()
    assert sorted(perspective.themes.values_list("number", flat=True)) == [1, 2]
    response = regie_client.post(url, {"title": perspective.title, "themes": []})
    assert response.status_code == 422
    assert "hoort bij een thema" in response.content.decode()
    assert perspective.themes.count() == 2


@pytest.mark.parametrize("who", ["ind_partner", "viewer"])
def test_partners_and_viewers_cannot_change_the_structure(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("governance:maintenance")).status_code == 403
    data = {"title": "Gekaapt", "aim": ""}
    assert client.post(reverse("governance:theme-edit", args=[1]), data).status_code == 403
    assert Theme.objects.get(number=1).title != "Gekaapt"
