"""The settings mypy loads (pyproject.toml, `[tool.django-stubs]`), so `mypy .` needs no env.

django-stubs imports the settings to learn the installed apps and the settings' types; the real
settings refuse to load without SECRET_KEY, unless DEBUG is on. The type checker serves nothing,
so it loads them as `make demo` does. Never point DJANGO_SETTINGS_MODULE here.
"""

import os

os.environ.setdefault("DEBUG", "1")

from ketenportaal.settings import *  # noqa: F403
