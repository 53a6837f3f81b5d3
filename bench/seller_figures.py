"""Seller figures (K-3): the product's read, `selectors.earnings_of`, for a seller with 100 orders
and one with 100,000, and for comparison the same figures aggregated from the orders on the fly.

    .venv/bin/python -m bench.seller_figures [--calls 2000] [--warmup 200] [--aggregate-calls 100]

Needs the bench database (`python -m bench.generate`). Targets (the issue): median ratio
big/small ≤ 1.5, 1 query per call, median ≤ 2 ms.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bench import common


@dataclass(frozen=True)
class Measured:
    label: str
    median_ms: float
    p99_ms: float
    queries: int
    calls: int


def measure(
    functions: Mapping[str, Callable[[], object]], *, calls: int, warmup: int, blocks: int = 4
) -> dict[str, list[float]]:
    """Call each function `warmup` times, then `calls` times in `blocks` interleaved blocks, so a
    drift of the machine (another process, the CPU clock) hits every function alike."""
    for function in functions.values():
        for _ in range(warmup):
            function()
    samples: dict[str, list[float]] = {label: [] for label in functions}
    for index in range(blocks):
        per_block = calls // blocks + (1 if index < calls % blocks else 0)
        for label, function in functions.items():
            block = samples[label]
            for _ in range(per_block):
                began = time.perf_counter_ns()
                function()
                block.append((time.perf_counter_ns() - began) / 1e6)
    return samples


def count_queries(function: Callable[[], object]) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Seller-figures read benchmark (K-3).")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--aggregate-calls", type=int, default=100)
    parser.add_argument("--show-sql", action="store_true")
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    busy_before = common.settle(args.wait_quiet)
    from accounts.models import User
    from marketplace import selectors
    from marketplace.models import Order
    from marketplace.services.stats import figures_from_orders

    big = User.objects.get(email=common.BIG_SELLER_EMAIL)
    small = User.objects.get(email=common.SMALL_SELLER_EMAIL)
    orders = {
        "small": Order.objects.filter(seller=small).count(),
        "big": Order.objects.filter(seller=big).count(),
    }

    def on_the_fly(seller: User) -> dict[str, Any]:
        """The figures computed from the orders at read time (what SellerStats replaces)."""
        return Order.objects.filter(seller=seller).aggregate(**figures_from_orders())

    # The per-seller row and the orders must agree, or the comparison means nothing.
    for seller in (small, big):
        row, truth = selectors.earnings_of(seller), on_the_fly(seller)
        if (row.completed_orders, row.last_order_at) != (
            truth["completed_orders"],
            truth["last_order_at"],
        ):
            raise SystemExit(f"SellerStats of {seller.email} disagree with the orders: {truth}")

    product = {
        "small": lambda: selectors.earnings_of(small),
        "big": lambda: selectors.earnings_of(big),
    }
    aggregate = {"small": lambda: on_the_fly(small), "big": lambda: on_the_fly(big)}

    results: list[Measured] = []
    product_samples = measure(product, calls=args.calls, warmup=args.warmup)
    aggregate_samples = measure(
        aggregate, calls=args.aggregate_calls, warmup=min(5, args.aggregate_calls)
    )
    for kind, functions, samples in (
        ("earnings_of (SellerStats row)", product, product_samples),
        ("aggregate over orders", aggregate, aggregate_samples),
    ):
        for who in ("small", "big"):
            queries, sqls = count_queries(functions[who])
            if args.show_sql:
                print(f"-- {kind}, {who}:", *sqls, sep="\n")
            results.append(
                Measured(
                    label=f"{kind}, {orders[who]:,} orders",
                    median_ms=common.median(samples[who]),
                    p99_ms=common.percentile(samples[who], 99),
                    queries=queries,
                    calls=len(samples[who]),
                )
            )

    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print()
    print("| Read | Calls | Median (ms) | p99 (ms) | Queries per call |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.label} | {r.calls:,} | {r.median_ms:.3f} | {r.p99_ms:.3f} | {r.queries} |")
    small_row, big_row, small_agg, big_agg = results
    ratio = big_row.median_ms / small_row.median_ms
    print()
    print(f"earnings_of median ratio big/small: {ratio:.2f} (target ≤ 1.5)")
    print(f"earnings_of queries per call: {big_row.queries} (target 1)")
    print(f"earnings_of median, big seller: {big_row.median_ms:.3f} ms (target ≤ 2 ms)")
    print(
        f"on-the-fly aggregate big/small: {big_agg.median_ms / small_agg.median_ms:.0f}x; "
        f"aggregate/row for the big seller: {big_agg.median_ms / big_row.median_ms:.0f}x"
    )
    met = ratio <= 1.5 and big_row.queries == 1 == small_row.queries and big_row.median_ms <= 2
    print("Targets met." if met else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
