"""Accessibility beyond axe (issue 13, item 7), in a real browser over every page of the portal
(`tests.pages`, with the demo chain): help texts and errors that `aria-describedby` names exist,
no page scrolls sideways at 320 px, an English page holds no untranslated Dutch, the focus ring
contrasts 3:1, focus follows an htmx swap, generated PDFs are tagged, and the API docs pass axe."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import expect

from tests.factories import make_user
from tests.pages import page_paths

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("seeded")]

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

UNRESOLVED_DESCRIBEDBY = """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(
  (element) => element.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)
    .filter((id) => !document.getElementById(id))
    .map((id) => `${element.tagName.toLowerCase()}#${element.id || '?'} → ${id}`))"""

WIDEST = """() => {
  const wide = [...document.querySelectorAll('body *')].filter((el) => {
    const box = el.getBoundingClientRect();
    return box.right > document.documentElement.clientWidth + 1 && box.width > 0;
  }).filter((el) => !el.closest('.table-wrap, .table-scroll, .board-map, .scroll, .visually-hidden'));
  return {width: document.documentElement.scrollWidth,
          culprits: wide.slice(0, 3).map((el) => el.tagName.toLowerCase() + '.' + el.className)};
}"""

# The contrast of the focus ring against what surrounds the element (WCAG 2.1, 1.4.11).
FOCUS_CONTRAST = """(selector) => {
  const element = document.querySelector(selector);
  element.focus();
  const parse = (c) => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  let node = element.parentElement, background = [255, 255, 255];
  while (node) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c.length < 4 || c[3] > 0) { background = c; break; }
    node = node.parentElement;
  }
  const style = getComputedStyle(element);
  const ring = parse(style.outlineColor);
  const [a, b] = [luminance(ring), luminance(background)].sort((x, y) => y - x);
  return {contrast: (a + 0.05) / (b + 0.05), width: parseFloat(style.outlineWidth),
          style: style.outlineStyle, focused: document.activeElement === element};
}"""


@pytest.fixture
def demo_chain(transactional_db):
    """The demo chain's structure, actions, boards and reports, a few uploads and a rebuild.
    (The demo's two years of figures take minutes against a live server's database.)"""
    from governance.accounts.services import save_portal_user
    from governance.demo import actions, boards, duiding, reports, structure
    from governance.models import Organisation, Role
    from tests.factories import make_figures

    regie, _created, _token = save_portal_user(
        username="regie", organisation=Organisation.objects.get(code="JENV"), role=Role.REGIE
    )
    structure.build()
    actions.build()
    boards.build(by=regie)
    reports.build(by=regie)
    duiding.build(by=regie)
    make_figures(
        "IND",
        "asylum_applications",
        {"2026-01": 53120, "2026-02": 4100},
        {"application_type": "first"},
    )
    make_figures("COA", "reception_occupancy", {"2026-01": 61000})
    call_command("rebuild_dashboards", stdout=None)


# Words of Dutch grammar that no English sentence holds: on an English page they are a template's
# text left untranslated. (Not "en", "van" or "voor" alone: organisation names hold them.)
DUTCH_WORDS = re.compile(r"\b(?:het|een|geen|niet|wordt|worden|zijn|deze|van de|naar de)\b", re.I)

# The text a person reads or hears in <main>; a fragment (the bell's count) has no <main>.
MAIN_TEXT = "() => (document.querySelector('main') ?? document.body).innerText"


def _dutch_data() -> list[str]:
    """The demo's own texts (decisions, actions, boards, notes, people's names) with a Dutch word
    in them: data, Dutch by nature, which an English page shows as it was entered, also as an
    object's name in English (a recommendation's history names it by its code and first 80
    characters). A text with an English twin (`title_en`, `label_en`) filled in is no such data:
    an English page shows the twin. Longest first, so that a text goes before one inside it."""
    from django.apps import apps
    from django.db import models

    texts: set[str] = set()
    with translation.override("en"):
        for model in apps.get_models():
            label = model._meta.app_label
            if label not in ("auth", "governance", "actions", "dashboards"):
                continue
            fields = [
                field.name
                for field in model._meta.concrete_fields
                if isinstance(field, (models.CharField, models.TextField))
            ]
            for row in model._default_manager.values(*fields) if fields else ():
                for field, value in row.items():
                    if not row.get(f"{field}_en"):  # a long text is shown by paragraph
                        texts.update(str(value or "").splitlines())
            if label in ("governance", "actions"):  # (the dashboards' many figures are no text)
                texts.update(str(row) for row in model._default_manager.all())
    texts = {" ".join(text.strip("#*- ").split()) for text in texts}
    return sorted((text for text in texts if DUTCH_WORDS.search(text)), key=len, reverse=True)


def _walk(page, live_server, user, problems: list[str], *, english: bool = False) -> None:
    """Every page as `user`: each `aria-describedby` resolves and nothing is wider than 320 px.
    In English the pages the user may not open (403, or a redirect elsewhere) are skipped, and
    each page must be English with no Dutch in its <main> but the demo's data."""
    paths = page_paths()
    dutch_data = _dutch_data() if english else []
    for name, path in paths:
        response = page.goto(live_server.url + path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if english and (response.status == 403 or response.request.redirected_from is not None):
            continue
        page.wait_for_load_state("load")
        where = f"{user.username} {name} {path}"
        for missing in page.evaluate(UNRESOLVED_DESCRIBEDBY):
            problems.append(f"{where}: aria-describedby {missing}")
        widest = page.evaluate(WIDEST)
        if widest["width"] > 320:
            problems.append(f"{where}: {widest['width']} px wide ({', '.join(widest['culprits'])})")
        if not english:
            continue
        if page.locator("main").count() and page.locator("html").get_attribute("lang") != "en":
            problems.append(f"{where}: not in English")
        text = " ".join(page.evaluate(MAIN_TEXT).split())
        for data in dutch_data:
            text = text.replace(data, " … ")
        if found := list(DUTCH_WORDS.finditer(text)):
            context = text[max(0, found[0].start() - 40) : found[0].end() + 40]
            problems.append(f"{where}: {len(found)} Dutch words in <main>, first in “{context}”")


def test_every_page_resolves_its_aria_describedby_and_fits_320_pixels(
    page, live_server, login, demo_chain
):
    """One walk over every page (each browser test flushes the database, which is slow), as regie
    and as a partner in Dutch, and as a viewer (a ministry official reading the dashboards) in
    English; the failure lists every page with what is wrong."""
    page.set_viewport_size({"width": 320, "height": 800})
    problems: list[str] = []
    for user in (
        make_user("regie", username="regie-a11y"),
        make_user("partner", "IND", username="ind-a11y"),
    ):
        login(user)
        _walk(page, live_server, user, problems)
    viewer = make_user("viewer", username="viewer-a11y-en")
    login(viewer)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    _walk(page, live_server, viewer, problems, english=True)
    assert not problems, "\n".join(problems)


def test_a_form_with_errors_describes_each_field_by_its_help_and_its_error(
    page, live_server, login
):
    login(make_user("regie", username="regie-a11y-errors"))
    page.goto(f"{live_server.url}/aanleveringen/nieuw/")
    page.get_by_role("button", name="Aanleveren").click()
    page.wait_for_load_state("load")
    assert page.evaluate(UNRESOLVED_DESCRIBEDBY) == []
    described = page.locator("[aria-describedby]")
    assert described.count() >= 1
    help_ids = page.evaluate(
        "() => [...document.querySelectorAll('[aria-describedby]')].map(e => e.getAttribute('aria-describedby'))"
    )
    assert any("_helptext" in ids for ids in help_ids)


def test_the_focus_ring_contrasts_three_to_one_on_the_page_and_in_the_header(
    page, live_server, login
):
    login(make_user("viewer", username="viewer-a11y-focus"))
    page.goto(f"{live_server.url}/uitvoering/")
    page.keyboard.press("Tab")  # keyboard modality, so that :focus-visible applies
    for selector in ("main a[href]", ".site-header a.brand", "main select"):
        ring = page.evaluate(FOCUS_CONTRAST, selector)
        assert ring["focused"], selector
        assert ring["style"] != "none" and ring["width"] >= 2, (selector, ring)
        assert ring["contrast"] >= 3, (selector, ring)


def test_the_old_yellow_ring_on_white_would_fail_the_contrast_check(page, live_server, login):
    """The check above measures: #ffb612 on white, the old ring, comes out at about 1.8:1."""
    login(make_user("viewer", username="viewer-a11y-yellow"))
    page.goto(f"{live_server.url}/uitvoering/")
    page.add_style_tag(content=":focus-visible, :focus { outline: 3px solid #ffb612 !important; }")
    page.keyboard.press("Tab")
    ring = page.evaluate(FOCUS_CONTRAST, "main a[href]")
    assert ring["contrast"] < 2


SETTLED_FOCUS_IN = """(selector) => {
  const active = document.activeElement;
  return !!active && active !== document.body && !!active.closest(selector);
}"""


def test_focus_lands_on_the_swapped_message_after_an_htmx_swap(page, live_server, login):
    from tests.factories import ActionFactory, MilestoneFactory, RecommendationFactory, org

    action = ActionFactory(owner=org("IND"), recommendations=[RecommendationFactory()])
    milestone = MilestoneFactory(action=action, title="Koppeling getest")
    login(make_user("partner", "IND", username="ind-a11y-swap"))
    page.goto(f"{live_server.url}/mijlpalen/{milestone.pk}/")
    page.evaluate("window.__samePage = true")
    page.get_by_role("button", name="Vastleggen").click()  # empty text: refused in place
    expect(page.locator("#progress")).to_contain_text("Geef een toelichting bij de voortgang.")
    # Focus moves once htmx has settled the swap (a moment after the text is in place).
    page.wait_for_function(SETTLED_FOCUS_IN, arg="#progress")
    focused = page.evaluate(
        "() => ({inside: !!document.activeElement.closest('#progress'),"
        " tag: document.activeElement.tagName, text: document.activeElement.textContent})"
    )
    assert focused["inside"] and focused["tag"] != "BODY", focused

    page.get_by_role("textbox", name="Toelichting", exact=True).fill("Koppeling werkt.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.locator("#progress")).to_contain_text("De voortgang is vastgelegd.")
    page.wait_for_function(SETTLED_FOCUS_IN, arg="#progress")
    active = page.evaluate(
        "() => ({inside: !!document.activeElement.closest('#progress'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert active["inside"], active
    assert re.search(r"vastgelegd|Voortgang", active["text"]), active
    assert page.evaluate("window.__samePage") is True


def test_focus_after_a_filter_submit_lands_on_the_results_heading(page, live_server, login):
    login(make_user("regie", username="regie-a11y-filter"))
    page.goto(f"{live_server.url}/besluiten/")
    page.evaluate("window.__samePage = true")
    page.locator("form[hx-get] button[type=submit]").first.click()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement !== document.body"
        " && !!document.activeElement.closest('#results')"
    )
    assert page.evaluate("window.__samePage") is True


def test_a_generated_report_pdf_is_tagged():
    assert shutil.which("pdfinfo"), "poppler-utils (scripts/system-packages.sh) gives pdfinfo"
    from governance.reports.files import render_pdf

    html = (
        '<!doctype html><html lang="nl"><head><title>Voortgangsrapportage</title></head>'
        "<body><h1>Voortgangsrapportage</h1><p>Stand van zaken.</p>"
        "<table><tr><th>Mijlpaal</th><td>Gereed</td></tr></table></body></html>"
    )
    pdf = render_pdf(html)
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert re.search(r"^Tagged:\s+yes", info, re.M), info


def test_the_api_docs_pass_axe(page, live_server, login, assert_accessible):
    login(make_user("viewer", "JENV", username="viewer-a11y-docs"))
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_role("heading", name="Ketenportaal API")).to_be_visible(timeout=15_000)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_timeout(500)
    assert_accessible(page)
