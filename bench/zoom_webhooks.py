"""Zoom webhook acknowledgement under load: the product's `POST /webhooks/zoom/`
(`calls.views.zoom_webhook`) against two bench-only views (bench/views.py) that answer the same
200 `{"status": "received"}`, in the same run, served by the same gunicorn, loaded by the same
`wrk` with the same concurrency and the same requests:

    .venv/bin/python -m bench.zoom_webhooks [--duration 10] [--rounds 6] [--connections 50]

- bare, `POST /bench/bare-webhook/`: the floor — a Django view that neither reads the body nor
  touches the database or the broker. The issue's target is measured against it.
- lean, `POST /bench/lean-webhook/`: the leanest honest way to do the same work — read the body,
  `json.loads` it, and log the event as the same `calls_providerevent` row with one raw
  `INSERT ... ON CONFLICT (key) DO NOTHING` in autocommit; no signature check, no validation, no
  cache flag, no broker. An endpoint that must write the row cannot do much better, so
  product / lean says how much of the product's cost is its own logic.
- product: checks the signature and the timestamp, parses and validates the body, inserts the
  event's row with one autocommit INSERT (`record_provider_event`: a duplicate key is Zoom's
  retry and is ignored), then `cache.add`s the drain flag (`calls:provider-events:drain-queued`,
  60 s) in Redis and publishes the `calls.tasks.drain_provider_events` task only when the flag
  was not already set. One drain task applies every pending event and clears the flag when it
  starts; no worker runs here, so nobody clears it and the product publishes about one message
  per 60 s of the run, not one per event: nearly every request pays the INSERT and one Redis
  round trip (the `cache.add`), not a publish. The meeting ids are unknown to the product, which
  is fine: the endpoint only logs; the task would apply the event later.

Every request is a distinct signed `meeting.started` delivery, as Zoom sends them: a JSON body
whose `payload.object.uuid` (the meeting instance, hence the event's business key) is new, with
`x-zm-request-timestamp` and `x-zm-signature` (HMAC-SHA256 with the webhook secret, computed by
`calls.webhooks.signature`). All three endpoints get the same kind of requests; only the product
looks at the headers.

The deliveries are signed in Python right before each run (one timestamp per run, so the
product's real 5-minute tolerance check passes; runs must be shorter than the tolerance),
written to `var/bench/zoom-webhooks.tsv`, and sent in turn by a Lua script of wrk's
(`var/bench/zoom-webhooks.lua`, written by this script; `bench.throughput.run_wrk` runs it
through a two-line wrapper, `var/bench/zoom-wrk`, that adds `-s`). Each file holds twice the
requests the faster of product and lean answered in the longest run so far (at least 2,000 a
second), so neither endpoint that writes sees a delivery twice (a repeat is answered without
an insert, which would flatter it; the report says if it happened); the faster bare view may go
round the file again, which changes nothing for a view that does not read the body. UUIDs are
numbered across the whole run, so no two requests of any endpoint share a key.

gunicorn runs the project's own `gunicorn.conf.py` (sync workers, access log on, written to
`var/bench/zoom-gunicorn.log`) with `bench.settings` (production mode, the bench database,
Redis as cache and broker) on a free port of 127.0.0.1; wrk (`-t1 -c50 --latency`: 50
deliveries always in flight, each connection sending its next one when the last is answered)
measures requests/s, p50 and p99. Each round runs the three endpoints one after the other, in
an order that rotates and reverses from round to round (six rounds: every order once, each
endpoint first, middle and last twice). The ratios (product / bare, the target; product / lean;
lean / bare) are taken within each round, and the report gives the median of those per-round
ratios, leaving out rounds during which other processes on the machine took CPU.

Checks: every response must be 2xx (wrk's "Non-2xx" count; the script stops otherwise); after
each run the new `calls_providerevent` rows are counted against the responses wrk completed:
product and lean must each have inserted one row per response (more rows by at most the number
of connections: requests in flight when wrk stopped were still answered), bare none. At the end
the messages the run added to the Celery queue in Redis are read: the report gives the drain
tasks among them against the product's events, and flags a problem only if events were
inserted and no drain task was queued (the publish failed). The drain flag is deleted from the
cache before and after the run, so a flag left by an earlier run cannot hide the first publish.
Afterwards the bench's rows (meeting UUIDs starting with `bench-zoom-`, the lean view's too)
are deleted, and the messages this run pushed onto the Celery queue are trimmed off it (only
those: the list's older entries stay).

Before gunicorn starts, each endpoint also answers `--in-process-calls` deliveries through
Django's test client (no server, one at a time): its queries and its median time on its own.
The bench database only needs the schema here; if it misses migrations they are applied in
place (`manage.py migrate`).

Targets (the issue): product p99 ≤ 100 ms (Zoom allows 3 s) and product ≥ 0.5 x the bare
view's throughput.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common, database
from bench.throughput import (
    LOG_DIR,
    Run,
    WrkResult,
    free_port,
    run_wrk,
    start_gunicorn,
    stop_gunicorn,
    wait_until_up,
)
from calls.webhooks import signature

PRODUCT_PATH = "/webhooks/zoom/"
BARE_PATH = "/bench/bare-webhook/"
LEAN_PATH = "/bench/lean-webhook/"
# Every meeting UUID the bench sends starts with this: its rows are found and deleted by it.
UUID_PREFIX = "bench-zoom-"
# Zoom's meeting ids are 10-11 digits; these are beyond what the generator gives its calls.
MEETING_ID_BASE = 99_000_000_000
DEFAULT_SECRET = "bench-zoom-webhook-secret"  # noqa: S105 - a throw-away benchmark secret

DELIVERIES = LOG_DIR / "zoom-webhooks.tsv"
LUA_SCRIPT = LOG_DIR / "zoom-webhooks.lua"
WRK_WRAPPER = LOG_DIR / "zoom-wrk"
GUNICORN_LOG = LOG_DIR / "zoom-gunicorn.log"

# Each thread of wrk reads its share of the deliveries (lines index, index + threads, ...) into
# finished requests before the clock starts (wrk calls init() before it starts timing), so
# request() costs wrk nothing but a table look-up.
LUA = """-- Written by bench/zoom_webhooks.py: each request is the next signed delivery of the file.
local path = {path}
local threads = {threads}
local started = 0
local requests = {{}}
local next_request = 1

function setup(thread)
   thread:set("thread_index", started)
   started = started + 1
end

function init(args)
   local index = thread_index or 0
   local line_number = 0
   for line in io.lines(path) do
      if line_number % threads == index then
         local timestamp, signature, body = line:match("^(%d+)\\t(%S+)\\t(.*)$")
         requests[#requests + 1] = wrk.format("POST", nil, {{
            ["Content-Type"] = "application/json",
            ["x-zm-request-timestamp"] = timestamp,
            ["x-zm-signature"] = signature,
         }}, body)
      end
      line_number = line_number + 1
   end
end

function request()
   local r = requests[next_request]
   next_request = next_request % #requests + 1
   return r
end
"""


@dataclass
class Endpoint:
    key: str
    label: str
    path: str
    # Whether each delivery must leave one calls_providerevent row (product, lean) or none (bare).
    writes: bool
    runs: list[Run] = field(default_factory=list)
    # Per measured run: responses wrk completed, and the new rows in calls_providerevent.
    completed: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    # Every row the endpoint inserted in the whole run (in-process calls, checks and warm-up
    # included): the product's are the events its drain tasks were queued for.
    all_rows: int = 0
    socket_errors: list[str] = field(default_factory=list)
    # Requests beyond the distinct deliveries of their run's file (sent a second time).
    repeats: int = 0
    queries: int = 0
    in_process_ms: float = 0.0


class Deliveries:
    """Distinct signed `meeting.started` deliveries, numbered across the whole run so that no
    two requests of the run share a meeting UUID (the event's business key)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret
        # Per run of the script, so a run never repeats an aborted earlier run's UUIDs.
        self.run_id = f"{int(time.time()):x}"
        self.sent = 0

    def next(self, timestamp: str) -> tuple[bytes, dict[str, str]]:
        """One delivery: its body and its Zoom headers, signed with `timestamp`."""
        self.sent += 1
        number = self.sent
        # The shape of Zoom's sample (event_ts in milliseconds, the meeting id a string).
        event = {
            "event": "meeting.started",
            "event_ts": int(timestamp) * 1000,
            "payload": {
                "account_id": "benchacct01",
                "object": {
                    "id": str(MEETING_ID_BASE + number),
                    "uuid": f"{UUID_PREFIX}{self.run_id}-{number:09d}==",
                    "host_id": "bench_host_pool01",
                    "topic": f"Bench call {number}",
                    "type": 2,
                    "start_time": datetime.fromtimestamp(int(timestamp), UTC).strftime(
                        "%Y-%m-%dT%H:%M:%SZ"
                    ),
                    "timezone": "UTC",
                    "duration": 30,
                },
            },
        }
        body = json.dumps(event, separators=(",", ":")).encode()
        headers = {
            "x-zm-request-timestamp": timestamp,
            "x-zm-signature": signature(self.secret, timestamp, body),
        }
        return body, headers

    def write(self, count: int, path: Path) -> None:
        """`count` deliveries signed now, one a line: timestamp, signature, body (compact JSON
        has no tab or newline), for the Lua script."""
        timestamp = str(int(time.time()))
        lines = []
        for _ in range(count):
            body, headers = self.next(timestamp)
            lines.append(
                b"%s\t%s\t%s"
                % (
                    headers["x-zm-request-timestamp"].encode(),
                    headers["x-zm-signature"].encode(),
                    body,
                )
            )
        path.write_bytes(b"\n".join(lines) + b"\n")


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, data=body, headers={"Content-Type": "application/json", **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def bench_rows() -> int:
    from calls.models import ProviderEvent

    return ProviderEvent.objects.filter(meeting_uuid__startswith=UUID_PREFIX).count()


def settled_rows() -> int:
    """The bench's rows once the requests still in flight when wrk stopped are answered."""
    count = bench_rows()
    for _ in range(25):
        time.sleep(0.2)
        again = bench_rows()
        if again == count:
            return count
        count = again
    return count


def delete_bench_rows() -> int:
    from calls.models import ProviderEvent

    deleted, _ = ProviderEvent.objects.filter(meeting_uuid__startswith=UUID_PREFIX).delete()
    return deleted


class CeleryQueue:
    """The Redis list the product pushes its tasks onto (kombu LPUSHes, a worker pops from the
    other end): its length, and the removal of the newest entries, i.e. those this run added."""

    def __init__(self) -> None:
        from config.celery import app

        self.app = app
        self.name: str = app.conf.task_default_queue
        self.url = str(app.conf.broker_url)

    def _client(self) -> Any:
        connection = self.app.connection_for_write()
        if connection.transport.driver_type != "redis":
            connection.release()
            return None
        return connection

    def length(self) -> int | None:
        connection = self._client()
        if connection is None:
            return None
        with connection:
            return int(connection.default_channel.client.llen(self.name))

    def newest_tasks(self, count: int) -> list[str]:
        """The task names of the `count` newest messages (kombu's Redis message is JSON whose
        headers name the task; "?" for anything else)."""
        connection = self._client()
        if connection is None or count <= 0:
            return []
        names = []
        with connection:
            for raw in connection.default_channel.client.lrange(self.name, 0, count - 1):
                try:
                    names.append(str(json.loads(raw)["headers"]["task"]))
                except (ValueError, KeyError, TypeError):
                    names.append("?")
        return names

    def drop_newest(self, count: int) -> None:
        connection = self._client()
        if connection is None or count <= 0:
            return
        with connection:
            connection.default_channel.client.ltrim(self.name, count, -1)


def in_process(endpoints: list[Endpoint], deliveries: Deliveries, calls: int) -> None:
    """Queries per request, and the median time of one delivery through Django's test client
    (no HTTP server, no concurrency): the cost of each endpoint on its own."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()

    def send(path: str) -> None:
        body, headers = deliveries.next(str(int(time.time())))
        response = client.post(path, body, content_type="application/json", headers=headers)
        if response.status_code != 200 or response.json() != {"status": "received"}:
            raise SystemExit(f"{path}: {response.status_code} {response.content[:300]!r}")

    for endpoint in endpoints:
        rows_before = bench_rows()
        send(endpoint.path)
        with CaptureQueriesContext(connection) as captured:
            send(endpoint.path)
        endpoint.queries = len(captured.captured_queries)
        samples = []
        for _ in range(calls):
            began = time.perf_counter_ns()
            send(endpoint.path)
            samples.append((time.perf_counter_ns() - began) / 1e6)
        endpoint.in_process_ms = common.median(samples)
        endpoint.all_rows += bench_rows() - rows_before


def ensure_schema() -> None:
    """This bench needs only the schema (calls_providerevent), not the generated data: a bench
    database that misses the newest migrations is migrated in place."""
    url = common.database_url()
    if database.database_marker(url) is None:
        raise SystemExit(
            f"No bench database {database.admin_url(url)[1]}: "
            "run .venv/bin/python -m bench.generate --reuse first."
        )
    if database.migrations_pending():
        print("The bench database misses migrations: applying them (manage.py migrate).")
        database.migrate()


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Zoom webhook acknowledgement (gunicorn + wrk).")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=3, help="seconds per endpoint, unreported")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--workers",
        type=int,
        # gunicorn.conf.py's own default.
        default=int(os.environ.get("WEB_CONCURRENCY", "2")),
        help="gunicorn sync workers (default: as gunicorn.conf.py, WEB_CONCURRENCY or 2)",
    )
    parser.add_argument("--in-process-calls", type=int, default=200)
    common.add_wait_quiet(parser)
    parser.add_argument(
        "--max-other-load",
        type=float,
        default=10,
        help="runs during which other processes used more than this %% of one core are left out",
    )
    return parser.parse_args(argv)


def write_wrk_script(wrk: str, threads: int) -> None:
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    LUA_SCRIPT.write_text(
        LUA.format(path=json.dumps(str(DELIVERIES)), threads=threads), encoding="utf-8"
    )
    # run_wrk (bench/throughput.py) runs the wrk it is given with its own options: a wrapper
    # adds our Lua script to them.
    WRK_WRAPPER.write_text(
        "#!/bin/sh\n"
        "# Written by bench/zoom_webhooks.py: wrk with the script of the signed deliveries.\n"
        f'exec {shlex.quote(wrk)} -s {shlex.quote(str(LUA_SCRIPT))} "$@"\n'
    )
    WRK_WRAPPER.chmod(0o755)


def round_order(endpoints: list[Endpoint], round_number: int) -> list[Endpoint]:
    """The order of a round (from 1): rotated by one every two rounds, reversed every other
    round. For three endpoints, six rounds run every order once (each endpoint first, middle
    and last twice, and after each of the others as often), and two consecutive rounds never
    start with the same endpoint: none always gets the machine first, or after the same one."""
    shift = (round_number - 1) // 2 % len(endpoints)
    rotated = endpoints[shift:] + endpoints[:shift]
    return rotated if round_number % 2 else rotated[::-1]


def measure(args: argparse.Namespace, endpoints: list[Endpoint], deliveries: Deliveries) -> None:
    """gunicorn, the warm-up, then the rounds; fills each endpoint's runs."""
    from django.db import connection

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, args.workers, GUNICORN_LOG, "config.wsgi:application")
    database_name = urlsplit(common.database_url()).path.lstrip("/")

    def ours(pid: int, ppid: int, command: str) -> bool:
        """gunicorn and its workers, this script, wrk, Postgres working for the bench DB (its
        backends, and the writers that flush the WAL of the inserts), and Redis (the broker)."""
        program = command.split(" ", 1)[0]
        return (
            pid in (os.getpid(), server.pid)
            or ppid == server.pid
            or f" {database_name} " in command
            or program.endswith("/wrk")
            or program.startswith("redis-server")
            or (
                command.startswith("postgres:")
                and any(w in command for w in ("walwriter", "background writer", "checkpointer"))
            )
        )

    other = common.OtherLoad(ours)
    # The files hold twice what the faster endpoint that writes (product or lean) answered per
    # second so far, times the duration, so that neither ever gets a delivery twice.
    per_second = 1_000.0

    def load(endpoint: Endpoint, seconds: int) -> tuple[WrkResult, int, float]:
        """One run: fresh deliveries signed now, wrk, and the new rows."""
        nonlocal per_second
        count = max(2_000, math.ceil(2 * per_second * seconds))
        deliveries.write(count, DELIVERIES)
        rows_before = bench_rows()
        other.start()
        result = run_wrk(
            str(WRK_WRAPPER),
            base + endpoint.path,
            duration=seconds,
            connections=args.connections,
            threads=args.threads,
            headers=[],
        )
        other_load = other.stop()
        rows = settled_rows() - rows_before
        connection.close()  # no connection of ours left open during the next run
        if "Non-2xx" in result.errors:
            tail = GUNICORN_LOG.read_text(errors="replace").splitlines()[-5:]
            raise SystemExit(
                f"{endpoint.path}: {result.errors}; the end of {GUNICORN_LOG}:\n" + "\n".join(tail)
            )
        endpoint.repeats += max(0, result.requests - count)
        endpoint.all_rows += rows
        if endpoint.writes:
            if result.requests > count:
                print(
                    f"WARNING: {result.requests:,} requests for {count:,} deliveries: "
                    f"{endpoint.key} saw repeats (answered without an insert)."
                )
            per_second = max(per_second, result.requests / seconds)
        return result, rows, other_load

    try:
        wait_until_up(base, server, GUNICORN_LOG)
        for endpoint in endpoints:
            rows_before = bench_rows()
            body, headers = deliveries.next(str(int(time.time())))
            status, answer = post(base + endpoint.path, body, headers)
            if status != 200 or json.loads(answer) != {"status": "received"}:
                raise SystemExit(f"{endpoint.path} answered {status}: {answer[:300]!r}")
            # The row is committed before the answer: no need to wait for it.
            endpoint.all_rows += bench_rows() - rows_before
        for endpoint in endpoints:
            load(endpoint, args.warmup)
        for endpoint in endpoints:
            endpoint.repeats = 0  # the warm-up's do not count
        for round_number in range(1, args.rounds + 1):
            busy = common.settle(args.wait_quiet)
            print(f"round {round_number}: machine {busy:.0f} % busy before the round", flush=True)
            order = round_order(endpoints, round_number)
            for endpoint in order:
                result, rows, other_load = load(endpoint, args.duration)
                endpoint.runs.append(
                    Run(result.requests_per_second, result.p50_ms, result.p99_ms, other_load)
                )
                endpoint.completed.append(result.requests)
                endpoint.rows.append(rows)
                if result.errors:
                    endpoint.socket_errors.append(result.errors)
                print(
                    f"round {round_number} {endpoint.key:8} {result.requests_per_second:8.1f} "
                    f"req/s  p50 {result.p50_ms:7.2f} ms  p99 {result.p99_ms:7.2f} ms  "
                    f"{result.requests:,} responses, {rows:,} new rows  "
                    f"other load {other_load:4.0f} % of a core"
                    + (f"  [{result.errors}]" if result.errors else ""),
                    flush=True,
                )
    finally:
        stop_gunicorn(server)


def main(argv: Sequence[str] | None = None) -> None:
    args = parse(argv)
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (bench/run.sh tries).")

    # gunicorn inherits the environment: the same secret signs and verifies.
    os.environ.setdefault("ZOOM_WEBHOOK_SECRET", DEFAULT_SECRET)
    ensure_schema()
    common.setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection

    from calls.services.provider_events import DRAIN_EVENTS, DRAIN_QUEUED

    busy_before = common.settle(args.wait_quiet)

    tolerance = settings.ZOOM_WEBHOOK_TOLERANCE_SECONDS
    if max(args.duration, args.warmup) + 5 >= tolerance:
        raise SystemExit(
            f"--duration {args.duration} s: the deliveries of a run are signed before it and "
            f"must still be within the endpoint's tolerance ({tolerance} s) at its end."
        )
    write_wrk_script(wrk, args.threads)
    deliveries = Deliveries(settings.ZOOM_WEBHOOK_SECRET)
    queue = CeleryQueue()
    leftover = delete_bench_rows()
    if leftover:
        print(f"Deleted {leftover:,} event rows left by an earlier, interrupted run.")
    queued_before = queue.length()
    if queued_before:
        print(
            f"Note: the Celery queue {queue.name!r} already holds {queued_before:,} messages; "
            "they are left alone."
        )

    endpoints = [
        Endpoint(
            "bare", "bare Django view, 200 (`POST /bench/bare-webhook/`)", BARE_PATH, writes=False
        ),
        Endpoint(
            "lean",
            "lean view, one raw INSERT (`POST /bench/lean-webhook/`)",
            LEAN_PATH,
            writes=True,
        ),
        Endpoint("product", "product `POST /webhooks/zoom/`", PRODUCT_PATH, writes=True),
    ]
    # A flag left set by an earlier run (it lives 60 s, and no worker clears it here) would
    # keep the product from queuing its first drain task, and the check below from seeing one.
    cache.delete(DRAIN_QUEUED)
    started = time.monotonic()
    try:
        # Before gunicorn starts, so that its start-up takes no CPU from these timings.
        in_process(endpoints, deliveries, args.in_process_calls)
        connection.close()
        measure(args, endpoints, deliveries)
    finally:
        # Leave the bench database and the broker as they were, whatever happened.
        total_rows = bench_rows()
        deleted = delete_bench_rows()
        queued_after = queue.length()
        queued = None
        tasks: list[str] = []
        if queued_after is not None and queued_before is not None:
            queued = queued_after - queued_before
            # Read before they are trimmed: which tasks this run queued.
            tasks = queue.newest_tasks(queued)
            queue.drop_newest(queued)
        cache.delete(DRAIN_QUEUED)
        DELIVERIES.unlink(missing_ok=True)
        connection.close()
        elapsed = time.monotonic() - started
        print(
            f"Cleaned up: deleted the bench's {deleted:,} event rows"
            + ("" if queued is None else f", trimmed {queued:,} messages off {queue.name!r}")
            + "."
        )

    report(
        args,
        endpoints,
        busy_before,
        deliveries.sent,
        total_rows,
        Queued(queue, queued, tasks, DRAIN_EVENTS, elapsed),
    )


@dataclass(frozen=True)
class Queued:
    """What the run left on the Celery queue (None: the broker is not Redis, not read)."""

    queue: CeleryQueue
    count: int | None
    tasks: list[str]
    drain_task: str
    seconds: float


def paired_ratios(
    top: Endpoint, bottom: Endpoint, max_other_load: float
) -> tuple[list[float], int]:
    """top / bottom throughput within each round, leaving out rounds where either run had
    other load (all of them if none is left); and how many rounds were left out."""
    pairs = list(zip(top.runs, bottom.runs, strict=True))
    kept = [
        t.requests_per_second / b.requests_per_second
        for t, b in pairs
        if max(t.other_load, b.other_load) <= max_other_load
    ]
    if not kept:
        return [t.requests_per_second / b.requests_per_second for t, b in pairs], 0
    return kept, len(pairs) - len(kept)


def report(
    args: argparse.Namespace,
    endpoints: list[Endpoint],
    busy_before: float,
    signed: int,
    total_rows: int,
    queued: Queued,
) -> None:
    by_key = {e.key: e for e in endpoints}
    product, lean, bare = by_key["product"], by_key["lean"], by_key["bare"]
    print()
    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print(
        f"gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s x {args.rounds} rounds; distinct signed meeting.started "
        f"deliveries ({signed:,} signed in all)"
    )
    print()
    print(
        f"Runs with other processes above {args.max_other_load:.0f} % of a core are left out "
        "of the medians (counted in the 'runs kept' column)."
    )
    print()
    print(
        "| Endpoint | req/s (median) | min-max | runs kept | p50 (ms) | p99 (ms) | p99 max (ms) "
        "| Other load (% of a core, median) | Queries per request | In-process median (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    p99: dict[str, float] = {}
    rate: dict[str, float] = {}
    for e in endpoints:
        kept = [r for r in e.runs if r.other_load <= args.max_other_load]
        if not kept:
            print(f"WARNING: every run of {e.key} had other load; using all of them.")
            kept = e.runs
        rates = [r.requests_per_second for r in kept]
        rate[e.key] = common.median(rates)
        p99[e.key] = common.median([r.p99_ms for r in kept])
        print(
            f"| {e.label} | {rate[e.key]:,.0f} | {min(rates):,.0f}-{max(rates):,.0f} "
            f"| {len(kept)}/{len(e.runs)} | {common.median([r.p50_ms for r in kept]):.2f} "
            f"| {p99[e.key]:.2f} | {max(r.p99_ms for r in kept):.2f} "
            f"| {common.median([r.other_load for r in e.runs]):.0f} "
            f"| {e.queries} | {e.in_process_ms:.2f} |"
        )
    print()
    ratios: dict[str, float] = {}
    for top, bottom, why in (
        (product, bare, "the issue's target, ≥ 0.5"),
        (product, lean, "how close the product is to an endpoint that must write the row"),
        (lean, bare, "what writing the row costs, at best"),
    ):
        name = f"{top.key} / {bottom.key}"
        paired, left_out = paired_ratios(top, bottom, args.max_other_load)
        ratios[name] = common.median(paired)
        print(
            f"{name}, median of per-round ratios ({why}): {common.ratio_summary(paired, 2)}"
            + (f", {left_out} round(s) with other load left out" if left_out else "")
            + f"; ratio of the medians above: {rate[top.key] / rate[bottom.key]:.2f}"
        )
    # A closed loop: each connection sends its next delivery when the last one is answered, so
    # the mean latency is the connections over the throughput, queueing included.
    print(
        f"Little's law: {args.connections} connections / {rate['product']:,.0f} req/s = "
        f"{1000 * args.connections / rate['product']:.1f} ms, the product's mean latency at "
        "that throughput (the requests queue for a worker)."
    )
    for e in endpoints:
        per_round = ", ".join(f"{r:,}/{d:,}" for r, d in zip(e.rows, e.completed, strict=True))
        if not e.writes:
            print(
                f"Rows, {e.key}: {sum(e.rows):,} new for {sum(e.completed):,} responses: "
                + ("none, as expected." if sum(e.rows) == 0 else "MISMATCH, it writes nothing.")
            )
            continue
        # Requests in flight when wrk stopped were answered (and inserted) after it stopped
        # counting: up to one per connection more rows than completed responses.
        rows_match = e.repeats == 0 and all(
            0 <= rows - done <= args.connections
            for rows, done in zip(e.rows, e.completed, strict=True)
        )
        print(
            f"Rows, {e.key}: {sum(e.rows):,} new events for {sum(e.completed):,} responses "
            f"(per round: {per_round}): "
            + (
                f"each response inserted its row (the rest, ≤ {args.connections} a run, were "
                "in flight when wrk stopped)."
                if rows_match
                else f"MISMATCH ({e.repeats:,} repeated deliveries); see the runs above."
            )
        )
    written = sum(e.all_rows for e in endpoints)
    print(
        f"In all {total_rows:,} bench rows, "
        + ", ".join(f"{e.all_rows:,} by {e.key}" for e in endpoints if e.writes)
        + " (in-process calls, checks and warm-up included)"
        + ("." if written == total_rows else f": MISMATCH, {written:,} accounted for.")
    )
    print_celery(queued, product.all_rows)
    if bare.repeats:
        print("(The bare view went round its file of deliveries; it does not read them.)")
    for e in endpoints:
        if e.socket_errors:
            print(f"{e.key} socket errors: " + "; ".join(e.socket_errors))
    ratio = ratios["product / bare"]
    p99_met = p99["product"] <= 100
    ratio_met = ratio >= 0.5
    print(
        f"Target p99 ≤ 100 ms: {'met' if p99_met else 'NOT MET'} ({p99['product']:.1f} ms). "
        f"Target product ≥ 0.5 x bare: {'met' if ratio_met else 'NOT MET'} ({ratio:.2f})."
    )


def print_celery(queued: Queued, events: int) -> None:
    """The drain tasks the run queued, against the product's events. The product coalesces
    its publishes (a drain task is queued only when the 60 s flag is not set, and only a
    running drain task clears it early), and no worker runs here: about one drain task a
    minute is right, whatever the number of events. Only none at all, with events inserted,
    means the publishes failed."""
    if queued.count is None:
        broker = queued.queue.url.split("://", 1)[0]
        print(f"Celery: the broker ({broker}) is not Redis; not checked.")
        return
    drains = queued.tasks.count(queued.drain_task)
    others = sorted(set(queued.tasks) - {queued.drain_task})
    # The flag is set at the first publish and lasts 60 s: one publish per started minute.
    at_most = int(queued.seconds // 60) + 1
    print(
        f"Celery: {drains:,} drain messages ({queued.drain_task}) queued for the product's "
        f"{events:,} events over the run's {queued.seconds:.0f} s (coalesced: one per 60 s at "
        f"most while nobody drains, here ≤ {at_most})"
        + (
            ": PROBLEM, no drain task was queued (the publish failed; see the gunicorn log)."
            if events and not drains
            else "."
        )
    )
    if others:
        print(
            f"Note: {queued.count - drains:,} other messages were queued during the run "
            f"({', '.join(others)}); neither bench view publishes anything."
        )


if __name__ == "__main__":
    main()
