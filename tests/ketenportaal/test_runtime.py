"""A server's and a worker's processes take what they loaded at start-up out of the garbage
collector's walks (`ketenportaal.runtime.settle`), so a full collection is no pause of a tenth
of a second in a request or a rebuild."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

REPORT = """
import gc, sys
{load}
frozen = gc.get_freeze_count()
gc.collect()
print(frozen, len(gc.get_objects()), int("dashboards.pages.chain" in sys.modules))
"""


def report(load: str) -> tuple[int, int, bool]:
    """(objects frozen, objects the collector still walks, whether the views were loaded) in a
    fresh process after `load`."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ketenportaal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", REPORT.format(load=load)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    frozen, walked, views = result.stdout.split()[-3:]
    return int(frozen), int(walked), views == "1"


def test_a_web_server_process_loads_its_views_and_freezes_them():
    frozen, walked, views = report("import ketenportaal.wsgi")
    assert views  # the URLconf, and with it every view, was loaded before freezing
    assert frozen > 100_000  # Django, the apps, their libraries
    assert walked < frozen / 10


def test_the_asgi_application_does_the_same():
    frozen, walked, views = report("import ketenportaal.asgi")
    assert views and frozen > 100_000 and walked < frozen / 10


def test_a_worker_process_freezes_what_it_loaded_once_it_starts():
    loaded = "import django; django.setup(); from ketenportaal.celery import app"
    before, _walked, _views = report(loaded)
    assert before < 1_000  # loading alone freezes nothing (the interpreter's own few hundred)
    after, walked, _views = report(
        f"{loaded}\nfrom celery import signals\nsignals.worker_process_init.send(sender=None)"
    )
    assert after > 100_000 and walked < after / 10
