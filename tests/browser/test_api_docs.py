import pytest
from playwright.sync_api import expect

from tests.factories import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_swagger_ui_renders_the_schema_under_the_strict_csp(live_server, page, login):
    login(make_user("viewer", "JENV", username="viewer-docs"))
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else problems.append(request.url)
        ),
    )
    response = page.goto(f"{live_server.url}/api/docs/")
    policy = response.headers["content-security-policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    expect(page.get_by_role("heading", name="Ketenportaal API")).to_be_visible(timeout=15_000)
    expect(page.get_by_text("/api/v1/milestones/", exact=True).first).to_be_visible()
    assert problems == []
