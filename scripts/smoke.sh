#!/usr/bin/env bash
# Starts `make run`'s stack on the embedded default in the background (its own temporary data
# folder and port), runs scripts/smoke.py against it, and stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${SMOKE_PORT:-8765}"
workdir="$(mktemp -d)"
log="$workdir/run.log"

# The embedded default: no server URLs, whatever the calling environment has.
env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL \
    DJANGO_VAR_DIR="$workdir/var" HEARTBEAT_INTERVAL_SECONDS=2 \
    setsid make run PORT="$port" >"$log" 2>&1 &
stack=$!

# Whatever happened, nothing the stack started outlives the test.
cleanup() {
    kill -KILL -- "-$stack" 2>/dev/null || true
    rm -rf "$workdir"
}
trap cleanup EXIT

status=0
python3 scripts/smoke.py "http://127.0.0.1:$port" || status=$?

# Stop it as Ctrl-C in a terminal does (SIGINT to the whole foreground group): everything ends
# within ten seconds, quietly.
kill -INT -- "-$stack" 2>/dev/null || true
for _ in $(seq 1 20); do kill -0 -- "-$stack" 2>/dev/null || break; sleep 0.5; done
if kill -0 -- "-$stack" 2>/dev/null; then
    echo "FAILED: make run was still running ten seconds after Ctrl-C" >&2
    status=1
fi
if grep -q "Segmentation fault" "$log"; then
    echo "FAILED: stopping make run with Ctrl-C crashed its shell" >&2
    status=1
fi
if grep -q "Traceback" "$log"; then
    echo "FAILED: the stack logged a traceback" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    echo "---- make run's log ----" >&2
    tail -n 80 "$log" >&2
fi
exit "$status"
