#!/usr/bin/env bash
# The whole suite in two processes, one per core: the browser and integration tests (headless
# Chromium, real Celery workers) and the tests that load the whole demo, beside the rest. Each
# part has its own database, broker database and media directory, so neither sees the other's
# rows, tasks or files. The second part's output follows the first's; the run fails when either
# part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
db=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ketenportaal}
log=$(mktemp -t ketenportaal-second-XXXXXX.log)
trap 'rm -f "$log"' EXIT
SECOND=(tests/browser tests/integration tests/governance/demo tests/ketenportaal/test_demo.py)

DATABASE_URL="${SECOND_DATABASE_URL:-${db}_second}" \
CELERY_BROKER_URL="${SECOND_CELERY_BROKER_URL:-redis://127.0.0.1:6379/2}" \
MEDIA_ROOT="${SECOND_MEDIA_ROOT:-/tmp/ketenportaal-test-media-second}" \
  "$PY" -m pytest -q "$@" "${SECOND[@]}" >"$log" 2>&1 &
second=$!

echo "== the suite but for ${SECOND[*]} (those run beside it)"
DATABASE_URL="$db" "$PY" -m pytest -q "${SECOND[@]/#/--ignore=}" "$@"
first=$?

wait "$second"
second_status=$?
echo "== ${SECOND[*]}"
cat "$log"

if [ "$first" -ne 0 ] || [ "$second_status" -ne 0 ]; then
  echo "== failed: the first part exited $first, the second $second_status" >&2
  exit 1
fi
