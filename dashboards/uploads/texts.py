"""Messages of an upload's findings that are rendered in the reader's language, not the
uploader's (issue 13, one language at a time): `text(gettext_lazy(…), **params)` is a lazy str
that formats its template in whatever language is active when it is read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _render(template, params: dict) -> str:
    return str(template) % params if params else str(template)


_lazy_render = lazy(_render, str)


def text(template: StrOrPromise, **params) -> str:
    """`template % params`, rendered in the language active when it is read (a lazy str)."""
    return _lazy_render(template, params)
