"""What the benchmark scripts share: where the bench database is, who the special users are, and
how to summarise timings."""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/marketplace_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
BASE_DIR = Path(__file__).resolve().parent.parent

# The generator gives these users fixed roles; the benchmarks look them up by e-mail.
BIG_SELLER_EMAIL = "big-seller@bench.test"  # 100,000 orders
SMALL_SELLER_EMAIL = "small-seller@bench.test"  # 100 orders
CHAT_BUYER_EMAIL = "chat-buyer@bench.test"  # thousands of messages with the big seller
# Every generated user has this password (hashed once).
PASSWORD = "bench-pass-2026"  # noqa: S105 - a throw-away benchmark database


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def setup_django() -> None:
    """Configure Django with the bench settings (production mode, the bench database, Redis)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty sample."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def ratio_summary(values: list[float], digits: int = 3) -> str:
    """The median of per-round ratios, with the rounds' own."""
    rounds = ", ".join(f"{value:.{digits}f}" for value in values)
    return f"{median(values):.{digits}f} (rounds: {rounds})"


def print_memory_table(
    size_label: str, work_label: str, memory: Mapping[int, Any], work: Mapping[int, int]
) -> float:
    """The memory table of a sweep measured in child processes at two sizes (each result has
    a "plain" run with the peak RSS and a "traced" one with the tracemalloc peak); returns
    the traced peaks' ratio, big over small (flat: ≤ 1.5)."""
    print()
    print(
        f"| {size_label} | {work_label} | Time (s) | Peak RSS before (MiB) "
        "| Peak RSS growth (MiB) | tracemalloc peak (MiB) |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for size, result in memory.items():
        plain, traced = result["plain"], result["traced"]
        growth = (plain["peak_rss_after_kib"] - plain["peak_rss_before_kib"]) / 1024
        print(
            f"| {size:,} | {work[size]:,} | {plain['seconds']:.2f} | "
            f"{plain['peak_rss_before_kib'] / 1024:.1f} | {growth:.1f} | "
            f"{traced['tracemalloc_peak'] / 2**20:.1f} |"
        )
    small, big = (memory[size] for size in sorted(memory))
    ratio: float = big["traced"]["tracemalloc_peak"] / max(1, small["traced"]["tracemalloc_peak"])
    return ratio


def machine() -> str:
    """One line describing where the numbers were measured."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} cores ({cpu}), {system}, Python {platform.python_version()}"


def git_revision() -> str:
    # A run from an exported copy of a commit (`git archive`) is no repository: say which.
    if os.environ.get("BENCH_REVISION"):
        return os.environ["BENCH_REVISION"]
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607 - git from PATH, fixed args
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return out.stdout.strip() + (" (with uncommitted changes)" if dirty else "")


def cpu_busy(seconds: float = 1.0) -> float:
    """Percent of all CPUs busy over `seconds` (from /proc/stat), before a benchmark starts: on a
    2-core machine anything else running (a test suite, a build) skews the numbers."""
    import time

    def sample() -> tuple[int, int]:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields), idle

    try:
        total_a, idle_a = sample()
        time.sleep(seconds)
        total_b, idle_b = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    total = total_b - total_a
    return 0.0 if total <= 0 else 100.0 * (1 - (idle_b - idle_a) / total)


def add_wait_quiet(parser: argparse.ArgumentParser) -> None:
    """The option every benchmark has: how long to wait for the machine to be idle first."""
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=300,
        help="seconds to wait for other load on the machine to stop before measuring",
    )


def settle(max_wait: float = 300.0, limit: float = 10.0) -> float:
    """Wait up to `max_wait` seconds for the machine to be quiet (under `limit` % busy) and
    return how busy it was last; warn if it never was."""
    import time

    deadline = time.monotonic() + max_wait
    busy = cpu_busy()
    while busy > limit and time.monotonic() < deadline:
        busy = cpu_busy(2.0)
    if busy > limit:
        print(
            f"WARNING: the machine is {busy:.0f} % busy before the benchmark starts; numbers "
            "are not comparable. Run it when nothing else is running."
        )
    return busy


def process_ticks() -> dict[int, tuple[int, int, str]]:
    """Every process's CPU time so far, in clock ticks: pid -> (ticks, parent pid, command)."""
    found: dict[int, tuple[int, int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # After the command name in parentheses: state, ppid, …, utime (12th), stime (13th).
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[11]) + int(fields[12]), int(fields[1]), command)
    return found


class OtherLoad:
    """How much CPU processes that are not the benchmark's used during an interval, in percent
    of one core. `ours(pid, ppid, command)` says which processes belong to the benchmark."""

    def __init__(self, ours: Callable[[int, int, str], bool]) -> None:
        self.ours = ours
        self.before: dict[int, tuple[int, int, str]] = {}
        self.started = 0.0

    def start(self) -> None:
        import time

        self.before = process_ticks()
        self.started = time.monotonic()

    def stop(self) -> float:
        import time

        after = process_ticks()
        seconds = time.monotonic() - self.started
        ticks = 0
        for pid, (now, ppid, command) in after.items():
            if self.ours(pid, ppid, command):
                continue
            ticks += now - self.before.get(pid, (0, 0, ""))[0]
        per_second = os.sysconf("SC_CLK_TCK")
        return 0.0 if seconds <= 0 else 100.0 * ticks / per_second / seconds


def interleaved(
    functions: Mapping[str, Callable[[], object]], *, rounds: int, calls: int, warmup: int
) -> dict[str, list[list[float]]]:
    """Run every function `calls` times per round, the functions' order reversed every other
    round, and keep each round's timings (ms) apart: a ratio is then taken within a round, where
    both sides met the same machine, not between medians of different moments."""
    for function in functions.values():
        for _ in range(warmup):
            function()
    import time

    samples: dict[str, list[list[float]]] = {label: [] for label in functions}
    order = list(functions)
    for index in range(rounds):
        for label in order if index % 2 == 0 else reversed(order):
            timings = []
            for _ in range(calls):
                began = time.perf_counter_ns()
                functions[label]()
                timings.append((time.perf_counter_ns() - began) / 1e6)
            samples[label].append(timings)
    return samples


def print_report_header(busy_before: float) -> None:
    """The lines every report starts with: the machine, the revision, how busy it was."""
    print()
    print(f"Machine: {machine()}; revision {git_revision()}")
    print(f"CPU busy (all cores) before the timed rounds: {busy_before:.0f} %")
    print()


def rate_ratios(rates: Mapping[str, list[float]], top: str, bottom: str) -> list[float]:
    """top / bottom of the rates, round by round."""
    return [t / b for t, b in zip(rates[top], rates[bottom], strict=True)]


def round_ratios(
    samples: dict[str, list[list[float]]], numerator: str, denominator: str
) -> list[float]:
    """numerator / denominator of the round medians, round by round."""
    return [
        median(top) / median(bottom)
        for top, bottom in zip(samples[numerator], samples[denominator], strict=True)
    ]


def flat(rounds: list[list[float]]) -> list[float]:
    return [value for timings in rounds for value in timings]
