#!/usr/bin/env bash
# Run every benchmark of docs/performance.md: generate (or reuse) the bench database, then the
# seller-figures read, money (balances, withdrawals, clearing), the order list, the gig search
# latency, the call eligibility, the recording expiry, the conversation API throughput and Zoom's
# webhook acknowledgement under load, the cost of scanning a message and the moderation queue.
#
#   bench/run.sh                 # reuse a complete bench database if there is one
#   BENCH_FRESH=1 bench/run.sh   # regenerate it
#
# BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/marketplace_bench) and
# BENCH_REDIS_URL (default redis://127.0.0.1:6379/14) say where; the database is dropped and
# recreated by the generator, so never point it at a database you care about.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

if ! command -v wrk >/dev/null 2>&1; then
    echo "Installing wrk (the load generator of bench/throughput.py and bench/zoom_webhooks.py)…"
    SUDO=""
    if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=sudo; fi
    $SUDO apt-get install -y wrk || { $SUDO apt-get update && $SUDO apt-get install -y wrk; } \
        || echo "Could not install wrk; the throughput benchmark will stop." >&2
fi

if [ "$(nproc)" -le 2 ] && [ "$(cut -d' ' -f1 /proc/loadavg | cut -d. -f1)" -ge 1 ]; then
    echo "Warning: load average $(cut -d' ' -f1-3 /proc/loadavg) — something else is running;" \
        "numbers on a busy 2-core machine are not comparable." >&2
fi

if [ -n "${BENCH_FRESH:-}" ]; then
    "$PY" -m bench.generate
else
    "$PY" -m bench.generate --reuse
fi
"$PY" -m bench.seller_figures
"$PY" -m bench.money
"$PY" -m bench.order_list
"$PY" -m bench.gig_search
"$PY" -m bench.call_eligibility
"$PY" -m bench.recording_expiry
"$PY" -m bench.sanctions
"$PY" -m bench.throughput
"$PY" -m bench.zoom_webhooks
"$PY" -m bench.message_scanning
"$PY" -m bench.moderation_queue
