"""Gig list and search latency: `GET /api/gigs/?q=…` through Django's test client (the whole
request in-process: middleware, DRF, the query, serialization of a 20-gig page), anonymous.

    .venv/bin/python -m bench.gig_search [--calls 50]

Search is `icontains` on title and description (`UPPER(…) LIKE UPPER('%term%')`). A B-tree
cannot serve it: without the trigram indexes of migration 0004 a rare or absent term reads every
gig. With them, terms of 3 characters or more go through the indexes; shorter ones cannot, so a
short absent term is the remaining worst case. The last lines print the plan of the absent term.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from bench import common
from bench.generate import RARE_TERM

CASES = (
    ("no search (first page)", ""),
    ("frequent term 'logo'", "logo"),
    (f"rare term '{RARE_TERM}' (~10 gigs)", RARE_TERM),
    ("absent term (no match)", "qqqnomatch"),
    ("absent 2-letter term (too short for trigrams)", "zq"),
)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Gig list/search latency.")
    parser.add_argument("--calls", type=int, default=50)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    busy_before = common.settle(args.wait_quiet)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from marketplace import selectors
    from marketplace.models import Gig

    client = Client()
    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print(f"{Gig.objects.count():,} gigs")
    print()
    print("| Request | Results on page | Median (ms) | p99 (ms) | Queries |")
    print("|---|---:|---:|---:|---:|")
    for label, term in CASES:
        path = "/api/gigs/" + (f"?q={term}" if term else "")
        for _ in range(3):  # warm-up: connection, caches, plans
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: {response.status_code}")
        found = len(response.json()["results"])
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        # `captured_queries` slices the live log, which the next requests reset: count now.
        queries = len(captured.captured_queries)
        samples = []
        for _ in range(args.calls):
            began = time.perf_counter_ns()
            client.get(path)
            samples.append((time.perf_counter_ns() - began) / 1e6)
        print(
            f"| `GET {path}` — {label} | {found} | {common.median(samples):.1f} "
            f"| {common.percentile(samples, 99):.1f} | {queries} |"
        )

    query = selectors.public_gigs(search="qqqnomatch")[:21]
    plan = query.explain(analyze=True)
    print()
    print("Plan of the absent-term page query (EXPLAIN ANALYZE):")
    print(plan)


if __name__ == "__main__":
    main()
