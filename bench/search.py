"""Benchmark of the portal search (governance.search) on PostgreSQL:

    DATABASE_URL=postgres://…/kp_bench python bench/search.py [--rows 50000]

In a scratch database whose name contains "bench" (migrated here), it adds `--rows`
recommendations of 30 words each and times a selective search (one row matches) and a broad
one (every row matches), printing whether the GIN index is used. The broad search ranks at most
`RANK_CANDIDATES` matches, so it stays well under a second.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
WORDS = (
    "asiel opvang keten instroom vergunning terugkeer registratie planning doorlooptijd capaciteit"
)


def main(rows: int) -> None:
    if "bench" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database whose name contains 'bench'.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketenportaal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from governance.models import ActionPerspective, Organisation, Recommendation
    from governance.search import search

    call_command("migrate", verbosity=0)
    words = WORDS.split()
    have = Recommendation.objects.filter(code__startswith="B").count()
    perspective, owner = ActionPerspective.objects.first(), Organisation.objects.first()
    Recommendation.objects.bulk_create(
        [
            Recommendation(
                perspective=perspective,
                owner=owner,
                code=f"B{i}",
                text=" ".join(words[(i + k) % 10] + ("en" if k % 2 else "") for k in range(30))
                + f" uniek{i}",
            )
            for i in range(have, rows)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE governance_recommendation")
    print(f"{Recommendation.objects.count()} recommendations")
    for text in (f"uniek{rows // 2}", "doorlooptijd capaciteit"):
        queryset = search._postgres(
            Recommendation.objects.all(), Recommendation, text, search.words_of(text)
        )
        start = time.perf_counter()
        hits = list(queryset[:21])
        took = time.perf_counter() - start
        plan = queryset[:21].explain()
        print(
            f"{text!r}: {len(hits)} hits in {took * 1000:.0f} ms; "
            f"index used: {'recommendation_search' in plan}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    main(parser.parse_args().rows)
