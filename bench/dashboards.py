"""Benchmarks of the dashboard rebuild and the Ketenbeeld page (issue 4).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kp_bench .venv/bin/python bench/dashboards.py

(a) BENCH_CELLS (default 10,000,000) current observations, generated with generate_series
    straight into Observation and CurrentCell, in a skewed catalogue: asylum_applications has
    three dimensions of 4 × 150 × 3 values (type, nationality, route) and holds half the cells,
    99 indicators with one dimension of 10 values the other half. A full rebuild (subtotals of
    every subset of dimensions included) against the bare limit: one INSERT … SELECT … GROUP BY
    producing the quarterly figures of the exact cells, in the same run, alternated BENCH_REPEAT
    (3) times. Goal ≤ 2x.
(b) one approved upload of BENCH_UPLOAD_ROWS (10,000) rows of a small indicator, then the
    rebuild of that indicator whole, against the full rebuild. Goal < 5 %.
(d) corrections of the skewed indicator after an approval (the patch of the series-years they
    touch): one cell, and 10,000 cells, against the full rebuild. Goals ≤ 1 % and ≤ 3 %.
(e) the signals after the one-cell correction (its indicator only) and after a full rebuild
    (everything), against the full rebuild. Goals ≤ 1 % and ≤ 5 %.
(f) releases (bench/release_storage.py): the bytes a release costs when nothing changed since
    the previous one, and after a one-cell correction; the full rebuild that moves a release
    onto its rows, against the full rebuild without releases. Goal: a few kilobytes, not a copy.
(g) the chain consistency checks (every active rule, every complete quarter) against the full
    rebuild. Goal: within 10 %.
(h) what small-number suppression hides, worked out by the task after a rebuild (every year of
    every indicator it applies to) and after the one-cell correction (the year it touched),
    against the full rebuild: work for the worker, not for a reader.
(c) Ketenbeeld under BENCH_CLIENTS (20) concurrent clients on gunicorn, p99 against a trivial
    view (the login page) of the same server in the same run, cached (goal ≤ 5x) and cold: every
    request a query string of its own, so none is served from the cache (goal ≤ 3x).
The database must be a scratch one: its name has to contain "bench" (its figures are replaced).
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
# As deployed: the signals task a successful rebuild queues runs in the worker afterwards, not
# inside the timed rebuild (without a broker, tasks would otherwise run in-process).
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "0")
# ... sent to a broker in this process's memory: no worker here, and no wait for one.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")
# As deployed: one cache for every process (the worker's work is what the web's pages read).
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/5")


def ensure_scratch_database() -> None:
    """Create the scratch database when it does not exist yet (a fresh machine)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql as pgsql

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = config["NAME"]
    if "bench" not in name:
        raise SystemExit(f"Refusing to use database {name!r}: its name must contain 'bench'.")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(pgsql.SQL("CREATE DATABASE {}").format(pgsql.Identifier(name)))
    admin.close()


ensure_scratch_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

CELLS = int(os.environ.get("BENCH_CELLS", "10000000"))
UPLOAD_ROWS = int(os.environ.get("BENCH_UPLOAD_ROWS", "10000"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS_PER_CLIENT", "25"))
PORT = int(os.environ.get("BENCH_PORT", "8765"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
INDICATORS = 100  # the catalogue's 11 plus bench indicators
ORGANISATIONS = 100
DIMENSION_VALUES = 10
#: The skewed indicator: asylum applications by type, nationality and route.
SKEWED = "asylum_applications"
SKEWED_DIMENSIONS = {
    "application_type": [f"t{n}" for n in range(4)],
    "nationality": [f"n{n:03d}" for n in range(150)],
    "route": [f"r{n}" for n in range(3)],
}
SKEWED_KEYS = 4 * 150 * 3


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else [])
        return cursor.rowcount


def timed(label: str, fn):
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"{label}: {elapsed:.2f} s", flush=True)
    return elapsed, result


def generate() -> None:
    """CELLS current monthly cells: half in the skewed indicator (its 1,800 dimension keys ×
    some organisations × months), half in 99 indicators × 100 organisations × 10 values × months."""
    from dashboards.models import Indicator

    months = max(1, (CELLS // 2) // ((INDICATORS - 1) * ORGANISATIONS * DIMENSION_VALUES))
    skewed_organisations = min(ORGANISATIONS, max(1, round(CELLS / 2 / (SKEWED_KEYS * months))))
    sql("TRUNCATE dashboards_seriesyear, dashboards_progresspoint, dashboards_indicatorbuild, "
        "dashboards_currentcell, dashboards_observation, dashboards_uploadissue, dashboards_upload, "
        "dashboards_rebuild RESTART IDENTITY CASCADE")  # fmt: skip
    owner = Indicator.objects.values_list("owner_id", flat=True).first()
    for n in range(Indicator.objects.count(), INDICATORS):
        aggregation = ["sum", "sum", "sum", "last", "mean"][n % 5]
        Indicator.objects.get_or_create(
            code=f"bench_{n}",
            defaults={"label": f"Bench {n}", "owner_id": owner, "unit": "persons",
                      "frequency": "month", "aggregation": aggregation,
                      "dimensions": {"d": [f"v{k}" for k in range(DIMENSION_VALUES)]}},
        )  # fmt: skip
    for n in range(ORGANISATIONS):
        sql("INSERT INTO governance_organisation (code, name, name_en, is_chain_partner) "
            "VALUES (%s, %s, '', true) ON CONFLICT (code) DO NOTHING", [f"B{n:03d}", f"Bench {n}"])  # fmt: skip
    sql("""INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                                  is_staff, is_active, date_joined)
           VALUES ('!', false, 'bench', '', '', '', false, true, now()) ON CONFLICT DO NOTHING""")
    sql("""INSERT INTO dashboards_upload (organisation_id, uploaded_by_id, uploaded_at, file, file_name,
                                          size, sha256, status, rows, rows_read, rejection_reason,
                                          error_count, warning_count, language)
           SELECT o.id, (SELECT id FROM auth_user WHERE username = 'bench'), now(), 'bench.csv',
                  'bench.csv', 1, '', 'approved', 0, 0, '', 0, 0, 'nl'
           FROM governance_organisation o WHERE o.code LIKE 'B%%'""")
    others = (INDICATORS - 1) * ORGANISATIONS * DIMENSION_VALUES * months
    skewed = SKEWED_KEYS * skewed_organisations * months
    print(f"generating {INDICATORS - 1} x {ORGANISATIONS} x {DIMENSION_VALUES} x {months} months "
          f"= {others:,} cells, and {SKEWED} {SKEWED_KEYS:,} keys x {skewed_organisations} "
          f"organisations x {months} months = {skewed:,} cells", flush=True)  # fmt: skip
    timed("  observations", lambda: sql("""
        INSERT INTO dashboards_observation (upload_id, indicator_id, organisation_id, period,
            period_type, period_start, period_end, dimension_key, value, row)
        SELECT u.id, i.id, u.organisation_id, to_char(m, 'YYYY-MM'), 'month', m::date,
               (m + interval '1 month' - interval '1 day')::date, 'd=v' || k,
               (hashtext(i.id || '-' || u.id || '-' || k || '-' || m) & 1023), 1
        FROM dashboards_upload u
        CROSS JOIN (SELECT id FROM dashboards_indicator WHERE code <> %s ORDER BY id LIMIT %s) i
        CROSS JOIN generate_series(0, %s) k
        CROSS JOIN generate_series('2015-01-01'::timestamp, '2015-01-01'::timestamp
                                   + (%s - 1) * interval '1 month', interval '1 month') m
    """, [SKEWED, INDICATORS - 1, DIMENSION_VALUES - 1, months]))  # fmt: skip
    timed("  observations of the skewed indicator", lambda: sql("""
        INSERT INTO dashboards_observation (upload_id, indicator_id, organisation_id, period,
            period_type, period_start, period_end, dimension_key, value, row)
        SELECT u.id, i.id, u.organisation_id, to_char(m, 'YYYY-MM'), 'month', m::date,
               (m + interval '1 month' - interval '1 day')::date,
               'application_type=t' || t || ';nationality=n' || lpad(n::text, 3, '0')
                   || ';route=r' || r,
               (hashtext(u.id || '-' || t || '-' || n || '-' || r || '-' || m) & 1023), 1
        FROM (SELECT * FROM dashboards_upload ORDER BY id LIMIT %s) u
        CROSS JOIN (SELECT id FROM dashboards_indicator WHERE code = %s) i
        CROSS JOIN generate_series(0, 3) t CROSS JOIN generate_series(0, 149) n
        CROSS JOIN generate_series(0, 2) r
        CROSS JOIN generate_series('2015-01-01'::timestamp, '2015-01-01'::timestamp
                                   + (%s - 1) * interval '1 month', interval '1 month') m
    """, [skewed_organisations, SKEWED, months]))  # fmt: skip
    # The catalogue's indicators keep their shape of data, so Ketenbeeld has figures.
    sql("UPDATE dashboards_indicator SET dimensions = %s WHERE code NOT LIKE 'bench_%%'",
        ['{"d": ["v0","v1","v2","v3","v4","v5","v6","v7","v8","v9"]}'])  # fmt: skip
    Indicator.objects.filter(code=SKEWED).update(dimensions=SKEWED_DIMENSIONS)
    sql("UPDATE dashboards_indicator SET frequency = 'month' WHERE frequency <> 'month'")
    timed("  current cells", lambda: sql("""
        INSERT INTO dashboards_currentcell (indicator_id, organisation_id, period, dimension_key,
                                            observation_id)
        SELECT indicator_id, organisation_id, period, dimension_key, id FROM dashboards_observation
        ORDER BY indicator_id, organisation_id, period, dimension_key
    """))  # fmt: skip
    sql("VACUUM ANALYZE dashboards_observation")
    sql("VACUUM ANALYZE dashboards_currentcell")


def bare_limit() -> float:
    """The same quarterly sums in one statement, given the rebuild's work_mem (so both may hash
    in memory alike)."""
    from django.conf import settings

    sql("DROP TABLE IF EXISTS bench_bare")
    sql("SET work_mem = %s", [settings.REBUILD_WORK_MEM])
    sql("CREATE TABLE bench_bare (indicator_id bigint, organisation_id bigint, dimension_key text, "
        "period_start date, value numeric)")  # fmt: skip
    elapsed, rows = timed("(a) bare limit: INSERT … SELECT … GROUP BY quarterly", lambda: sql("""
        INSERT INTO bench_bare
        SELECT c.indicator_id, c.organisation_id, c.dimension_key,
               date_trunc('quarter', o.period_start)::date, SUM(o.value)
        FROM dashboards_currentcell c JOIN dashboards_observation o ON o.id = c.observation_id
        GROUP BY 1, 2, 3, 4
    """))  # fmt: skip
    print(f"    {rows:,} quarterly rows (work_mem {settings.REBUILD_WORK_MEM})")
    sql("RESET work_mem")
    sql("DROP TABLE bench_bare")
    return elapsed


def correction(code: str, rows: int) -> tuple[int, int]:
    """An approved upload correcting the first `rows` current cells of one indicator (value + 1):
    new observations, the cells pointing at them. Returns (indicator id, upload id)."""
    indicator_id = _one("SELECT id FROM dashboards_indicator WHERE code = %s", [code])
    organisation_id = _one("SELECT id FROM governance_organisation WHERE code = 'B000'")
    upload_id = _one("""INSERT INTO dashboards_upload (organisation_id, uploaded_by_id, uploaded_at,
                            file, file_name, size, sha256, status, rows, rows_read, rejection_reason,
                            error_count, warning_count, language)
                        VALUES (%s, (SELECT id FROM auth_user WHERE username = 'bench'), now(),
                                'u.csv', 'u.csv', 1, '', 'approved', %s, %s, '', 0, 0, 'nl')
                        RETURNING id""",
                     [organisation_id, rows, rows])  # fmt: skip
    sql("""INSERT INTO dashboards_observation (upload_id, indicator_id, organisation_id, period,
               period_type, period_start, period_end, dimension_key, value, row)
           SELECT %s, o.indicator_id, o.organisation_id, o.period, o.period_type, o.period_start,
                  o.period_end, o.dimension_key, o.value + 1, o.row
           FROM dashboards_currentcell c JOIN dashboards_observation o ON o.id = c.observation_id
           WHERE c.indicator_id = %s AND c.organisation_id = %s
           ORDER BY o.period, o.dimension_key LIMIT %s""",
        [upload_id, indicator_id, organisation_id, rows])  # fmt: skip
    sql("""UPDATE dashboards_currentcell c SET observation_id = o.id
           FROM dashboards_observation o
           WHERE o.upload_id = %s AND c.indicator_id = o.indicator_id
             AND c.organisation_id = o.organisation_id AND c.period = o.period
             AND c.dimension_key = o.dimension_key""", [upload_id])  # fmt: skip
    return indicator_id, upload_id


def _one(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else [])
        return cursor.fetchone()[0]


def load(
    path: str, cookie: str, clients: int, per_client: int, *, cold: bool = False
) -> list[float]:
    """Latencies of `clients` concurrent clients sending `per_client` requests each; `cold`:
    every request with a query string of its own, so no rendered page comes from the cache."""
    latencies: list[float] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        mine = []
        for n in range(per_client):
            url = f"{path}?cold={number}-{n}-{time.monotonic_ns()}" if cold else path
            started = time.perf_counter()
            conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            assert response.status == 200, (path, response.status)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def consistency_benchmark(full: float) -> None:
    """(g) the chain consistency checks on the current build: every active rule over all its
    complete quarters (what Datakwaliteit and the signals read), against the full rebuild."""
    from dashboards.consistency.checks import evaluate_all
    from dashboards.models import ConsistencyRule

    rules = list(ConsistencyRule.objects.filter(active=True))
    elapsed, _found = timed(
        f"(g) consistency checks ({len(rules)} rules, every complete quarter)",
        lambda: evaluate_all(rules, recent=None),
    )
    print(f"consistency checks / full rebuild: {100 * elapsed / full:.2f} % (goal: within 10 %)")


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def page_benchmark() -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    from governance.models import Membership, Organisation, Role

    user, _c = get_user_model().objects.get_or_create(username="bench-viewer")
    Membership.objects.update_or_create(
        user=user,
        defaults={"organisation": Organisation.objects.get(code="JENV"), "role": Role.VIEWER},
    )
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1", "DEBUG": "0", "AXES_ENABLED": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "ketenportaal.wsgi", "-w", os.environ.get("BENCH_WORKERS", "2"),
         "-b", f"127.0.0.1:{PORT}", "--log-level", "warning", "--timeout", "300"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        for _n in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request(
                    "GET", "/accounts/login/"
                )
                break
            except OSError:
                time.sleep(0.2)
        load("/dashboards/", cookie, 2, 2)  # warm-up
        # The trivial view: the login page, anonymous (a logged-in user is redirected).
        load("/accounts/login/", "", 2, 2)
        trivial = load("/accounts/login/", "", CLIENTS, REQUESTS)
        page = load("/dashboards/", cookie, CLIENTS, REQUESTS)
        trivial_p99, page_p99 = p99(trivial), p99(page)
        print(f"(c) trivial view (login page) p99: {trivial_p99 * 1000:.1f} ms, "
              f"median {statistics.median(trivial) * 1000:.1f} ms")  # fmt: skip
        print(
            f"(c) Ketenbeeld p99: {page_p99 * 1000:.1f} ms, median {statistics.median(page) * 1000:.1f} ms"
        )
        print(f"(c) ratio p99 Ketenbeeld / trivial: {page_p99 / trivial_p99:.2f}x (goal ≤ 5x), "
              f"{CLIENTS} clients x {REQUESTS} requests")  # fmt: skip
        trivial_again = load("/accounts/login/", "", CLIENTS, REQUESTS)
        cold = load("/dashboards/", cookie, CLIENTS, REQUESTS, cold=True)
        trivial_p99 = min(trivial_p99, p99(trivial_again))
        print(f"(c) cold Ketenbeeld (no cached page) p99: {p99(cold) * 1000:.1f} ms, "
              f"median {statistics.median(cold) * 1000:.1f} ms")  # fmt: skip
        print(f"cold Ketenbeeld p99 / trivial p99: {p99(cold) / trivial_p99:.2f}× (goal ≤ 3×), "
              f"{CLIENTS} clients x {REQUESTS} requests")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    if "bench" not in connection.settings_dict["NAME"]:
        sys.exit("Use a scratch database whose name contains 'bench' (its figures are replaced).")
    call_command("migrate", verbosity=0)
    from django.core.cache import cache

    from bench.release_storage import measure_releases
    from dashboards.models import Indicator
    from dashboards.rebuild import hidden, series
    from dashboards.rebuild.build import rebuild_dashboards
    from governance.steering.signals import compute_signals
    from ketenportaal import runtime

    # As deployed: the worker that runs rebuilds has, once started, taken what it loaded out of
    # the garbage collector's walks (ketenportaal.celery); otherwise a full collection in the
    # middle of a correction costs it 0.14 to 0.23 s.
    runtime.settle()
    cache.clear()  # the bench's own cache database: nothing of an earlier run
    if os.environ.get("BENCH_SKIP_GENERATE") != "1":
        timed("generate", generate)
    cells = _one("SELECT count(*) FROM dashboards_currentcell")
    print(f"current cells: {cells:,}")
    sql("VACUUM ANALYZE dashboards_seriesyear")  # the dead rows of earlier benchmark runs
    # Alternated, each after a CHECKPOINT (so neither pays to write out the other's pages);
    # the ratio is taken between the fastest of each.
    bares, fulls = [], []
    for _run in range(REPEAT):
        sql("CHECKPOINT")
        bares.append(bare_limit())
        sql("CHECKPOINT")
        full, rebuild = timed("(a) full rebuild", lambda: rebuild_dashboards())
        fulls.append(full)
        series_years = _one(
            "SELECT count(*) FROM dashboards_seriesyear WHERE rebuild_id = %s", [rebuild.pk]
        )
        print(f"    {rebuild.rows:,} figures in {series_years:,} series-year rows; build until "
              f"the switch {rebuild.duration:.2f} s (the rest: dropping the previous build)")  # fmt: skip
    bare, full = min(bares), min(fulls)
    print(f"(a) fastest of {REPEAT}: bare limit {bare:.2f} s, full rebuild {full:.2f} s")
    print(f"(a) ratio full rebuild / bare limit: {full / bare:.2f}x (goal ≤ 2x); per run: "
          f"{', '.join(f'{f / b:.2f}x' for f, b in zip(fulls, bares, strict=True))}")  # fmt: skip
    # What the task after a full rebuild does (every year of every indicator suppression applies
    # to), so that the corrections below carry over the years they do not touch.
    hidden_after_full, years = timed(
        "(h) suppression worked out after a full rebuild (every year of every indicator)",
        lambda: hidden.work_out_after(series._pointer_rows(None, None)),
    )
    print(f"    {years:,} indicator-years")
    indicator_id, _upload = correction("bench_20", UPLOAD_ROWS)
    incremental, partial = timed(
        f"(b) rebuild of one indicator whole after a {UPLOAD_ROWS:,}-row upload",
        lambda: rebuild_dashboards(indicator_ids=[indicator_id]),
    )
    print(f"    {partial.rows:,} figures")
    print(f"(b) ratio incremental / full: {100 * incremental / full:.2f} % (goal < 5 %)")
    ratios = {}
    hidden_after_patch = 0.0
    for label, rows in (("one-cell", 1), ("10,000-cell", 10_000)):
        skewed_id, upload_id = correction(SKEWED, rows)
        (before,) = series._pointer_rows([Indicator.objects.get(pk=skewed_id)], None)
        elapsed, patch = timed(
            f"(d) {label} correction of {SKEWED} (patch of its series-years)",
            lambda upload_id=upload_id: rebuild_dashboards(upload_ids=[upload_id]),
        )
        print(f"    {patch.rows:,} figures; status {patch.status}")
        ratios[label] = elapsed
        if label == "one-cell":
            (after,) = series._pointer_rows([Indicator.objects.get(pk=skewed_id)], None)
            hidden_after_patch, _n = timed(
                "(h) suppression worked out after the one-cell correction (the year it touched)",
                lambda a=after, b=before, i=skewed_id, u=upload_id: hidden.work_out_after(
                    [a], previous={i: b}, touched=hidden.touched_years([u])
                ),
            )
    signals_one, _run = timed(
        "(e) signals after the one-cell correction (its indicator)",
        lambda: compute_signals(indicator_ids=[skewed_id]),
    )
    signals_all, _run = timed("(e) signals after a full rebuild (all)", lambda: compute_signals())
    print(f"one-cell correction / full: {100 * ratios['one-cell'] / full:.2f} % (goal ≤ 1 %)")
    print(f"10,000-cell correction / full: {100 * ratios['10,000-cell'] / full:.2f} % (goal ≤ 3 %)")
    print(f"signals after a one-cell correction / full: {100 * signals_one / full:.2f} % "
          f"(goal ≤ 1 %)")  # fmt: skip
    print(f"signals after a full rebuild / full: {100 * signals_all / full:.2f} % (goal ≤ 5 %)")

    measure_releases(
        full=full,
        rebuild=lambda: rebuild_dashboards(),
        approve=lambda: correction(SKEWED, 1)[1],
        patch=lambda upload_id: rebuild_dashboards(upload_ids=[upload_id]),
    )
    consistency_benchmark(full)
    # What the task after the last rebuild does, so the pages below find it done.
    timed("(h) suppression worked out for the current builds", lambda: hidden.work_out_after(
        series._pointer_rows(None, None)))  # fmt: skip
    print(f"suppression after a full rebuild / full: {100 * hidden_after_full / full:.2f} % "
          f"(in the worker, after the switch)")  # fmt: skip
    print(
        f"suppression after a one-cell correction / full: {100 * hidden_after_patch / full:.2f} %"
    )
    page_benchmark()


if __name__ == "__main__":
    main()
