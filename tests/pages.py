"""Every page of the portal, found from the URL conf: the paths to open for each URL pattern, with
arguments taken from the seeded data (the demo chain), and the visible text of a rendered page.

The language test (`tests/ketenportaal/test_one_language.py`) and the browser tests at 320 px
and of `aria-describedby` (`tests/browser/test_accessibility.py`) open every page this module
lists. A new URL pattern with arguments needs a line in `SAMPLES` (or a reason in `NOT_PAGES`):
`page_paths` fails on one it does not know, so no page escapes the checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from html.parser import HTMLParser

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# URL names (with namespace) that are not pages a person reads: actions, files, machine endpoints.
NOT_PAGES = {
    "livez": "health probe",
    "readyz": "health probe",
    "logout": "POST only",
    "logout-everywhere": "POST only",
    "set_language": "POST only",
    "javascript-catalog": "JavaScript",
    "api-schema": "OpenAPI YAML",
    "oidc_authentication_callback": "SSO redirect",
    "oidc_authentication_init": "SSO redirect",
    "oidc_logout": "SSO redirect",
    "password_reset_confirm": "needs a mailed token",
    "reports:download": "a file (HTML/PDF/XLSX), checked in the reports' tests",
    "dashboards:upload-report": "CSV file",
    "dashboards:upload-file": "the original file",
    "dashboards:template": "CSV/XLSX template file",
    "dashboards:upload-approve": "POST only",
    "dashboards:upload-reject": "POST only",
    "governance:signals-compute": "POST only",
    "governance:decision-close-signal": "POST only",
    "governance:signal-to-agenda": "POST only",
    "governance:decision-status": "POST only",
    "reports:generate": "POST only",
    "governance:member-remove": "POST only",
    "governance:relation-remove": "POST only",
    "notifications:mark-read": "POST only",
    "notifications:mark-all-read": "POST only",
    "calendar-feed-manage": "POST only",
    "packs:generate": "POST only",
    "packs:download": "a file (HTML/PDF), checked in the packs' tests",
    "dashboards:quarantine-file": "the quarantined file",
    "dashboards:annotation-withdraw": "POST only",
    "calendar-feed": "a text/calendar file behind a secret token, checked in the feeds' tests",
}


def _first(model_path: str, field: str = "pk", **filters) -> Callable[[], list[dict]]:
    def sample() -> list[dict]:
        from django.apps import apps

        app_label, model_name = model_path.split(".")
        model = apps.get_model(app_label, model_name)
        value = model.objects.filter(**filters).order_by("pk").values_list(field, flat=True).first()
        assert value is not None, f"the seeded data holds no {model_path} {filters}"
        return [{("pk" if field == "pk" else field): value}]

    return sample


def _pair(model_path: str, code_field: str) -> list[dict]:
    """A row that lives under its board: the board's code and the row's pk."""
    from django.apps import apps

    model = apps.get_model(*model_path.split("."))
    row = model.objects.order_by("pk").values(code_field, "pk").first()
    assert row is not None, f"the seeded data holds no {model_path}"
    return [{"code": row[code_field], "pk": row["pk"]}]


def _uploads() -> list[dict]:
    """An upload of each status: the issues, the diff of an approved one, a rejection."""
    from dashboards.models import Upload

    chosen = {}
    for upload_id, status in Upload.objects.order_by("pk").values_list("pk", "status"):
        chosen.setdefault(status, upload_id)
    return [{"pk": pk} for pk in chosen.values()]


def _release() -> list[dict]:
    """A release: the demo holds none (one freezes built figures, and the demo is built after
    it is loaded), so the walk freezes the figures as regie would."""
    from dashboards.models import Release
    from dashboards.releases.services import create_release
    from governance.models import Membership, Role

    release = Release.objects.order_by("pk").first()
    if release is None:
        regie = Membership.objects.filter(role=Role.REGIE).select_related("user").first()
        assert regie is not None, "the seeded data holds no regie user"
        release = create_release(name="Kwartaal (taaltest)", by=regie.user)
    return [{"pk": release.pk}]


# URL name → the argument sets to open it with (each a dict of kwargs).
SAMPLES: dict[str, Callable[[], list[dict]]] = {
    "governance:board": _first("governance.Board", "code"),
    "governance:meeting": _first("governance.Meeting"),
    "governance:meeting-edit": _first("governance.Meeting"),
    "governance:agenda-item-new": _first("governance.Meeting"),
    "governance:decision": _first("governance.Decision", "number"),
    "governance:decision-edit": _first("governance.Decision", "number"),
    "governance:decision-follow-up": _first("governance.Decision", "number"),
    "governance:assessment-new": _first("governance.Decision", "number"),
    "governance:assessment-edit": _first("governance.ImpactAssessment"),
    "governance:partner-impact-new": _first("governance.ImpactAssessment"),
    "governance:signal": _first("governance.Signal"),
    "governance:assignment-edit": _first("governance.Assignment"),
    "governance:target-edit": _first("governance.Target"),
    "reports:moment": _first("governance.ReportingMoment"),
    "actions:milestone": _first("actions.Milestone"),
    "actions:milestone-progress": _first("actions.Milestone"),
    "actions:milestone-edit": _first("actions.Milestone"),
    "actions:action": _first("actions.Action"),
    "actions:action-edit": _first("actions.Action"),
    "actions:recommendation": _first("governance.Recommendation"),
    "actions:recommendation-edit": _first("governance.Recommendation"),
    "dashboards:upload": _uploads,
    "dashboards:rebuild": _first("dashboards.Rebuild"),
    "governance:board-manage": _first("governance.Board", "code"),
    "governance:board-edit": _first("governance.Board", "code"),
    "governance:member-new": _first("governance.Board", "code"),
    "governance:member-edit": lambda: _pair("governance.BoardMember", "board__code"),
    "governance:relation-new": _first("governance.Board", "code"),
    "governance:relation-edit": lambda: _pair("governance.BoardRelation", "source__code"),
    "governance:theme-edit": _first("governance.Theme", "number"),
    "governance:perspective-edit": _first("governance.ActionPerspective", "number"),
    "packs:meeting": _first("governance.Meeting"),
    "actions:milestone-replan": _first("actions.Milestone"),
    "dashboards:annotation": _first("dashboards.Annotation"),
    "dashboards:release": _release,
    "dashboards:consistency-edit": _first("dashboards.ConsistencyRule"),
    "dashboards:indicator-edit": _first("dashboards.Indicator", "code"),
    "user-edit": _first("auth.User"),
}


def _patterns(
    patterns, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern), entry


def page_paths() -> list[tuple[str, str]]:
    """(URL name, path) of every page outside the Django admin and the JSON API."""
    paths: list[tuple[str, str]] = []
    unknown: list[str] = []
    for name, route, _pattern in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/v1/")) or name in NOT_PAGES:
            continue
        if "<" in route:
            sample = SAMPLES.get(name)
            if sample is None:
                unknown.append(name)
                continue
            paths.extend((name, reverse(name, kwargs=kwargs)) for kwargs in sample())
        else:
            paths.append((name, reverse(name)))
    assert not unknown, (
        "URL patterns without sample arguments in tests/pages.py (add them to SAMPLES, "
        f"or to NOT_PAGES with a reason): {', '.join(unknown)}"
    )
    return paths


class _TextCollector(HTMLParser):
    """The text a person reads or hears: text nodes and the attributes screen readers announce,
    leaving out scripts, styles and parts in another language (`lang="en"` in a Dutch page)."""

    SPOKEN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden from the check)
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        # <code> quotes the partner's file or a machine name (a column header, an indicator code)
        hidden = self._hidden() or tag in ("script", "style", "template", "code")
        lang = attributes.get("lang")
        if lang and not lang.startswith(self.language) and tag != "html":
            hidden = True
        if not hidden:
            for name in self.SPOKEN_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(attributes[name])
            if tag == "input" and attributes.get("type") in ("submit", "button", "reset"):
                self.texts.append(attributes.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._hidden():
            self.texts.append(data)


def visible_texts(html: str, language: str) -> list[str]:
    """The page's text pieces, each with its whitespace collapsed; empty pieces left out."""
    collector = _TextCollector(language)
    collector.feed(html)
    collector.close()
    return [text for text in (" ".join(t.split()) for t in collector.texts) if text]
