"""The order list of the seller with 100,000 orders (K-2): "all" (buying and selling merged,
each side walking its own index) against one side alone, first page and a page deep in the
history, and the OR query it replaced for comparison.

    .venv/bin/python -m bench.order_list [--rounds 8] [--calls 100]

Needs the bench database (`python -m bench.generate`). Target (the issue): "all" vs one side
≤ 1.5, as a ratio taken within each round.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bench import common


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Order list benchmark (K-2).")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=100)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    busy_before = common.settle(args.wait_quiet)
    from django.db import connection
    from django.db.models import Q
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from marketplace import selectors
    from marketplace.models import Order
    from marketplace.pagination import ORDER_PAGES

    seller = User.objects.get(email=common.BIG_SELLER_EMAIL)
    orders = Order.objects.filter(Q(buyer=seller) | Q(seller=seller)).count()
    factory = RequestFactory()

    # The cursor of the page after the 10,000th order (a tenth of the way in at full scale).
    deep = min(10_000, orders // 10)
    far = Order.objects.filter(seller=seller).order_by("-placed_at", "-id")[deep - 1 : deep].get()
    cursor = ORDER_PAGES.cursor_for(far)

    def page(role: str | None, deep: bool) -> list[Order]:
        request = factory.get("/orders/", {"cursor": cursor} if deep else {})
        return list(ORDER_PAGES.page(request, selectors.order_lists(seller, role=role)).items)

    def or_query() -> list[Order]:
        """The list as one OR over both sides (what "all" was), first page."""
        return list(
            Order.objects.filter(Q(buyer=seller) | Q(seller=seller))
            .select_related("buyer", "seller")
            .prefetch_related("extras")
            .order_by("-placed_at", "-id")[:21]
        )

    functions = {
        "all, first page": lambda: page(None, False),
        "selling, first page": lambda: page("selling", False),
        f"all, {deep:,} deep": lambda: page(None, True),
        f"selling, {deep:,} deep": lambda: page("selling", True),
        "OR of both sides, first page (before)": or_query,
    }
    if [o.pk for o in page(None, False)] != [o.pk for o in or_query()][:20]:
        raise SystemExit("the merged list and the OR query disagree")
    queries = {}
    for label, function in functions.items():
        with CaptureQueriesContext(connection) as captured:
            function()
        queries[label] = len(captured)
    samples = common.interleaved(functions, rounds=args.rounds, calls=args.calls, warmup=10)

    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print(f"The seller's orders (both sides): {orders:,}")
    print()
    print("| Page | Calls | Median (ms) | p99 (ms) | Queries |")
    print("|---|---:|---:|---:|---:|")
    for label, rounds in samples.items():
        timings = common.flat(rounds)
        print(
            f"| {label} | {len(timings):,} | {common.median(timings):.3f} | "
            f"{common.percentile(timings, 99):.3f} | {queries[label]} |"
        )
    print()
    met = True
    for depth in ("first page", f"{deep:,} deep"):
        ratios = common.round_ratios(samples, f"all, {depth}", f"selling, {depth}")
        value = common.median(ratios)
        met = met and value <= 1.5
        rounds_text = ", ".join(f"{r:.2f}" for r in ratios)
        print(f"all vs one side, {depth}: {value:.2f} (target ≤ 1.5; rounds: {rounds_text})")
    before = common.round_ratios(
        samples, "OR of both sides, first page (before)", "selling, first page"
    )
    print(f"the OR query vs one side, first page: {common.median(before):.1f}x (for comparison)")
    print("Targets met." if met else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
