"""Helpers for upload tests: files in the contract's format, submitted through the services."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile

from dashboards import services
from dashboards.models import Upload
from governance.models import Organisation


def csv_file(text: str, name: str = "cijfers.csv", encoding: str = "utf-8") -> ContentFile:
    return ContentFile(text.encode(encoding), name=name)


def submit(
    user,
    text: str,
    *,
    organisation: str | None = None,
    name: str = "cijfers.csv",
    validate: bool = True,
) -> Upload:
    """Submit a CSV through the service and (in-process) validate it."""
    org = Organisation.objects.get(code=organisation or user.membership.organisation.code)
    upload = services.submit_upload(organisation=org, by=user, file=csv_file(text, name))
    if validate:
        services.validate_upload(upload_id=upload.pk)
    upload.refresh_from_db()
    return upload


IND_Q1 = """indicator,period,value,application_type
asylum_applications,2024-01,100,first
asylum_applications,2024-02,110,first
asylum_applications,2024-03,120,first
asylum_pending,2024-03,5000,
"""


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture(autouse=True)
def _empty_dashboard_cache():
    """Rendered dashboards are cached per build; every test starts without them."""
    cache.clear()
    yield
    cache.clear()
