"""Recording expiry (J-1): `calls.services.expire_recordings` deleting 200,000 due recordings
(their media and transcript files included) among 1,000,000, against a bare SQL
`UPDATE … WHERE expires_at < now` over the same rows in the same run; and the sweep's peak memory
at a table of 100,000 rows (20,000 due) and of 1,000,000 (200,000 due).

    .venv/bin/python -m bench.recording_expiry [--rows 1000000] [--small-rows 100000]
                                               [--rounds 4] [--profile] [--experiment]

Needs the bench database (`python -m bench.generate`). The script makes its own calls: it deletes
the calls and recordings it made before (topic `BENCH_TOPIC`), copies new ones in with COPY (one
ended call per recording, spread over the generated conversations, expiring evenly over 150 days
of which the first 30 are past, so a fifth are due), and deletes them again at the end. The
recordings storage is a temporary directory (`DJANGO_RECORDINGS_ROOT`, set before Django starts,
so the model's FileFields and `storages["recordings"]` both use it), removed at the end. Only the
due recordings have files: a few bytes each, `calls/<call id>/media.wav` and `transcript.vtt`, as
`collect_recording` names them.

Each timed run starts from the same state: the due rows back to `available` with their file
names, their files written again (and synced) if the last run deleted them, `VACUUM (ANALYZE)` of
the table and a `CHECKPOINT`. The order of the two runs alternates by round. The memory figures
come from child processes (`--child`), one for `ru_maxrss` (and the time) and one under
`tracemalloc`, each after a warm-up sweep that finds nothing.

Target (the issue): the product's rate ≥ 0.25 × the bare UPDATE's (median of per-round ratios),
its peak memory flat as the table grows.
"""

from __future__ import annotations

import argparse
import cProfile
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
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from bench import common, database
from bench.generate import new_uuid, ts

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
    attempts = 0, media = 'calls/' || call_id || '/media.wav',
    transcript = 'calls/' || call_id || '/transcript.vtt'
WHERE expires_at < %s
"""
# The rows that are not due, their content and their row version: equal before and after a
# run only if no run wrote them.
FINGERPRINT = (
    "SELECT count(*), coalesce(sum(hashtext(r::text || ' ' || r.xmin::text)::bigint), 0) "
    "FROM calls_recording r WHERE expires_at >= %s"
)
CALL_COLUMNS = (
    "id topic status scheduled_for duration_minutes provider_meeting_id provider_join_url "
    "created_at started_at ended_at conversation_id host_id order_id"
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
                    call_id.replace("-", ""),
                    "/calls/room/" + call_id.replace("-", "") + "/",
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
                    f"calls/{call_id}/media.wav",
                    "audio/wav",
                    len(MEDIA_BYTES),
                    f"calls/{call_id}/transcript.vtt",
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


def write_files(root: Path, call_ids: Sequence[str]) -> None:
    """The due recordings' two files, a few bytes each, flushed to disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for call_id in call_ids:
        folder = root / "calls" / call_id
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in (("media.wav", MEDIA_BYTES), ("transcript.vtt", TRANSCRIPT_BYTES)):
            fd = os.open(folder / name, flags, 0o644)
            try:
                os.write(fd, content)
            finally:
                os.close(fd)
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
        assert row is not None
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
        assert row is not None
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
    from django.db import connection

    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(BARE_UPDATE, [now])  # autocommit: the statement and its commit
        took = time.perf_counter() - began
        return took, cursor.rowcount


def ours(backend_pids: set[int]) -> Callable[[int, int, str], bool]:
    """This process and the database server's (our backend, the checkpointer, the WAL writer,
    autovacuum): everything else counts as other load during a run."""
    me = os.getpid()

    def check(pid: int, ppid: int, command: str) -> bool:
        return pid == me or ppid == me or pid in backend_pids or command.startswith("postgres")

    return check


def child(now: datetime, traced: bool) -> None:
    """One `expire_recordings` in a fresh process, after a warm-up sweep that finds nothing:
    its time and memory, as one JSON line."""
    common.setup_django()
    from calls.services import expire_recordings

    expire_recordings(now=now - timedelta(days=3650))  # imports, connection, query compiler
    before_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    handled = expire_recordings(now=now)
    took = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    after_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        "RESULT "
        + json.dumps(
            {
                "handled": handled,
                "seconds": took,
                "maxrss_before_kib": before_kib,
                "maxrss_after_kib": after_kib,
                "tracemalloc_peak": peak,
            }
        )
    )


def in_child(table: Table, traced: bool) -> dict[str, Any]:
    args = [sys.executable, "-m", "bench.recording_expiry", "--child", table.now.isoformat()]
    if traced:
        args.append("--traced")
    env = {**os.environ, "DJANGO_RECORDINGS_ROOT": str(table.root)}
    done = subprocess.run(
        args, cwd=common.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    raise SystemExit(f"the child run failed:\n{done.stdout}\n{done.stderr}")


def memory_at(table: Table) -> dict[str, Any]:
    """ru_maxrss growth of a plain child run, and the tracemalloc peak of a traced one."""
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


# ---------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recording expiry benchmark (J-1).")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tmp", default=None, help="where to make the recordings directory")
    parser.add_argument("--profile", action="store_true", help="also profile one product run")
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
        print(f"{rows:,} recordings ({table.due_count:,} due) made in {took:.1f} s")
        sizes[rows] = table.due_count
        memory[rows] = memory_at(table)

    if args.profile:
        profile(table, top=25)

    busy_before = common.settle(args.wait_quiet)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = {int(cursor.fetchone()[0])}
    other = common.OtherLoad(ours(backend))
    runs: dict[str, list[float]] = {"product": [], "bare": []}
    loads: dict[str, list[float]] = {"product": [], "bare": []}
    for index in range(args.rounds):
        order = ["product", "bare"] if index % 2 == 0 else ["bare", "product"]
        for label in order:
            table.reset()
            untouched = table.fingerprint()
            other.start()
            took, handled = (run_product if label == "product" else run_bare)(now)
            loads[label].append(other.stop())
            if handled != table.due_count:
                raise SystemExit(f"{label} handled {handled:,} of {table.due_count:,}")
            if label == "product":
                table.verify_product_run(untouched)
            runs[label].append(took)
    table.reset()  # the rows as made, for --keep

    due = table.due_count
    rates = {label: [due / took for took in took_list] for label, took_list in runs.items()}
    ratios = [p / b for p, b in zip(rates["product"], rates["bare"], strict=True)]
    print()
    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) before the timed rounds: {busy_before:.0f} %")
    print()
    print(f"| Expiring {due:,} due among {table.rows:,} | Rounds | Median (s) | min-max (s) "
          "| rows/s (median) | Other load (% of a core, max) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, text in (
        ("product", "`expire_recordings` (files, provider, rows)"),
        ("bare", "bare `UPDATE … WHERE expires_at < now`"),
    ):
        took_list = runs[label]
        print(
            f"| {text} | {len(took_list)} | {common.median(took_list):.2f} | "
            f"{min(took_list):.2f}-{max(took_list):.2f} | {common.median(rates[label]):,.0f} | "
            f"{max(loads[label]):.0f} |"
        )
    print()
    print("| Table | Due | Time (s) | ru_maxrss before (MiB) | growth (MiB) | tracemalloc peak (MiB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for rows, result in memory.items():
        plain, traced = result["plain"], result["traced"]
        growth = (plain["maxrss_after_kib"] - plain["maxrss_before_kib"]) / 1024
        print(
            f"| {rows:,} | {sizes[rows]:,} | {plain['seconds']:.2f} | "
            f"{plain['maxrss_before_kib'] / 1024:.1f} | {growth:.1f} | "
            f"{traced['tracemalloc_peak'] / 2**20:.1f} |"
        )
    ratio = common.median(ratios)
    print()
    print(
        f"product rate / bare rate, median of per-round ratios: {ratio:.3f} "
        f"(target ≥ 0.25; rounds: {', '.join(f'{r:.3f}' for r in ratios)})"
    )
    small, big = memory[args.small_rows]["traced"], memory[args.rows]["traced"]
    flat_memory = big["tracemalloc_peak"] <= 1.5 * small["tracemalloc_peak"]
    print(
        f"tracemalloc peak at {args.rows:,} rows / at {args.small_rows:,}: "
        f"{big['tracemalloc_peak'] / small['tracemalloc_peak']:.2f} (flat: ≤ 1.5)"
    )
    print("Targets met." if ratio >= 0.25 and flat_memory else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
