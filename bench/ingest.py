"""Benchmark of the upload ingest (issue 3): `python bench/ingest.py` with DATABASE_URL set to
PostgreSQL (`make bench`).

It generates a 1,000,000-row CSV in the contract's format (one indicator, a `nationality`
dimension of 150 values, and a `location` dimension so that every row is a distinct cell, over 40
monthly periods), then, each in its own process so peak memory (max RSS) is measured per path:

  whole   the real ingest: submit_upload (sha256, private storage) + validate_upload (pandas
          parse, every validation rule, binary COPY of the observations while the warnings
          are computed, the report, commit);
  bare    the bare limit on the same file: pandas.read_csv + COPY into a plain table of the
          same columns, commit;
  bare_indexed
          the bare limit with the observations table's keys: read_csv, the cell's columns made
          from the file's (period start, canonical dimension key, the ids), COPY into a table
          with the same primary key (an id from a sequence) and the same unique cell index as
          dashboards_observation, commit;
  ie      the usual Django way: 20,000 of the rows through django-import-export (bulk mode)
          into the same Observation table.

It runs in a throwaway database (test_<name>, created and dropped here; the tables are emptied
between runs), runs each path --repeat times (default 3) and counts the fastest run, and prints
rows/s, peak memory, the ratios and the goals: whole within 3x the bare limit and within 1.5x
the bare limit with indexes, at least 50x faster than import-export, peak memory under 1.5 GB.
BENCH_ROWS (default 1,000,000) makes a smaller run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

ROWS = int(os.environ.get("BENCH_ROWS", "1000000"))
IE_ROWS = 20_000
PERIODS = 40
NATIONALITIES = 150
LOCATIONS = ROWS // (NATIONALITIES * PERIODS) + 1  # 167: enough distinct cells for 1 M rows
CODE = "bench_registrations"


def setup_django():
    import django

    django.setup()


def generate_csv(path: Path) -> None:
    import numpy as np
    import pandas as pd

    periods = [f"{2021 + m // 12}-{m % 12 + 1:02d}" for m in range(PERIODS)]
    nationalities = [f"n{i:03d}" for i in range(NATIONALITIES)]
    locations = [f"l{i:03d}" for i in range(LOCATIONS)]
    index = np.arange(ROWS)
    rng = np.random.default_rng(2764)
    values = rng.integers(0, 500, ROWS)
    frame = pd.DataFrame(
        {
            "indicator": CODE,
            "period": np.array(periods)[index % PERIODS],
            "value": values,
            "nationality": np.array(nationalities)[(index // PERIODS) % NATIONALITIES],
            "location": np.array(locations)[index // (PERIODS * NATIONALITIES)],
        }
    )
    frame.to_csv(path, index=False)


def prepare_database() -> None:
    """In the throwaway database: the bench indicator and a partner of its owner."""
    from dashboards.models import Indicator
    from governance.accounts.services import save_portal_user
    from governance.models import Organisation, Role

    ind = Organisation.objects.get(code="IND")
    Indicator.objects.update_or_create(
        code=CODE,
        defaults={
            "label": "Benchmark registraties",
            "owner": ind,
            "unit": "persons",
            "frequency": "month",
            "aggregation": "sum",
            "dimensions": {
                "nationality": [f"n{i:03d}" for i in range(NATIONALITIES)],
                "location": [f"l{i:03d}" for i in range(LOCATIONS)],
            },
            # The random values jump from month to month: keep the warnings out of the way of
            # the measurement of storing the observations (warnings are stored the same way).
            "tolerance_percent": 10000,
        },
    )
    save_portal_user(username="bench-ind", organisation=ind, role=Role.PARTNER)


# ---------------------------------------------------------------- the three paths (children)


def run_whole(csv_path: Path) -> dict:
    import logging

    from django.contrib.auth import get_user_model
    from django.core.files import File

    from dashboards.models import Observation
    from dashboards.uploads import services

    # The service logs how long reading + checking and storing took: keep it for the profile.
    phases = {}

    class Phases(logging.Handler):
        def emit(self, record):
            if record.msg.startswith("Upload %s: %s rows"):
                phases["read_checked_s"], phases["stored_s"] = record.args[3], record.args[4]

    service_log = logging.getLogger("dashboards.uploads.services")
    service_log.setLevel(logging.INFO)
    service_log.addHandler(Phases())
    service_log.propagate = False

    user = get_user_model().objects.get(username="bench-ind")
    start = time.perf_counter()
    with csv_path.open("rb") as handle:
        upload = services.submit_upload(
            organisation=user.membership.organisation, by=user, file=File(handle, name="bench.csv")
        )
    upload = services.validate_upload(upload_id=upload.pk)
    seconds = time.perf_counter() - start
    stored = Observation.objects.filter(upload=upload).count()
    assert upload.status == "valid", (upload.status, list(upload.issues.values_list("message")[:5]))
    return {
        "rows": stored,
        "seconds": seconds,
        "status": upload.status,
        "warnings": upload.warning_count,
        **phases,
    }


def run_bare(csv_path: Path) -> dict:
    import io

    import pandas as pd
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain")
        cursor.execute(
            "CREATE TABLE bench_plain (indicator text, period text, value numeric, "
            "nationality text, location text)"
        )
    start = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    buffer = io.StringIO()
    frame.to_csv(buffer, header=False, index=False)
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            "COPY bench_plain (indicator, period, value, nationality, location) "
            "FROM STDIN WITH (FORMAT csv)",
            buffer,
        )
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_plain")
        rows = cursor.fetchone()[0]
    return {"rows": rows, "seconds": seconds}


def run_import_export(csv_path: Path) -> dict:
    import tablib
    from django.contrib.auth import get_user_model
    from import_export import fields, resources

    from dashboards.models import Indicator, Observation, Upload
    from ketenportaal.periods import parse_period

    user = get_user_model().objects.get(username="bench-ind")
    organisation = user.membership.organisation
    indicator = Indicator.objects.get(code=CODE)
    upload = Upload.objects.create(
        organisation=organisation, uploaded_by=user, file_name="ie.csv", size=0, sha256="ie"
    )

    class ObservationResource(resources.ModelResource):
        dimensions = fields.Field(attribute="dimensions")

        class Meta:
            model = Observation
            use_bulk = True
            batch_size = 1000
            force_init_instance = True
            skip_diff = True
            fields = ("period", "value", "dimensions")

        def before_import_row(self, row, **kwargs):
            period = parse_period(row["period"])
            row["dimensions"] = {"location": row["location"], "nationality": row["nationality"]}

            self._extra = {
                "upload": upload,
                "indicator": indicator,
                "organisation": organisation,
                "period": period.canonical,
                "period_type": period.type,
                "period_start": period.start,
                "period_end": period.end,
                "dimension_key": f"location={row['location']};nationality={row['nationality']}",
            }

        def import_instance(self, instance, row, **kwargs):
            super().import_instance(instance, row, **kwargs)
            for name, value in self._extra.items():
                setattr(instance, name, value)
            instance.row = 0

    with csv_path.open() as handle:
        lines = [next(handle) for _ in range(IE_ROWS + 1)]
    dataset = tablib.Dataset().load("".join(lines), format="csv")
    start = time.perf_counter()
    result = ObservationResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - start
    assert not result.has_errors()
    rows = Observation.objects.filter(upload=upload).count()
    return {"rows": rows, "seconds": seconds}


def run_bare_indexed(csv_path: Path) -> dict:
    import io

    import pandas as pd
    from django.db import connection, transaction

    from dashboards.models import Indicator, Observation

    indicator = Indicator.objects.get(code=CODE)
    columns = [
        "organisation_id", "period_start", "indicator_id", "dimension_key", "period_type",
        "round", "upload_id", "value",
    ]  # fmt: skip
    (unique,) = Observation._meta.constraints
    key = ", ".join(Observation._meta.get_field(f).column for f in unique.fields)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_indexed")
        cursor.execute(
            "CREATE TABLE bench_indexed (id bigserial PRIMARY KEY, organisation_id bigint, "
            "period_start date, indicator_id bigint, dimension_key varchar(200), "
            "period_type varchar(10), round varchar(7) NOT NULL DEFAULT '', upload_id bigint, "
            "value numeric(20, 4))"
        )
        cursor.execute(f"CREATE UNIQUE INDEX bench_indexed_cell ON bench_indexed ({key})")
    start = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    cells = pd.DataFrame(
        {
            "organisation_id": indicator.owner_id,
            "period_start": frame["period"] + "-01",
            "indicator_id": indicator.pk,
            "dimension_key": "location="
            + frame["location"]
            + ";nationality="
            + frame["nationality"],
            "period_type": "month",
            "round": "",
            "upload_id": 1,
            "value": frame["value"],
        }
    )
    buffer = io.StringIO()
    cells.to_csv(buffer, header=False, index=False)
    buffer.seek(0)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY bench_indexed ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (round))",
            buffer,
        )
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM bench_indexed")
        rows = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_indexed")
    return {"rows": rows, "seconds": seconds}


PATHS = {
    "whole": run_whole,
    "bare": run_bare,
    "bare_indexed": run_bare_indexed,
    "ie": run_import_export,
}


def child(path: str, csv_path: Path) -> None:
    setup_django()
    print(json.dumps(PATHS[path](csv_path)))


def measure(path: str, csv_path: Path, env: dict) -> dict:
    """Run one path in a fresh process; its peak memory is that process's max RSS."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", path, "--csv", str(csv_path)],
        stdout=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    output = process.stdout.read().decode()
    _pid, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"path {path} failed:\n{output}")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mb"] = usage.ru_maxrss / 1024  # Linux: KiB
    result["rows_per_s"] = result["rows"] / result["seconds"]
    return result


def empty_upload_tables() -> None:
    """Between runs, in the throwaway database only: start every run from empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dashboards_currentcell, dashboards_observation, dashboards_uploadissue, "
            "dashboards_upload CASCADE"
        )
        cursor.execute("CHECKPOINT")


def main(repeat: int) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit(
            "Set DATABASE_URL to a PostgreSQL database (the bench runs in a throwaway copy)."
        )
    setup_django()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        prepare_database()
        url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + test_name
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "MEDIA_ROOT": tempfile.mkdtemp(prefix="bench-media-"),
            "CELERY_TASK_ALWAYS_EAGER": "1",
            "CELERY_BROKER_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        with tempfile.TemporaryDirectory() as tmp:
            csv_path = Path(tmp) / "bench.csv"
            t = time.perf_counter()
            generate_csv(csv_path)
            size_mb = csv_path.stat().st_size / 1e6
            print(
                f"Generated {ROWS:,} rows ({size_mb:.0f} MB): 1 indicator, nationality "
                f"({NATIONALITIES} values) x location ({LOCATIONS}) x {PERIODS} months "
                f"in {time.perf_counter() - t:.1f} s"
            )
            # The paths take turns, each after a CHECKPOINT, so a change in the machine's load
            # falls on all of them; the fastest run of each is the least disturbed.
            paths = ("bare", "bare_indexed", "whole", "ie")
            runs: dict[str, list[dict]] = {path: [] for path in paths}
            for _run in range(repeat):
                for path in paths:
                    empty_upload_tables()
                    runs[path].append(measure(path, csv_path, env))
            results = {}
            for path in paths:
                best = min(runs[path], key=lambda r: r["seconds"])
                best["all_seconds"] = [round(r["seconds"], 2) for r in runs[path]]
                best["peak_mb"] = max(r["peak_mb"] for r in runs[path])
                results[path] = best
            per_run = [
                w["seconds"] / b["seconds"]
                for w, b in zip(runs["whole"], runs["bare"], strict=True)
            ]
    finally:
        # Drops the throwaway database (the connection's current NAME) and points the
        # connection back at `old_name`, which is left untouched.
        connection.creation.destroy_test_db(old_name, verbosity=0)

    labels = {
        "whole": "whole ingest (parse + validate + COPY)",
        "bare": "bare limit (read_csv + COPY)",
        "bare_indexed": "bare limit with the observations' keys",
        "ie": f"django-import-export, bulk ({IE_ROWS:,} rows)",
    }
    print(f"\n{'path':<44} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak MB':>8}  runs (s)")
    for path, r in results.items():
        print(
            f"{labels[path]:<44} {r['rows']:>10,} {r['seconds']:>8.2f} "
            f"{r['rows_per_s']:>10,.0f} {r['peak_mb']:>8.0f}  {r['all_seconds']}"
        )
    if "stored_s" in results["whole"]:
        whole = results["whole"]
        print(
            f"  whole, its fastest run: read + checked {whole['read_checked_s']:.2f} s, "
            f"stored (COPY of observations while the warnings are computed, report, commit) "
            f"{whole['stored_s']:.2f} s, "
            f"the rest (submit: sha256, private copy of the file) "
            f"{whole['seconds'] - whole['read_checked_s'] - whole['stored_s']:.2f} s; "
            f"{whole['warnings']:,} warnings in its report"
        )
    ratio_bare_ie = results["bare"]["rows_per_s"] / results["ie"]["rows_per_s"]
    whole, bare, ie = results["whole"], results["bare"], results["ie"]
    time_ratio = whole["seconds"] / bare["seconds"]
    speedup = whole["rows_per_s"] / ie["rows_per_s"]
    peak = max(whole["peak_mb"], bare["peak_mb"])
    print()
    print(
        f"whole / bare time:               {time_ratio:5.2f}x   goal <= 3x    {'OK' if time_ratio <= 3 else 'MISSED'}"
        f"   (run by run: {', '.join(f'{r:.2f}x' for r in per_run)})"
    )
    indexed_ratio = whole["seconds"] / results["bare_indexed"]["seconds"]
    per_run_indexed = [
        w["seconds"] / b["seconds"]
        for w, b in zip(runs["whole"], runs["bare_indexed"], strict=True)
    ]
    print(
        f"whole / bare with indexes: {indexed_ratio:.2f}×   goal <= 1.5x  "
        f"{'OK' if indexed_ratio <= 1.5 else 'MISSED'}"
        f"   (run by run: {', '.join(f'{r:.2f}x' for r in per_run_indexed)})"
    )
    print(
        f"whole vs import-export rows/s:   {speedup:5.0f}x   goal >= 50x   {'OK' if speedup >= 50 else 'MISSED'}"
    )
    print(
        f"peak memory of the whole ingest: {whole['peak_mb']:5.0f} MB goal < 1536 MB {'OK' if whole['peak_mb'] < 1536 else 'MISSED'}"
    )
    print(
        f"(peak of any path: {peak:.0f} MB; the bare limit itself is {ratio_bare_ie:.0f}x import-export)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--child", choices=sorted(PATHS))
    parser.add_argument("--csv", type=Path)
    parser.add_argument("--repeat", type=int, default=5, help="runs per path; the fastest counts")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.csv)
    else:
        main(args.repeat)
