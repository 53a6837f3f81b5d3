"""Call eligibility (C-3, C-4): `calls.eligibility.may_start_call(seller, buyer)` for a seller
with 100 orders and one with 100,000, each calling the same standard-tier buyer; and for
comparison the leanest honest way to do the same work: one raw SQL statement that fetches the
same inputs (the seller's `SellerStats` row and whether they have a gig) and the same decision
in a few lines of Python.

    .venv/bin/python -m bench.call_eligibility [--rounds 8] [--calls 500] [--warmup 200]

Needs the bench database (`python -m bench.generate`). Targets (the issue): median ratio
big/small ≤ 1.5, ≤ 3 queries per call, median ≤ 3 ms.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bench import common
from bench.seller_figures import count_queries

if TYPE_CHECKING:
    from accounts.models import User

# The same inputs as `may_start_call` reads for a non-restricted pair: the seller-stats row (left
# joined: a seller without one has no figures) and the gig existence, in one round trip.
LEAN_SQL = """
SELECT s.completed_orders, s.completed_base_cents, s.last_order_at,
       EXISTS (SELECT 1 FROM marketplace_gig g WHERE g.seller_id = u.id)
FROM (SELECT %s::bigint AS id) u
LEFT JOIN marketplace_sellerstats s ON s.seller_id = u.id
"""


def lean_decision(caller: User, other: User, *, now: datetime) -> tuple[bool, tuple[str, ...]]:
    """What `may_start_call` answers for two users in good standing, from one statement: the
    same checks in the same order, the same settings and money helpers, reasons by code."""
    from django.conf import settings
    from django.db import connection

    from calls.eligibility import ALL_SELLERS, PREMIUM_TIERS
    from marketplace import money

    if caller.pk == other.pk:
        return False, ("self_call",)
    with connection.cursor() as cursor:
        cursor.execute(LEAN_SQL, [caller.pk])
        completed, base_cents, last_order_at, has_gig = cursor.fetchone()
    if not has_gig:
        return False, ("not_seller",)
    if other.buyer_tier in PREMIUM_TIERS or settings.CALLS_POLICY == ALL_SELLERS:
        return True, ()
    reasons = []
    if caller.seller_level == "new":
        reasons.append("no_level")
    # The eligibility ASP (base prices only, rounded to the cent) against the threshold.
    asp = money.average(base_cents, completed) if completed else None
    if asp is None or asp < money.to_decimal(settings.CALLS_MIN_ASP_CENTS):
        reasons.append("asp_below_threshold")
    window = timedelta(days=settings.CALLS_RECENT_ORDER_DAYS)
    if last_order_at is None or last_order_at + window < now:
        reasons.append("no_recent_order")
    return not reasons, tuple(reasons)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Call eligibility benchmark (C-3).")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=500, help="calls per function and round")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--show-sql", action="store_true")
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    busy_before = common.settle(args.wait_quiet)
    from django.conf import settings

    from accounts.models import BuyerTier, Standing, User
    from calls.eligibility import may_start_call
    from core import clock
    from marketplace.models import Gig, Order

    big = User.objects.get(email=common.BIG_SELLER_EMAIL)
    small = User.objects.get(email=common.SMALL_SELLER_EMAIL)
    # A plain buyer: active, standard tier, not restricted, no gig of their own, neither seller.
    buyer = (
        User.objects.filter(is_active=True, standing=Standing.ACTIVE, buyer_tier=BuyerTier.STANDARD)
        .exclude(pk__in=[big.pk, small.pk])
        .exclude(pk__in=Gig.objects.values("seller_id"))
        .order_by("pk")
        .first()
    )
    if buyer is None:
        raise SystemExit("No active standard-tier buyer in the bench database.")
    orders = {
        "small": Order.objects.filter(seller=small).count(),
        "big": Order.objects.filter(seller=big).count(),
    }
    sellers = {"small": small, "big": big}

    # Both ways must give the same answer, or the comparison means nothing.
    now = clock.now()
    answers = {}
    for who, seller in sellers.items():
        decision = may_start_call(seller, buyer, now=now)
        lean = lean_decision(seller, buyer, now=now)
        if (decision.allowed, tuple(decision.codes)) != lean:
            raise SystemExit(f"{who}: product {decision.codes or 'allowed'} but lean {lean}")
        answers[who] = "allowed" if decision.allowed else "refused: " + ", ".join(decision.codes)

    functions: dict[str, Callable[[], object]] = {
        "product small": lambda: may_start_call(small, buyer),
        "product big": lambda: may_start_call(big, buyer),
        "lean small": lambda: lean_decision(small, buyer, now=clock.now()),
        "lean big": lambda: lean_decision(big, buyer, now=clock.now()),
    }
    samples = common.interleaved(
        functions, rounds=args.rounds, calls=args.calls, warmup=args.warmup
    )
    queries = {}
    for label, function in functions.items():
        queries[label], sqls = count_queries(function)
        if args.show_sql:
            print(f"-- {label}:", *sqls, sep="\n")

    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print(
        f"Buyer: {buyer.email} ({buyer.buyer_tier}); policy {settings.CALLS_POLICY}; "
        f"answers: small seller {answers['small']}; big seller {answers['big']}"
    )
    print()
    print("| Call | Orders | Calls | Median (ms) | p99 (ms) | Queries per call |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, text in (
        ("product", "`may_start_call`"),
        ("lean", "one raw SQL statement (baseline)"),
    ):
        for who in ("small", "big"):
            timings = common.flat(samples[f"{label} {who}"])
            print(
                f"| {text} | {orders[who]:,} | {len(timings):,} | {common.median(timings):.3f} "
                f"| {common.percentile(timings, 99):.3f} | {queries[f'{label} {who}']} |"
            )

    def summary(ratios: list[float]) -> str:
        return f"{common.median(ratios):.2f} (rounds: {', '.join(f'{r:.2f}' for r in ratios)})"

    big_small = common.round_ratios(samples, "product big", "product small")
    lean_big_small = common.round_ratios(samples, "lean big", "lean small")
    over_lean = {
        who: common.round_ratios(samples, f"product {who}", f"lean {who}") for who in sellers
    }
    ratio = common.median(big_small)
    worst_queries = max(queries["product small"], queries["product big"])
    p50 = max(common.median(common.flat(samples[f"product {who}"])) for who in sellers)
    print()
    print(f"may_start_call big/small, median of per-round ratios: {summary(big_small)}")
    print(f"  (target ≤ 1.5; the baseline's own big/small: {summary(lean_big_small)})")
    print(f"queries per call: {worst_queries} (target ≤ 3)")
    print(f"median, the slower seller: {p50:.3f} ms (target ≤ 3 ms)")
    for who in sellers:
        print(f"product / baseline, {who} seller: {summary(over_lean[who])}")
    met = ratio <= 1.5 and worst_queries <= 3 and p50 <= 3
    print("Targets met." if met else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
