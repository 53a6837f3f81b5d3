"""Recording expiry (J-1): `calls.services.expire_recordings` deleting 200,000 due recordings
(their media and transcript files included) among 1,000,000, against a bare SQL
`UPDATE … WHERE expires_at < now` over the same rows in the same run; and the sweep's peak memory
at a table of 100,000 rows (20,000 due) and of 1,000,000 (200,000 due).

    .venv/bin/python -m bench.recording_expiry [--rows 1000000] [--small-rows 100000]
        [--rounds 3] [--no-lean] [--profile] [--keep]

Needs the bench database (`python -m bench.generate`). The script makes its own calls: it deletes
the calls and recordings it made before (topic `BENCH_TOPIC`), copies new ones in with COPY (one
ended call per recording, spread over the generated conversations, expiring evenly over 150 days
of which the first 30 are past, so a fifth are due), and deletes them again at the end. The
recordings storage is a temporary directory (`DJANGO_RECORDINGS_ROOT`, set before Django starts,
so the model's FileFields and `storages["recordings"]` both use it), removed at the end. Only the
due recordings have files: a few bytes each, `calls/<2 hex>/<call id>-media.wav` and
`-transcript.vtt`, as `calls.services.recording_name` names them.

Each timed run starts from the same state: the due rows back to `available` with their file
names, their files written again and synced to disk if the last run deleted them,
`VACUUM (ANALYZE)` of the table and a `CHECKPOINT`. The order of the runs is reversed every other
round. Besides the product and the bare UPDATE, each round times a lean run that does the same
work without the product's machinery (the file names, `os.remove` per file on as many threads
as the product, one UPDATE). The memory
figures come from child processes (`--child`), one for the peak RSS (and the time) and one under
`tracemalloc`, each after a warm-up sweep that finds nothing. `--profile` breaks one product run
down with thin timing wrappers and then runs it under cProfile.

Targets (the issue): the product's rate at least 0.25 of the bare UPDATE's (median of per-round
ratios); its peak memory flat as the table grows.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench import common, database
from bench.generate import new_uuid, ts

# The median of per-round ratios, with the rounds' own.
summary = common.ratio_summary

BENCH_TOPIC = "bench: recording expiry"
RETENTION = timedelta(days=30)
# Recordings expire evenly over this window around `now`; the first PAST of it is due.
WINDOW = timedelta(days=150)
PAST = timedelta(days=30)
MEDIA_BYTES = b"RIFF\x24\x00\x00\x00WAVE"
TRANSCRIPT_BYTES = b"WEBVTT\n"

BARE_UPDATE = (
    "UPDATE calls_recording SET status = 'deleted', deleted_at = now() "
    "WHERE expires_at < %s AND status <> 'deleted'"
)
RESET = """
UPDATE calls_recording
SET status = 'available', deleted_at = NULL, provider_deleted_at = NULL, next_attempt_at = NULL,
    attempts = 0,
    media = 'calls/' || left(replace(call_id::text, '-', ''), 2) || '/' || call_id || '-media.wav',
    transcript = 'calls/' || left(replace(call_id::text, '-', ''), 2) || '/' || call_id
        || '-transcript.vtt'
WHERE expires_at < %s
"""
# The rows that are not due, their content and their row version: equal before and after a
# run only if no run wrote them.
FINGERPRINT = (
    "SELECT count(*), coalesce(sum(hashtext(r::text || ' ' || r.xmin::text)::bigint), 0) "
    "FROM calls_recording r WHERE expires_at >= %s"
)
CALL_COLUMNS = (
    "id topic status scheduled_for duration_minutes planned_end_at provider_meeting_id "
    "provider_join_url provider_host_id created_at started_at ended_at conversation_id host_id "
    "order_id"
)
RECORDING_COLUMNS = (
    "call_id attempts next_attempt_at status expires_at media media_type media_bytes transcript "
    "created_at available_at deleted_at provider_deleted_at"
)


# ---------------------------------------------------------------- the data
def remove_bench_calls(url: str) -> int:
    """The calls and recordings an earlier run of this script made (and nothing else)."""
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # our rows have no dependants
        cur.execute(
            "DELETE FROM calls_recording WHERE call_id IN "
            "(SELECT id FROM calls_call WHERE topic = %s)",
            [BENCH_TOPIC],
        )
        cur.execute("DELETE FROM calls_call WHERE topic = %s", [BENCH_TOPIC])
        removed = cur.rowcount
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) calls_call, calls_recording")
    return removed


def fill(url: str, rows: int, now: datetime, seed: int) -> None:
    """`rows` ended calls with a recording each, in the order they ended; the first fifth (in
    time) are due at `now`. Foreign keys point at generated conversations and their users."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fake data
    start = (now - PAST).timestamp()
    step = WINDOW.total_seconds() / rows
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        conversations = cur.execute(
            "SELECT id, user_low_id FROM marketplace_conversation ORDER BY id"
        ).fetchall()
        ids = [new_uuid(rng) for _ in range(rows)]
        cur.execute("SET session_replication_role = replica")  # checked below, once
        cur.execute("SET synchronous_commit = off")

        def calls() -> Iterator[tuple[object, ...]]:
            for i, call_id in enumerate(ids):
                conversation, host = conversations[i % len(conversations)]
                ended = start + (i + 0.5) * step - RETENTION.total_seconds()
                began = ended - 40 * 60
                yield (
                    call_id,
                    BENCH_TOPIC,
                    "ended",
                    ts(began),
                    40,
                    ts(ended),
                    call_id.replace("-", ""),
                    "/calls/room/" + call_id.replace("-", "") + "/",
                    "",
                    ts(began - 3600),
                    ts(began),
                    ts(ended),
                    conversation,
                    host,
                    None,
                )

        def recordings() -> Iterator[tuple[object, ...]]:
            for i, call_id in enumerate(ids):
                expires = start + (i + 0.5) * step
                ended = expires - RETENTION.total_seconds()
                yield (
                    call_id,
                    0,
                    None,
                    "available",
                    ts(expires),
                    file_name(call_id, "media.wav"),
                    "audio/wav",
                    len(MEDIA_BYTES),
                    file_name(call_id, "transcript.vtt"),
                    ts(ended),
                    ts(ended + 120),
                    None,
                    None,
                )

        database.copy_rows(cur, "calls_call", CALL_COLUMNS, calls())
        database.copy_rows(cur, "calls_recording", RECORDING_COLUMNS, recordings())
        database.check_foreign_keys(
            cur,
            (
                ("calls_call", "conversation_id", "marketplace_conversation", "id"),
                ("calls_call", "host_id", "accounts_user", "id"),
                ("calls_recording", "call_id", "calls_call", "id"),
            ),
        )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) calls_call, calls_recording")


def due_call_ids(url: str, now: datetime) -> list[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT call_id::text FROM calls_recording WHERE expires_at < %s ORDER BY call_id",
            [now],
        ).fetchall()
    return [row[0] for row in rows]


def file_name(call_id: str, suffix: str) -> str:
    """As `calls.services.recording_name` names a collected file."""
    return f"calls/{call_id.replace('-', '')[:2]}/{call_id}-{suffix}"


def write_files(root: Path, call_ids: Sequence[str]) -> None:
    """The due recordings' two files, a few bytes each (one data block), flushed to disk. On a
    thread pool: creating a file costs this file system a few hundred µs, mostly waiting."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC

    def write(call_id: str) -> None:
        for suffix, content in (("media.wav", MEDIA_BYTES), ("transcript.vtt", TRANSCRIPT_BYTES)):
            path = root / file_name(call_id, suffix)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, flags, 0o644)
            try:
                os.write(fd, content)
            finally:
                os.close(fd)

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, call_ids, chunksize=256))
    os.sync()


def count_files(root: Path) -> int:
    calls = root / "calls"
    if not calls.exists():
        return 0
    total = 0
    with os.scandir(calls) as folders:
        for folder in folders:
            with os.scandir(folder.path) as files:
                total += sum(1 for _ in files)
    return total


@dataclass
class Table:
    """The bench's recordings: where they are and what a reset restores."""

    url: str
    root: Path
    now: datetime
    rows: int = 0
    due: list[str] | None = None
    files_present: bool = False

    def build(self, rows: int, seed: int) -> float:
        began = time.perf_counter()
        remove_bench_calls(self.url)
        if (self.root / "calls").exists():
            shutil.rmtree(self.root / "calls")
        self.files_present = False
        fill(self.url, rows, self.now, seed)
        self.rows = rows
        self.due = due_call_ids(self.url, self.now)
        return time.perf_counter() - began

    @property
    def due_count(self) -> int:
        return len(self.due or [])

    def reset(self) -> None:
        """Every due row available with its file names again, their files on disk, the table
        vacuumed and the buffers checkpointed: each timed run meets the same state."""
        with psycopg.connect(self.url, autocommit=True) as conn:
            updated = conn.execute(RESET, [self.now]).rowcount
            if updated != self.due_count:
                raise SystemExit(f"reset {updated} rows, expected {self.due_count}")
            if not self.files_present:
                write_files(self.root, self.due or [])
                self.files_present = True
            conn.execute("VACUUM (ANALYZE) calls_recording")
            conn.execute("CHECKPOINT")

    def fingerprint(self) -> tuple[int, int]:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(FINGERPRINT, [self.now]).fetchone()
        if row is None:
            raise SystemExit("no fingerprint")
        return int(row[0]), int(row[1])

    def verify_product_run(self, untouched: tuple[int, int]) -> None:
        """After `expire_recordings`: every due row kept, deleted at `now`, its names cleared
        and its files gone; every other row exactly as before."""
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE expires_at < %(now)s), "
                "count(*) FILTER (WHERE expires_at < %(now)s AND status = 'deleted' "
                "AND deleted_at = %(now)s AND provider_deleted_at = %(now)s "
                "AND media = '' AND transcript = ''), "
                "count(*) FILTER (WHERE status = 'deleted') FROM calls_recording",
                {"now": self.now},
            ).fetchone()
        if row is None:
            raise SystemExit("no counts")
        total, due, expired, deleted = row
        problems = []
        if total != self.rows or due != self.due_count:
            problems.append(f"{total} rows ({due} due), expected {self.rows} ({self.due_count})")
        if expired != self.due_count or deleted != self.due_count:
            problems.append(f"{expired} due rows expired as expected, {deleted} deleted in all")
        files = count_files(self.root)
        if files:
            problems.append(f"{files} files left in the recordings storage")
        if self.fingerprint() != untouched:
            problems.append("rows that were not due changed")
        if problems:
            raise SystemExit("expire_recordings: " + "; ".join(problems))
        self.files_present = False


# ---------------------------------------------------------------- the measured runs
def run_product(now: datetime) -> tuple[float, int]:
    from calls.services import expire_recordings

    began = time.perf_counter()
    handled = expire_recordings(now=now)
    return time.perf_counter() - began, handled


def run_bare(now: datetime) -> tuple[float, int]:
    """The issue's yardstick: one UPDATE over the due rows, no files."""
    from django.db import connection

    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(BARE_UPDATE, [now])  # autocommit: the statement and its commit
        took = time.perf_counter() - began
        return took, cursor.rowcount


def run_lean(now: datetime, root: Path) -> tuple[float, int]:
    """The leanest honest way to do the product's work: read the due rows' file names, unlink
    the files on as many threads as the product uses, and one UPDATE that clears the names (no
    batches, no locks, no provider call, no storage API)."""
    from django.db import connection

    from calls.services import EXPIRY_WORKERS

    def remove(name: str) -> None:
        with suppress(FileNotFoundError):
            os.remove(root / name)

    began = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT media, transcript FROM calls_recording "
            "WHERE expires_at < %s AND status <> 'deleted'",
            [now],
        )
        names = [name for row in cursor.fetchall() for name in row if name]
        with ThreadPoolExecutor(max_workers=EXPIRY_WORKERS) as pool:
            list(pool.map(remove, names, chunksize=256))
        cursor.execute(
            "UPDATE calls_recording SET status = 'deleted', deleted_at = %s, "
            "provider_deleted_at = %s, media = '', transcript = '', next_attempt_at = NULL "
            "WHERE expires_at < %s AND status <> 'deleted'",
            [now, now, now],
        )
        handled = cursor.rowcount
    return time.perf_counter() - began, handled


def ours(backend_pids: set[int]) -> Callable[[int, int, str], bool]:
    """This process and the database server's (our backend, the checkpointer, the WAL writer,
    autovacuum): everything else counts as other load during a run."""
    me = os.getpid()

    def check(pid: int, ppid: int, command: str) -> bool:
        return pid == me or ppid == me or pid in backend_pids or command.startswith("postgres")

    return check


# ---------------------------------------------------------------- where the time goes
@dataclass
class Breakdown:
    """Wall time inside the storage's deletes, the provider's, and each kind of SQL statement
    (driver and server), measured with thin wrappers; the rest is the ORM, the commits (which
    bypass `execute_wrapper`) and Python."""

    files: float = 0.0
    provider: float = 0.0
    sql: dict[str, list[float]] = field(default_factory=dict)

    @staticmethod
    def kind(sql: str) -> str:
        if sql.startswith("UPDATE"):
            return "UPDATE the batch"
        if "FOR UPDATE" in sql:
            return "claim a batch (SELECT … FOR UPDATE SKIP LOCKED)"
        if sql.startswith(('SELECT 1 AS "a"', 'SELECT %s AS "a"')):  # exists(): Value(1)
            return "check none of the batch is still due (EXISTS)"
        if '"calls_call"' in sql.split("WHERE")[0]:
            return "meeting ids of the batch (calls_call)"
        return "other"


def breakdown(table: Table) -> tuple[float, Breakdown]:
    from django.db import connection

    from calls.models import recordings_storage
    from calls.providers import video

    result = Breakdown()
    storage = recordings_storage()
    backend = video()
    real_delete, real_provider = storage.delete, backend.delete_recordings

    def timed_delete(name: str) -> None:
        began = time.perf_counter()
        real_delete(name)
        result.files += time.perf_counter() - began

    def timed_provider(meeting_id: str) -> None:
        began = time.perf_counter()
        real_provider(meeting_id)
        result.provider += time.perf_counter() - began

    def timed_sql(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            result.sql.setdefault(Breakdown.kind(sql), []).append(time.perf_counter() - began)

    table.reset()
    untouched = table.fingerprint()
    storage.delete = timed_delete  # type: ignore[method-assign]
    backend.delete_recordings = timed_provider  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(timed_sql):
            took, _ = run_product(table.now)
    finally:
        del storage.delete, backend.delete_recordings  # back to the class's methods
    table.verify_product_run(untouched)
    return took, result


def print_breakdown(label: str, took: float, parts: Breakdown, rows: int) -> None:
    print(f"\nWhere {label}'s {took:.1f} s go ({rows:,} rows, thin wrappers, no profiler):")
    print("| Part | Calls | Seconds | Share | µs per row |")
    print("|---|---:|---:|---:|---:|")
    lines: list[tuple[str, int, float]] = []
    lines.append(("storage.delete (2 files a row)", 2 * rows, parts.files))
    lines.append(("video().delete_recordings (local backend: no-op)", rows, parts.provider))
    for kind, times in sorted(parts.sql.items(), key=lambda item: -sum(item[1])):
        lines.append((kind, len(times), sum(times)))
    accounted = sum(seconds for _, _, seconds in lines)
    lines.append(("the rest: ORM, commits, Python", 0, took - accounted))
    for text, calls, seconds in lines:
        print(
            f"| {text} | {calls:,} | {seconds:.2f} | {100 * seconds / took:.0f} % | "
            f"{1e6 * seconds / rows:.1f} |"
        )
    claims = parts.sql.get("claim a batch (SELECT … FOR UPDATE SKIP LOCKED)", [])
    if len(claims) >= 20:
        tenth = len(claims) // 10
        first, last = claims[:tenth], claims[-tenth - 1 : -1]
        print(
            f"claim query, first tenth of the batches: {1e3 * common.median(first):.1f} ms; "
            f"last tenth: {1e3 * common.median(last):.1f} ms (median)"
        )


def profile(table: Table, top: int) -> None:
    table.reset()
    untouched = table.fingerprint()
    profiler = cProfile.Profile()
    profiler.enable()
    took, handled = run_product(table.now)
    profiler.disable()
    table.verify_product_run(untouched)
    print(f"\ncProfile of expire_recordings: {handled:,} rows in {took:.1f} s (with profiling)")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)


# ---------------------------------------------------------------- memory, in a fresh process
def peak_rss_kib() -> int:
    """This process's peak resident set (VmHWM). Not `ru_maxrss`: Linux carries that over from
    the parent across fork and exec, so a child would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(now: datetime, traced: bool) -> None:
    """One `expire_recordings` in a fresh process, after a warm-up sweep that finds nothing:
    its time and memory, as one JSON line."""
    common.setup_django()
    from calls.services import expire_recordings

    expire_recordings(now=now - timedelta(days=3650))  # imports, connection, query compiler
    before_kib = peak_rss_kib()
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    handled = expire_recordings(now=now)
    took = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after_kib = peak_rss_kib()
    print(
        "RESULT "
        + json.dumps(
            {
                "handled": handled,
                "seconds": took,
                "peak_rss_before_kib": before_kib,
                "peak_rss_after_kib": after_kib,
                "tracemalloc_peak": peak,
            }
        )
    )


def in_child(table: Table, traced: bool) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.recording_expiry", "--child", table.now.isoformat()]
    if traced:
        args.append("--traced")
    env = {**os.environ, "DJANGO_RECORDINGS_ROOT": str(table.root)}
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        args, cwd=common.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    raise SystemExit(f"the child run failed:\n{done.stdout}\n{done.stderr}")


def memory_at(table: Table) -> dict[str, Any]:
    """Peak RSS growth of a plain child run, and the tracemalloc peak of a traced one."""
    results: dict[str, Any] = {}
    for traced in (False, True):
        table.reset()
        untouched = table.fingerprint()
        result = in_child(table, traced)
        if result["handled"] != table.due_count:
            raise SystemExit(f"the child expired {result['handled']} of {table.due_count}")
        table.verify_product_run(untouched)
        results["traced" if traced else "plain"] = result
    return results


# ---------------------------------------------------------------- main
LABELS = {
    "product": "`expire_recordings` (files, provider call, rows)",
    "bare": "bare `UPDATE … WHERE expires_at < now` (the yardstick)",
    "lean": "lean: SELECT the names, `os.remove` each file (same threads), one UPDATE",
}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recording expiry benchmark (J-1).")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tmp", default=None, help="where to make the recordings directory")
    parser.add_argument("--no-lean", action="store_true", help="skip the lean baseline")
    parser.add_argument(
        "--profile", action="store_true", help="also break one product run down, and cProfile it"
    )
    parser.add_argument("--keep", action="store_true", help="leave the calls in the database")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)
    if args.child:
        child(datetime.fromisoformat(args.child), args.traced)
        return

    if os.environ.get("RECORDINGS_STORAGE_BACKEND", "").strip():
        raise SystemExit("Unset RECORDINGS_STORAGE_BACKEND: the bench measures the file system.")
    root = Path(tempfile.mkdtemp(prefix="bench-recordings-", dir=args.tmp))
    os.environ["DJANGO_RECORDINGS_ROOT"] = str(root)
    began = time.perf_counter()
    url = common.database_url()
    try:
        measure(args, url, root)
    finally:
        if not args.keep:
            removed = remove_bench_calls(url)
            print(f"Removed the {removed:,} bench calls and their recordings.")
        shutil.rmtree(root, ignore_errors=True)
        print(f"Removed {root}. Whole run: {time.perf_counter() - began:.0f} s")


def measure(args: argparse.Namespace, url: str, root: Path) -> None:
    common.setup_django()
    from django.core.files.storage import storages
    from django.db import connection

    from calls.models import Recording

    for storage in (storages["recordings"], Recording._meta.get_field("media").storage):
        if Path(getattr(storage, "location", "")) != root:
            raise SystemExit(f"the recordings storage is not {root}: {storage}")
    now = datetime.now(UTC).replace(microsecond=0)
    table = Table(url=url, root=root, now=now)

    # Memory at a tenth of the table, then at the full size.
    memory: dict[int, dict[str, Any]] = {}
    sizes: dict[int, int] = {}
    for rows in (args.small_rows, args.rows):
        took = table.build(rows, args.seed)
        print(f"{rows:,} recordings ({table.due_count:,} due) made in {took:.1f} s", flush=True)
        sizes[rows] = table.due_count
        memory[rows] = memory_at(table)
        print(f"  memory measured: {json.dumps(memory[rows])}", flush=True)

    busy_before = common.settle(args.wait_quiet)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    other = common.OtherLoad(ours({int(row[0])} if row else set()))
    labels = ["product", "bare"] + ([] if args.no_lean else ["lean"])
    runners: dict[str, Callable[[], tuple[float, int]]] = {
        "product": lambda: run_product(now),
        "bare": lambda: run_bare(now),
        "lean": lambda: run_lean(now, root),
    }
    runs: dict[str, list[float]] = {label: [] for label in labels}
    loads: dict[str, list[float]] = {label: [] for label in labels}
    resets = 0.0
    for index in range(args.rounds):
        for label in labels if index % 2 == 0 else reversed(labels):
            reset_began = time.perf_counter()
            table.reset()
            untouched = table.fingerprint()
            resets += time.perf_counter() - reset_began
            common.settle(min(60.0, args.wait_quiet))  # each run, too, when the machine is idle
            other.start()
            took, handled = runners[label]()
            loads[label].append(other.stop())
            if handled != table.due_count:
                raise SystemExit(f"{label} handled {handled:,} of {table.due_count:,}")
            if label != "bare":  # every other way deletes the files too
                table.verify_product_run(untouched)
            runs[label].append(took)
            print(f"  round {index + 1}: {label} {took:.2f} s", flush=True)
    print(f"  (resets between runs: {resets:.0f} s in all)")

    if args.profile:
        print_breakdown("expire_recordings", *breakdown(table), table.due_count)
        profile(table, top=25)
    table.reset()  # the rows as made, for --keep

    due = table.due_count
    rates = {label: [due / took for took in took_list] for label, took_list in runs.items()}
    ratios = functools.partial(common.rate_ratios, rates)

    common.print_report_header(busy_before)
    print(
        f"| Expiring {due:,} due among {table.rows:,} | Rounds | Median (s) | min-max (s) "
        "| rows/s (median) | Other load (% of a core, max) |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for label in labels:
        took_list = runs[label]
        print(
            f"| {LABELS[label]} | {len(took_list)} | {common.median(took_list):.2f} | "
            f"{min(took_list):.2f}-{max(took_list):.2f} | {common.median(rates[label]):,.0f} | "
            f"{max(loads[label]):.0f} |"
        )
    common.print_memory_table("Table", "Due", memory, sizes)
    target = ratios("product", "bare")
    print()
    print(f"product rate / bare UPDATE rate: {summary(target)} (target ≥ 0.25)")
    if "lean" in rates:
        print(f"lean (files + UPDATE) rate / bare UPDATE rate: {summary(ratios('lean', 'bare'))}")
        print(f"product rate / lean rate: {summary(ratios('product', 'lean'))}")
    small, big = memory[args.small_rows], memory[args.rows]
    peak_ratio = big["traced"]["tracemalloc_peak"] / small["traced"]["tracemalloc_peak"]
    flat_memory = peak_ratio <= 1.5
    print(
        f"tracemalloc peak at {args.rows:,} rows / at {args.small_rows:,}: {peak_ratio:.2f} "
        "(flat: ≤ 1.5)"
    )
    met = common.median(target) >= 0.25 and flat_memory
    print("Targets met." if met else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
