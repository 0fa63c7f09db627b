import re
from pathlib import Path

import pytest
from knox.models import AuthToken
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_partner_makes_sees_and_revokes_a_token(live_server, page, login, assert_accessible):
    partner = make_user("partner", "IND", username="ind-browser")
    login(partner)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="API-tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-tokens")
    expect(page.get_by_text("U heeft geen geldige API-tokens.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Nieuw token maken").click()
    key = page.get_by_role("textbox", name="Token").input_value()
    assert len(key) > 20
    assert AuthToken.objects.filter(user=partner, token_key=key[:15]).exists()
    assert_accessible(page)

    # The API accepts it.
    answer = page.request.get(
        f"{live_server.url}/api/v1/themes/", headers={"Authorization": f"Token {key}"}
    )
    assert answer.status == 200

    page.goto(f"{live_server.url}/accounts/api-tokens/")
    expect(page.get_by_role("textbox", name="Token")).to_have_count(0)  # shown once only
    page.get_by_role("button", name=re.compile("^Intrekken")).click()
    expect(page.get_by_text("Het token is ingetrokken")).to_be_visible()
    assert not AuthToken.objects.exists()
    answer = page.request.get(
        f"{live_server.url}/api/v1/themes/", headers={"Authorization": f"Token {key}"}
    )
    assert answer.status == 401


def test_milestone_list_downloads_with_its_filters(live_server, page, login, assert_accessible):
    from tests.factories import MilestoneFactory

    MilestoneFactory(title="Gereed", status="done")
    MilestoneFactory(title="Gepland", status="planned")
    login(make_user("viewer", "JENV", username="viewer-dl"))
    page.goto(f"{live_server.url}/uitvoering/?status=done")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^CSV")).click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8-sig")
    assert "Gereed" in text
    assert "Gepland" not in text.split("\n", 1)[1]
