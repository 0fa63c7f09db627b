#!/usr/bin/env bash
# The whole suite in two processes, one per core: the browser and integration tests (headless
# Chromium, real Celery workers) beside the rest. Each part has its own database, broker
# database and media directory, so neither sees the other's rows, tasks or files. The second
# part's output follows the first's; the run fails when either part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
db=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ketenportaal}
log=$(mktemp -t ketenportaal-browser-XXXXXX.log)
trap 'rm -f "$log"' EXIT

DATABASE_URL="${BROWSER_DATABASE_URL:-${db}_browser}" \
CELERY_BROKER_URL="${BROWSER_CELERY_BROKER_URL:-redis://127.0.0.1:6379/2}" \
MEDIA_ROOT="${BROWSER_MEDIA_ROOT:-/tmp/ketenportaal-test-media-browser}" \
  "$PY" -m pytest -q -m "browser or integration" "$@" >"$log" 2>&1 &
browser=$!

echo "== the suite without browser and integration tests (those run beside it)"
DATABASE_URL="$db" "$PY" -m pytest -q -m "not browser and not integration" "$@"
rest=$?

wait "$browser"
browser_status=$?
echo "== browser and integration tests"
cat "$log"

if [ "$rest" -ne 0 ] || [ "$browser_status" -ne 0 ]; then
  echo "== failed: the rest exited $rest, browser and integration $browser_status" >&2
  exit 1
fi
