#!/usr/bin/env bash
# `make run`: the whole product on the embedded default — SQLite, a file-system Celery broker,
# a worker with beat inside it, and the web server. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_DEBUG=true
PORT="${PORT:-8000}"
BIN=.venv/bin

"$BIN/python" manage.py migrate --no-input
"$BIN/python" manage.py seed_demo

# Ctrl-C reaches every process of the group; whatever ends first, stop the rest. `kill 0`
# signals this shell too, so it ignores INT and TERM while stopping — a trap that caught its own
# signal would re-enter itself until bash ran out of stack ("Segmentation fault").
stop() {
    trap '' INT TERM
    trap - EXIT
    kill 0 2>/dev/null || true
    wait 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$BIN/celery" -A config worker --beat --loglevel INFO --concurrency 2 \
    --schedule "${DJANGO_VAR_DIR:-var}/celerybeat-schedule" &

cat <<MSG

  Marketplace is starting on  http://127.0.0.1:${PORT}/
  Support admin:              http://127.0.0.1:${PORT}/admin/
  API docs:                   http://127.0.0.1:${PORT}/api/docs/
  Demo logins (password demo-pass-2026): see the cast above or the README.
  Ctrl-C stops the web server, the worker and beat.

MSG

"$BIN/python" manage.py runserver "127.0.0.1:${PORT}" &
wait -n
