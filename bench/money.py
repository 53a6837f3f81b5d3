"""Money at any history size (K-5, J-5): reading balances and withdrawing, for a seller with 100
orders and one with 100,000 (about 290,000 ledger entries), and the clearing sweep clearing 1,000
due earnings among about a million cleared ones and in a database with no history at all.

    .venv/bin/python -m bench.money [--rounds 8] [--calls 250] [--clear-rounds 6]

Needs the bench database (`python -m bench.generate`); creates and drops a second, empty one
beside it for the clearing comparison. Targets (the issue), each a ratio taken within a round:
balance read and withdrawal at 100k vs 100 orders ≤ 1.5; clearing 1k due among 1M cleared vs
among none ≤ 1.5.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from bench import common, database

DUE = 1_000


def empty_database_url() -> str:
    parts = urlsplit(common.database_url())
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_empty"))


def use_database(name: str) -> None:
    """Point Django's default connection at another database of the same server."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = name


def queue_due_earnings(count: int) -> datetime:
    """`count` earnings due before anything already waiting, through the ledger's own `append`
    (with their running balances and clearing queue); returns the `now` that clears just them."""
    from django.db import transaction
    from django.db.models import Min

    from accounts.models import User
    from core import clock
    from marketplace.models import Bucket, EntryKind, PendingClearance
    from marketplace.services.ledger import append

    first_waiting = PendingClearance.objects.aggregate(first=Min("due_at"))["first"]
    now = (first_waiting or clock.now()) - timedelta(seconds=1)
    sellers = list(User.objects.order_by("pk").values_list("pk", flat=True)[:20])
    with transaction.atomic():
        for i in range(count):
            append(
                user=sellers[i % len(sellers)],
                bucket=Bucket.PENDING,
                kind=EntryKind.EARNING,
                amount_cents=1000 + i,
                available_at=now - timedelta(days=1, seconds=i),
            )
    return now


def time_clearing(now: datetime) -> float:
    from marketplace.services.wallet import clear_pending_earnings

    began = time.perf_counter()
    cleared = clear_pending_earnings(now=now)
    took = time.perf_counter() - began
    if cleared != DUE:
        raise SystemExit(f"cleared {cleared} entries, expected {DUE}")
    return took * 1000


def prepare_empty(url: str) -> None:
    """A database with the schema and 20 users, and no ledger history."""
    import psycopg

    database.recreate_database(url, force=False)
    database.migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO accounts_user (password, is_superuser, email, display_name, timezone, "
            "language, seller_level, buyer_tier, standing, is_staff, is_active, date_joined) "
            "SELECT '!', false, 'empty' || n || '@bench.test', 'Empty ' || n, 'UTC', 'en', "
            "'level_1', 'standard', 'active', false, true, now() FROM generate_series(1, 20) n"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Money benchmarks (K-5, J-5).")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--calls", type=int, default=250)
    parser.add_argument("--clear-rounds", type=int, default=6)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    from django.db import connection, transaction
    from django.db.models import Q, Sum

    from accounts.models import User
    from marketplace import selectors, services
    from marketplace.models import Bucket, LedgerEntry, Order

    empty_url = empty_database_url()
    print(f"Preparing {urlsplit(empty_url).path.lstrip('/')} (schema only) …")
    prepare_empty(empty_url)
    busy_before = common.settle(args.wait_quiet)

    big = User.objects.get(email=common.BIG_SELLER_EMAIL)
    small = User.objects.get(email=common.SMALL_SELLER_EMAIL)
    sizes = {
        who: (
            Order.objects.filter(seller=user).count(),
            LedgerEntry.objects.filter(user=user).count(),
        )
        for who, user in (("small", small), ("big", big))
    }

    def summed(user: User) -> object:
        """What `balances` did before the running balances: sum the user's ledger."""
        return LedgerEntry.objects.filter(user=user).aggregate(
            **{
                b: Sum("amount_cents", filter=Q(bucket=b))
                for b in (Bucket.PENDING, Bucket.AVAILABLE, Bucket.CREDIT)
            }
        )

    def withdraw(user: User) -> None:
        with transaction.atomic():  # rolled back: the data stay as generated
            services.withdraw_funds(actor=user, amount_cents=1, idempotency_key=uuid.uuid4().hex)
            transaction.set_rollback(True)

    reads = common.interleaved(
        {
            "balances small": lambda: selectors.balances(small),
            "balances big": lambda: selectors.balances(big),
            "sum small": lambda: summed(small),
            "sum big": lambda: summed(big),
        },
        rounds=args.rounds,
        calls=args.calls,
        warmup=20,
    )
    withdrawals = common.interleaved(
        {"withdraw small": lambda: withdraw(small), "withdraw big": lambda: withdraw(big)},
        rounds=args.rounds,
        calls=max(20, args.calls // 5),
        warmup=5,
    )

    bench_name = connection.settings_dict["NAME"]
    empty_name = urlsplit(empty_url).path.lstrip("/")
    history = LedgerEntry.objects.count()
    clearing: dict[str, list[float]] = {"history": [], "empty": []}
    for index in range(args.clear_rounds):
        order = [("history", bench_name), ("empty", empty_name)]
        for label, name in order if index % 2 == 0 else reversed(order):
            use_database(name)
            now = queue_due_earnings(DUE)
            clearing[label].append(time_clearing(now))
    use_database(bench_name)

    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy (all cores) in the second before the run: {busy_before:.0f} %")
    print()
    print("| Read | Orders | Ledger entries | Calls | Median (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, who in (
        ("balances (running)", "small"),
        ("balances (running)", "big"),
        ("sum of the ledger (before)", "small"),
        ("sum of the ledger (before)", "big"),
        ("withdraw_funds", "small"),
        ("withdraw_funds", "big"),
    ):
        key = {
            "balances (running)": "balances",
            "sum of the ledger (before)": "sum",
            "withdraw_funds": "withdraw",
        }[label]
        rounds = (withdrawals if key == "withdraw" else reads)[f"{key} {who}"]
        timings = common.flat(rounds)
        orders, entries = sizes[who]
        print(
            f"| {label} | {orders:,} | {entries:,} | {len(timings):,} | "
            f"{common.median(timings):.3f} | {common.percentile(timings, 99):.3f} |"
        )
    read_ratios = common.round_ratios(reads, "balances big", "balances small")
    sum_ratios = common.round_ratios(reads, "sum big", "sum small")
    withdraw_ratios = common.round_ratios(withdrawals, "withdraw big", "withdraw small")
    clear_ratios = [h / e for h, e in zip(clearing["history"], clearing["empty"], strict=True)]
    print()
    print(
        f"| Clearing {DUE:,} due earnings | Ledger entries | Rounds | Median (ms) | min-max (ms) |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, entries in (("history", history), ("empty", 0)):
        runs = clearing[label]
        print(
            f"| among {'the generated history' if label == 'history' else 'none'} | "
            f"{entries:,} | {len(runs)} | {common.median(runs):.1f} | "
            f"{min(runs):.1f}-{max(runs):.1f} |"
        )
    print()
    targets = (
        ("balance read, 100k vs 100 orders", read_ratios),
        ("withdrawal, 100k vs 100 orders", withdraw_ratios),
        ("clearing 1k among the history vs among none", clear_ratios),
    )
    met = True
    for label, ratios in targets:
        value = common.median(ratios)
        met = met and value <= 1.5
        rounds_text = ", ".join(f"{r:.2f}" for r in ratios)
        print(
            f"{label}: median of per-round ratios {value:.2f} (target ≤ 1.5; rounds: {rounds_text})"
        )
    print(
        f"before (summing the ledger), 100k vs 100 orders: {common.median(sum_ratios):.0f}x "
        "per round (for comparison)"
    )
    print("Targets met." if met else "TARGETS NOT MET.")


if __name__ == "__main__":
    main()
