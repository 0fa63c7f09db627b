"""The write paths for users and their place in the chain. Views, admin and commands call these."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from knox.models import AuthToken

from governance.models import Membership, Organisation, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def save_portal_user(
    *,
    username: str,
    organisation: Organisation,
    role: str,
    password: str | None = None,
    email: str = "",
    with_token: bool = False,
) -> tuple[User, bool, str | None]:
    """Create or update a user with one membership. `admin` users get Django admin access.

    Returns (user, created, token): token is a new API token's key (stored hashed) when asked.
    """
    user, created = get_user_model().objects.get_or_create(username=username)
    if email:
        user.email = email
    if password:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.save()
    Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role}
    )
    token = None
    if with_token:
        _instance, token = AuthToken.objects.create(user=user)
    return user, created, token
