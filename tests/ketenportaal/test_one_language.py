"""One language at a time (issue 13, item 6): every page, for every role, in Dutch and in English,
holds no text of the other language that the catalogue knows, and no code where a label belongs.

The catalogue is the reference: `locale/en/LC_MESSAGES/django.po` (Dutch msgid → English msgstr)
and Django's own Dutch catalogue (English msgid → Dutch msgstr). A Dutch page fails on a piece of
text that is an English msgstr or one of Django's English originals ("This field is required.",
"- Select an option -"); an English page fails on a Dutch msgid that has a translation, or on one
of Django's Dutch translations. Both fail on a dimension value, unit or issue code shown as text.
Forms are posted empty too, so that their validation messages are checked as well.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from dashboards.catalogue.labels import UNIT_LABELS, VALUE_LABELS
from governance.models import Role
from tests.factories import make_user
from tests.pages import page_paths, visible_texts

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfi]|%[sdfi]|\{\w*\}")
DJANGO_CATALOGUES = ["conf", "contrib/auth", "contrib/admin", "contrib/humanize"]
# Text that reads the same in both languages, or is a name, and so proves nothing.
NEUTRAL = {"IND", "COA", "KMar", "RAG", "API", "CSV", "XLSX", "PDF", "HTML", "OK", "Status"}
# Codes that double as ordinary words of one of the languages (a label may equal them).
CODE_WORDS = {"ind", "other", "low", "high", "expected", "police", "days", "persons"}


def parse_po(path: Path) -> list[tuple[str, list[str]]]:
    """(msgid, [msgstr, …]) of a .po file; plural forms give several msgstrs."""
    entries: list[tuple[str, list[str]]] = []
    msgid: list[str] = []
    msgstrs: list[list[str]] = []
    current: list[str] | None = None

    def flush() -> None:
        if msgid:
            entries.append(("".join(msgid), ["".join(s) for s in msgstrs]))

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#") or not line:
            continue
        if line.startswith("msgid "):
            flush()
            msgid, msgstrs = [], []
            current = msgid
            line = line[len("msgid ") :]
        elif line.startswith("msgid_plural "):
            current = []  # the plural original is not shown separately
            line = line[len("msgid_plural ") :]
        elif line.startswith("msgstr"):
            current = []
            msgstrs.append(current)
            line = line.split(" ", 1)[1]
        elif line.startswith("msgctxt"):
            flush()
            msgid, msgstrs, current = [], [], None
            continue
        if current is not None and line.startswith('"'):
            current.append(line[1:-1].encode().decode("unicode_escape").encode("latin-1").decode())
    flush()
    return [(i, s) for i, s in entries if i]


def _matcher(texts: set[str]) -> tuple[set[str], re.Pattern | None]:
    """Exact texts, and one regex for the texts with placeholders (whose fixed part says enough)."""
    exact: set[str] = set()
    patterns: list[str] = []
    for text in texts:
        text = " ".join(text.split())
        if PLACEHOLDER.search(text):
            fixed = PLACEHOLDER.sub("", text)
            if len(re.findall(r"[^\W\d_]{4,}", fixed)) >= 1:
                parts = [re.escape(p) for p in PLACEHOLDER.split(text)]
                patterns.append(r"(?:" + r".+?".join(parts) + r")")
        elif text and text not in NEUTRAL:
            exact.add(text)
    regex = re.compile(r"^(?:" + "|".join(patterns) + r")$") if patterns else None
    return exact, regex


@dataclass
class Languages:
    english_only: tuple[set[str], re.Pattern | None]
    dutch_only: tuple[set[str], re.Pattern | None]
    codes: set[str]
    codes_in_english: set[str]

    @staticmethod
    def django_originals() -> set[str]:
        """Django's own (English) msgids: they need no English catalogue."""
        originals: set[str] = set()
        django_root = Path(django.__file__).parent
        for part in DJANGO_CATALOGUES:
            with (django_root / part / "locale/nl/LC_MESSAGES/django.mo").open("rb") as handle:
                catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            originals.update(
                (key[0] if isinstance(key, tuple) else key).split("\x04")[-1] for key in catalogue
            )
        originals.update(
            english for english, _ in parse_po(ROOT / "locale/nl/LC_MESSAGES/django.po")
        )
        return originals

    @classmethod
    def from_catalogues(cls) -> Languages:
        dutch_msgids: set[str] = set()
        english_msgstrs: set[str] = set()
        for msgid, msgstrs in parse_po(ROOT / "locale/en/LC_MESSAGES/django.po"):
            translated = [s for s in msgstrs if s and s != msgid]
            if translated:
                dutch_msgids.add(msgid)
                english_msgstrs.update(translated)
        django_root = Path(django.__file__).parent
        for part in DJANGO_CATALOGUES:
            mo = django_root / part / "locale/nl/LC_MESSAGES/django.mo"
            with mo.open("rb") as handle:
                catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
            for key, dutch in catalogue.items():
                english = key[0] if isinstance(key, tuple) else key
                if english and dutch and english != dutch and "\x04" not in english:
                    english_msgstrs.add(english)
                    dutch_msgids.add(dutch)
        # The portal's Dutch additions to Django's catalogue (English msgid → Dutch msgstr).
        for english, dutch in parse_po(ROOT / "locale/nl/LC_MESSAGES/django.po"):
            if dutch and dutch[0] and dutch[0] != english:
                english_msgstrs.add(english)
                dutch_msgids.add(dutch[0])
        overlap = english_msgstrs & dutch_msgids  # words both languages share ("Status", "Plan")
        codes = (set(VALUE_LABELS) | set(UNIT_LABELS)) - CODE_WORDS
        # A code whose English label is the same word ("applications") is no code on an
        # English page; on a Dutch one it is.
        with translation.override("en"):
            same_in_english = {
                code
                for code, label in {**VALUE_LABELS, **UNIT_LABELS}.items()
                if str(label).lower() == code
            }
        return cls(
            english_only=_matcher(english_msgstrs - overlap),
            dutch_only=_matcher(dutch_msgids - overlap),
            codes=codes | set(issue_codes()),
            codes_in_english=(codes - same_in_english) | set(issue_codes()),
        )

    def foreign(self, text: str, language: str) -> bool:
        exact, regex = self.english_only if language == "nl" else self.dutch_only
        bare = text.strip(" :·()*,.–—")
        return (
            text in exact
            or bare in exact
            or bare in (self.codes if language == "nl" else self.codes_in_english)
            or bool(regex and (regex.match(text) or regex.match(bare)))
        )


def issue_codes() -> list[str]:
    """The validation's issue codes, as listed in its module docstring."""
    from dashboards.uploads import validation

    listed = (validation.__doc__ or "").split("Error codes:")[1]
    return re.findall(r"\b[a-z]+(?:_[a-z]+)+\b", listed)


@pytest.fixture
def demo_chain(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=None)
    call_command("rebuild_dashboards", stdout=None)


# What people named and wrote is data, not interface text: the names of boards and organisations
# (proper names), titles of milestones and actions, subjects of agenda items.
STORED_TEXT_FIELDS = [
    ("governance.Board", "name"),
    ("governance.Organisation", "name"),
    ("governance.AgendaItem", "title"),
    ("governance.BoardMember", "represented_by"),
    ("actions.Milestone", "title"),
    ("actions.Action", "title"),
]


def stored_texts() -> set[str]:
    from django.apps import apps

    texts: set[str] = set()
    for model_path, field in STORED_TEXT_FIELDS:
        model = apps.get_model(*model_path.split("."))
        texts.update(" ".join(t.split()) for t in model.objects.values_list(field, flat=True))
        texts.update(" ".join(str(obj).split()) for obj in model.objects.all())
    return texts


@pytest.fixture
def history_reasons() -> set[str]:
    """Reasons stored with history records: data (the history shows a known one translated)."""
    return set()


@pytest.fixture
def untranslated(monkeypatch, history_reasons) -> set[str]:
    """The portal's (Dutch) messages looked up while English is active that the English catalogue
    does not translate: the ones a text comparison cannot see, because no msgstr exists."""
    from django.utils.translation.trans_real import DjangoTranslation

    django_originals = Languages.django_originals()
    # A text translated already and passed through gettext again (a language's name) is English.
    english = {
        s for _, msgstrs in parse_po(ROOT / "locale/en/LC_MESSAGES/django.po") for s in msgstrs
    }
    reasons = history_reasons
    missed: set[str] = set()
    original_gettext = DjangoTranslation.gettext
    original_ngettext = DjangoTranslation.ngettext

    def note(translation, message: str, known: bool) -> None:
        if known or not translation.language().startswith("en"):
            return
        bare = message.split("\x04")[-1]
        if bare in django_originals or bare in reasons or bare in english:
            return
        if re.search(r"[^\W\d_]{3,}", bare):
            missed.add(bare)

    def gettext(self, message):
        note(self, message, message in self._catalog)
        return original_gettext(self, message)

    def ngettext(self, singular, plural, number):
        try:
            self._catalog.plural(singular, number)
            known = True
        except KeyError:
            known = False
        note(self, singular if singular not in django_originals else "", known)
        return original_ngettext(self, singular, plural, number)

    monkeypatch.setattr(DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(DjangoTranslation, "ngettext", ngettext)
    return missed


def stored_reasons() -> set[str]:
    from simple_history.models import registered_models

    reasons: set[str] = set()
    for model in registered_models.values():
        manager = getattr(model, "history", None)
        if manager is None:  # a many-to-many through model
            continue
        history = manager.model
        reasons.update(
            history.objects.exclude(history_change_reason=None).values_list(
                "history_change_reason", flat=True
            )
        )
    return reasons


def users_per_role():
    return {
        "regie": make_user(Role.REGIE, "JENV", username="lang-regie"),
        "partner": make_user(Role.PARTNER, "IND", username="lang-ind"),
        "viewer": make_user(Role.VIEWER, "JENV", username="lang-viewer"),
        "admin": make_user(Role.ADMIN, "JENV", username="lang-admin"),
        "anonymous": None,
    }


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    """The requests leave the last language active in this thread: restore the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def render(client, path: str, language: str, data: dict | None = None):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if data is None:
        return client.get(path)
    return client.post(path, data)


def test_every_page_of_every_role_speaks_one_language(
    client, demo_chain, untranslated, history_reasons
):
    languages = Languages.from_catalogues()
    paths = page_paths()
    problems: dict[tuple[str, str, str], set[str]] = {}
    rendered = 0
    statuses: dict[int, int] = {}
    stored = stored_texts()
    history_reasons.update(stored_reasons())
    for role, user in users_per_role().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for language in ("nl", "en"):
            forms: list[str] = []
            for name, path in paths:
                response = render(client, path, language)
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                html = response.content.decode()
                rendered += 1
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                if 'method="post"' in html and response.status_code == 200 and user:
                    forms.append(path)
                for text in visible_texts(html, language):
                    if text not in stored and languages.foreign(text, language):
                        problems.setdefault((language, role, f"{name} {path}"), set()).add(text)
            for path in forms:
                response = render(client, path, language, data={})
                if "text/html" not in response.get("Content-Type", ""):
                    continue
                for text in visible_texts(response.content.decode(), language):
                    if text not in stored and languages.foreign(text, language):
                        problems.setdefault((language, role, f"POST {path}"), set()).add(text)
    # Most pages render for real (200), not as a refusal, for the roles together.
    assert statuses.get(200, 0) > 2 * len(paths), statuses
    report = "\n".join(
        f"[{language}, {role}] {page}: {' | '.join(sorted(texts))}"
        for (language, role, page), texts in sorted(problems.items())
    )
    assert not problems, f"text in the other language, or codes shown as text:\n{report}"
    assert not untranslated, "messages without an English translation in locale/en:\n" + "\n".join(
        sorted(untranslated)
    )


def test_the_check_finds_an_english_message_in_a_dutch_page():
    languages = Languages.from_catalogues()
    assert languages.foreign("This field is required.", "nl")
    assert languages.foreign("- Select an option -", "nl")
    assert languages.foreign("not_a_number", "nl")
    assert not languages.foreign("Dit veld is verplicht.", "nl")


def test_the_check_finds_a_dutch_message_in_an_english_page():
    languages = Languages.from_catalogues()
    assert languages.foreign("Dit veld is verplicht.", "en")
    assert languages.foreign("Uitloggen", "en")
    assert not languages.foreign("Log out", "en")
