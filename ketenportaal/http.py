"""The signed-in user of a request, typed as the `User` the services need.

`login_required` (pages) and `IsAuthenticated` (every API view's default permission) guarantee a
signed-in user, but Django's and DRF's request types say `User | AnonymousUser`.
- A page behind `login_required` annotates its request as `AuthenticatedHttpRequest`. It is a
  type for annotations only: no request is ever an instance of it.
- An API view takes `signed_in_user(request)`: DRF fixes the request type of the handlers it
  defines (`create`, …), so the user is narrowed where it is used instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from rest_framework.request import Request


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a `login_required` page."""

    user: User


def signed_in_user(request: Request) -> User:
    """The user of an API request past `IsAuthenticated`; an anonymous one is answered 401."""
    user = request.user
    if not user.is_authenticated:
        raise NotAuthenticated
    return user
