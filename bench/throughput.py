"""Conversation API throughput: the product's `GET /api/conversations/{id}/messages/` (a page of
50 messages) against two bench-only endpoints (bench/views.py), in the same run, served by the
same gunicorn, loaded by the same `wrk` with the same concurrency:

  (a) a bare DRF APIView returning a constant (no authentication, no database);
  (b) the lean way to do the same work: a plain DRF ListAPIView returning the same 50
      messages of the same conversation, with the same token authentication and serializer,
      running only the queries that serializer needs, and none of the product's logic.

    .venv/bin/python -m bench.throughput [--duration 10] [--rounds 12] [--connections 4]

gunicorn runs the project's own `gunicorn.conf.py` (2 sync workers, access log on) with
`bench.settings` (production mode: DEBUG off, Redis cache, persistent Postgres connections) on
a free port of 127.0.0.1. `wrk` (C, one thread, keep-alive where the server allows it) is the
load generator: on a 2-core machine it costs the least CPU of the candidates, and the CPU it
does take is taken from every endpoint alike. Each round runs the three endpoints one after
the other, the order alternating; product / (b) is taken within each round (the two runs are
seconds apart) and the report gives the median of those per-round ratios, leaving out rounds
during which other processes on the machine took CPU. Target (the issue): product ≥ 0.9 x (b).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench import common

LOG_DIR = common.BASE_DIR / "var" / "bench"


@dataclass(frozen=True)
class Run:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    # CPU used by processes outside the benchmark during the run, in % of one core.
    other_load: float


@dataclass
class Endpoint:
    key: str
    label: str
    path: str
    authenticated: bool
    runs: list[Run] = field(default_factory=list)
    queries: int = 0
    in_process_ms: float = 0.0


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise ValueError(f"unexpected wrk duration {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def run_wrk(
    wrk: str, url: str, *, duration: int, connections: int, threads: int, headers: list[str]
) -> WrkResult:
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(  # noqa: S603 - wrk found on PATH, arguments built here
        [*command, url], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    total = re.search(r"(\d+) requests in", out)
    if not (rate and p50 and p99 and total):
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    errors = " ".join(
        line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line
    )
    return WrkResult(float(rate[1]), _ms(p50[1]), _ms(p99[1]), int(total[1]), errors)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - http://127.0.0.1 only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as error:
        return int(error.code), bytes(error.read())


def start_gunicorn(port: int, workers: int, log: Path, app: str) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
            [str(gunicorn), app, "--config", "gunicorn.conf.py"],
            cwd=common.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def stop_gunicorn(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


def wait_until_up(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            if get(f"{base}/bench/constant/", {})[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within 30 s; see {log}")


def in_process(endpoints: list[Endpoint], auth: dict[str, str], calls: int) -> dict[str, Any]:
    """Queries per request, and the median time of one request through Django's test client
    (no HTTP server, no load generator): the CPU cost of each endpoint on its own."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    bodies: dict[str, Any] = {}
    for endpoint in endpoints:
        headers = auth if endpoint.authenticated else {}
        response = client.get(endpoint.path, headers=headers)  # also marks the conversation read
        if response.status_code != 200:
            raise SystemExit(f"{endpoint.path}: {response.status_code} {response.content[:300]!r}")
        bodies[endpoint.key] = response.json()
        with CaptureQueriesContext(connection) as captured:
            client.get(endpoint.path, headers=headers)
        endpoint.queries = len(captured.captured_queries)
        samples = []
        for _ in range(calls):
            began = time.perf_counter_ns()
            client.get(endpoint.path, headers=headers)
            samples.append((time.perf_counter_ns() - began) / 1e6)
        endpoint.in_process_ms = common.median(samples)
    return bodies


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Conversation API throughput (gunicorn + wrk).")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint and round")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=5, help="seconds per endpoint, unreported")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--in-process-calls", type=int, default=300)
    common.add_wait_quiet(parser)
    parser.add_argument(
        "--max-other-load",
        type=float,
        default=10,
        help="runs during which other processes used more than this %% of one core are left out",
    )
    parser.add_argument(
        "--app",
        default="config.wsgi:application",
        help="WSGI application for gunicorn (to measure a candidate change from a scratch copy)",
    )
    args = parser.parse_args(argv)

    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (bench/run.sh tries).")

    common.setup_django()
    busy_before = common.settle(args.wait_quiet)
    from django.db import connection

    from accounts.models import User
    from accounts.services import create_api_token
    from marketplace.models import Conversation

    buyer = User.objects.get(email=common.CHAT_BUYER_EMAIL)
    seller = User.objects.get(email=common.BIG_SELLER_EMAIL)
    low, high = sorted((buyer.pk, seller.pk))
    conversation = Conversation.objects.get(user_low_id=low, user_high_id=high)
    token = create_api_token(buyer, actor=buyer)[1]
    message_count = conversation.messages.count()
    auth = {"Authorization": f"Token {token}"}

    endpoints = [
        Endpoint("a", "(a) bare DRF APIView, constant", "/bench/constant/", authenticated=False),
        Endpoint(
            "b",
            "(b) plain ListAPIView, same 50 messages",
            f"/bench/conversations/{conversation.pk}/messages/",
            authenticated=True,
        ),
        Endpoint(
            "product",
            "product GET /api/conversations/{id}/messages/",
            f"/api/conversations/{conversation.pk}/messages/",
            authenticated=True,
        ),
    ]
    bodies = in_process(endpoints, auth, args.in_process_calls)
    if bodies["product"]["results"] != bodies["b"]:
        raise SystemExit("(b) does not return the product's first page; the comparison is off.")
    connection.close()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = LOG_DIR / "gunicorn.log"
    server = start_gunicorn(port, args.workers, log, args.app)
    database = urlsplit(common.database_url()).path.lstrip("/")

    def ours(pid: int, ppid: int, command: str) -> bool:
        """gunicorn and its workers, this script, wrk, and Postgres working for the bench DB."""
        return (
            pid in (os.getpid(), server.pid)
            or ppid == server.pid
            or f" {database} " in command
            or command.split(" ", 1)[0].endswith("/wrk")
        )

    other = common.OtherLoad(ours)
    try:
        wait_until_up(base, server, log)
        for endpoint in endpoints:
            status, body = get(base + endpoint.path, auth if endpoint.authenticated else {})
            if status != 200:
                raise SystemExit(f"{endpoint.path} answered {status}: {body[:300]!r}")
            if endpoint.key == "product" and len(json.loads(body)["results"]) != 50:
                raise SystemExit("the product's page is not 50 messages")

        def load(endpoint: Endpoint, seconds: int) -> WrkResult:
            headers = [f"Authorization: Token {token}"] if endpoint.authenticated else []
            result = run_wrk(
                wrk,
                base + endpoint.path,
                duration=seconds,
                connections=args.connections,
                threads=args.threads,
                headers=headers,
            )
            if result.errors and "Non-2xx" in result.errors:
                raise SystemExit(f"{endpoint.path}: {result.errors}")
            return result

        for endpoint in endpoints:
            load(endpoint, args.warmup)
        for round_number in range(1, args.rounds + 1):
            busy = common.settle(args.wait_quiet)
            print(f"round {round_number}: machine {busy:.0f} % busy before the round", flush=True)
            # Alternate the order so no endpoint always runs first (or right after another).
            order = endpoints if round_number % 2 else endpoints[::-1]
            for endpoint in order:
                other.start()
                result = load(endpoint, args.duration)
                other_load = other.stop()
                endpoint.runs.append(
                    Run(result.requests_per_second, result.p50_ms, result.p99_ms, other_load)
                )
                print(
                    f"round {round_number} {endpoint.key:8} {result.requests_per_second:8.1f} "
                    f"req/s  p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms  "
                    f"other load {other_load:4.0f} % of a core"
                    + (f"  [{result.errors}]" if result.errors else ""),
                    flush=True,
                )
    finally:
        stop_gunicorn(server)

    print()
    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print(
        f"gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s x {args.rounds} rounds; conversation of {message_count:,} messages"
    )
    print()
    print(
        f"Runs with other processes above {args.max_other_load:.0f} % of a core are left out "
        "of the medians (counted in the 'runs kept' column)."
    )
    print()
    print(
        "| Endpoint | req/s (median) | min-max | runs kept | p50 (ms) | p99 (ms) "
        "| Queries per request | In-process median (ms) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    rate: dict[str, float] = {}
    for e in endpoints:
        kept = [r for r in e.runs if r.other_load <= args.max_other_load]
        if not kept:
            print(f"WARNING: every run of {e.key} had other load; using all of them.")
            kept = e.runs
        rates = [r.requests_per_second for r in kept]
        rate[e.key] = common.median(rates)
        print(
            f"| {e.label} | {rate[e.key]:,.0f} | {min(rates):,.0f}-{max(rates):,.0f} "
            f"| {len(kept)}/{len(e.runs)} | {common.median([r.p50_ms for r in kept]):.2f} "
            f"| {common.median([r.p99_ms for r in kept]):.2f} "
            f"| {e.queries} | {e.in_process_ms:.2f} |"
        )
    print()
    by_key = {e.key: e for e in endpoints}
    paired = [
        p.requests_per_second / b.requests_per_second
        for p, b in zip(by_key["product"].runs, by_key["b"].runs, strict=True)
        if max(p.other_load, b.other_load) <= args.max_other_load
    ] or [
        p.requests_per_second / b.requests_per_second
        for p, b in zip(by_key["product"].runs, by_key["b"].runs, strict=True)
    ]
    ratio_b = common.median(paired)
    print(
        f"product / (b), median of per-round ratios: {ratio_b:.2f} (target ≥ 0.9); rounds: "
        + ", ".join(f"{r:.2f}" for r in paired)
    )
    print(f"(ratio of the medians above, for reference: {rate['product'] / rate['b']:.2f})")
    print(f"product / (a): {rate['product'] / rate['a']:.3f}")
    print(f"(b) / (a): {rate['b'] / rate['a']:.3f}")
    print("Target met." if ratio_b >= 0.9 else "TARGET NOT MET.")


if __name__ == "__main__":
    main()
