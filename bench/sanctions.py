"""Sanctions (M-7, J-2): a ban's settlement and the overdue reviews' default outcome, each against
bare SQL in the same run, and their peak memory as the work grows.

    .venv/bin/python -m bench.sanctions [--orders 10000] [--small-orders 1000]
        [--reviews 1000000] [--small-reviews 100000] [--rounds 3]
        [--skip-bans] [--skip-reviews] [--keep] [--wait-quiet 300]

Needs the bench database (`python -m bench.generate`) migrated to the current models. The script
makes its own users and deletes them, with every row that refers to them, at the start (what an
earlier run left) and at the end (unless `--keep`):

- **Bans** (users `…@sanctions.bench.test`): a reviewer, a seller with one gig and `--orders`
  active orders spread over 40 buyers (each pair's conversation holding one "order placed" notice
  per order; a quarter of the orders with an extra), 10 completed orders whose earnings cleared
  (the seller's available balance) and 10 still clearing (pending), and two API tokens. The first
  buyer also holds credit from an order cancelled earlier. Each order's card payment is in the
  ledger as `place_order` writes it (the buyer's PAYMENT in bucket EXTERNAL, with the charge's
  reference), and so are the refund, the earnings and their clearing; the running balances, the
  clearing queue and `SellerStats` are derived from the ledger and the orders. A second seller with
  5 active orders is the child processes' warm-up.
- **Reviews** (users `…@sanctions-reviews.bench.test`): `--reviews` reviews, a tenth of them open
  and overdue, one per new user, who is restricted as a restriction leaves them (the
  one-open-review constraint allows no more); the rest decided, spread over those users and the
  generated ones.

Part 1, 3 rounds, the order reversed every other round, each run on data made again from scratch
(the ledger and the audit log refuse UPDATE and DELETE, so no reset can put their rows back; see
`remove_rows`):

- **product**: `ban_user(seller)`, the ban in force (standing, tokens) with its settlement task
  not queued; then `settle_ban` (the orders cancelled and refunded in batches, the seller's money
  held); then the same for the buyer with credit, whose settlement refunds their credit (by then
  also the refunds of their cancelled orders) to their card charges. Each step is timed.
- **bare SQL**: the same rows written set-based, one statement per step (a chain of
  data-modifying CTEs writing each table once), with what the product takes from its registries
  (texts, names) passed in.

After every run: every order cancelled and refunded exactly once with its total, the seller's
money held, the buyer's credit back on their charges, the running balances and the seller figures
consistent (`reconcile_balances` and `reconcile_seller_stats` repair nothing), and each ban in
force (banned, no token, no order touched) before its settlement began. The rows a run leaves are
counted per table and kind (the census): the product's and the bare SQL's must be equal. The row
writes per table (`pg_stat_user_tables`) of both are printed.

Part 2 times `end_overdue_reviews(now=…)` against a bare `UPDATE` of the due reviews, and against
bare SQL writing the product's rows (the reviews, the users' standing, an audit entry and a
notification each); before each run the due reviews are reopened, their users restricted again.
The default is the issue's size, 1,000,000 reviews (100,000 due): part 2 then takes about 6
minutes on the bench machine, mostly the product's runs (about 0.2 ms a review) and its traced
child (4.5 times slower). Each batch reads the partial indexes of the open reviews only, never
the decided rows, so the cost per review does not grow with the table.

Memory: fresh child processes (`--child`), one for the peak RSS and one under `tracemalloc`, each
after a warm-up: `settle_ban` at `--small-orders` and `--orders` orders (a tenth by default),
`end_overdue_reviews` at `--small-reviews` and `--reviews` reviews.

Targets (the issue): a ban at least 0.25 of the bare SQL's rate, in batches with flat memory;
the overdue reviews' throughput against a bare UPDATE (no number given), memory flat.
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import psycopg
import redis

from bench import common, database
from bench.generate import (
    CONVERSATION_COLUMNS,
    GIG_COLUMNS,
    MESSAGE_COLUMNS,
    ORDER_COLUMNS,
    ORDER_EXTRA_COLUMNS,
    USER_COLUMNS,
    into_ledger,
    new_uuid,
    opt_ts,
    password_hash,
    ts,
)
from bench.recording_expiry import ours, peak_rss_kib

# The median of per-round ratios, with the rounds' own.
summary = common.ratio_summary

BANS_DOMAIN = "sanctions.bench.test"
REVIEWS_DOMAIN = "sanctions-reviews.bench.test"
BAN_REASON = "bench: fraud (sanctions benchmark)"
DUE_REASON = "bench: restricted, review overdue (sanctions benchmark)"
DECIDED_REASON = "bench: restricted, review decided (sanctions benchmark)"
REVIEW_REASONS = (DUE_REASON, DECIDED_REASON)  # the reviews part 2 made, on any user
BUYERS = 40
WARMUP_ORDERS = 5
CLEARED = 10  # completed orders whose earning cleared: the seller's available balance
CLEARING = 10  # completed orders whose earning is still pending
API_TOKENS = 2
WARMUP_REVIEWS = 5
PRICES = (500, 1000, 2500, 5000, 7500, 10000)
DAY = 86_400.0
HOUR = 3_600.0
BAN_PHASES = ("seller ban", "seller settlement", "buyer ban", "buyer settlement")
REVIEW_COLUMNS = (
    "id cause opened_at reason repeat deadline status outcome decided_at decision_reason "
    "decided_by_id opened_by_id user_id"
)
# (table, column, parent table, parent column): the foreign keys of the reviews' COPY.
REVIEW_FOREIGN_KEYS = (
    ("moderation_review", "user_id", "accounts_user", "id"),
    ("moderation_review", "opened_by_id", "accounts_user", "id"),
    ("moderation_review", "decided_by_id", "accounts_user", "id"),
)

Census = dict[str, tuple[int, int]]
Writes = dict[str, tuple[int, int, int]]


# ---------------------------------------------------------------- removing what the bench made
OURS = "SELECT id FROM accounts_user WHERE email LIKE %(pattern)s"
REMOVE_BEFORE = (
    "DELETE FROM core_notification WHERE user_id IN ({ours})",
    "DELETE FROM accounts_apitoken WHERE user_id IN ({ours})",
    "DELETE FROM accounts_user_groups WHERE user_id IN ({ours})",
    "DELETE FROM accounts_user_user_permissions WHERE user_id IN ({ours})",
    "DELETE FROM marketplace_pendingclearance WHERE user_id IN ({ours})",
    "DELETE FROM moderation_ban WHERE user_id IN ({ours})",
    "DELETE FROM moderation_review WHERE reason = ANY(%(reasons)s) OR user_id IN ({ours}) "
    "OR opened_by_id IN ({ours})",
    "DELETE FROM marketplace_sellerstats WHERE seller_id IN ({ours})",
    "DELETE FROM marketplace_balance WHERE user_id IN ({ours})",
)
APPEND_ONLY = (
    "DELETE FROM moderation_statement WHERE user_id IN ({ours}) OR decided_by_id IN ({ours})",
    "DELETE FROM marketplace_ledgerentry WHERE user_id IN ({ours})",
    "DELETE FROM accounts_auditentry WHERE actor_id IN ({ours}) OR target_user_id IN ({ours})",
)
REMOVE_AFTER = (
    "DELETE FROM marketplace_cardrefund WHERE user_id IN ({ours})",
    "DELETE FROM marketplace_balancehold WHERE user_id IN ({ours})",
    "DELETE FROM marketplace_message WHERE conversation_id IN (SELECT id FROM "
    "marketplace_conversation WHERE user_low_id IN ({ours}) OR user_high_id IN ({ours}))",
    "DELETE FROM marketplace_orderextra WHERE order_id IN (SELECT id FROM marketplace_order "
    "WHERE seller_id IN ({ours}) OR buyer_id IN ({ours}))",
    "DELETE FROM marketplace_order WHERE seller_id IN ({ours}) OR buyer_id IN ({ours})",
    "DELETE FROM marketplace_conversation WHERE user_low_id IN ({ours}) "
    "OR user_high_id IN ({ours})",
    "DELETE FROM marketplace_gigextra WHERE gig_id IN "
    "(SELECT id FROM marketplace_gig WHERE seller_id IN ({ours}))",
    "DELETE FROM marketplace_gig WHERE seller_id IN ({ours})",
    "DELETE FROM accounts_user WHERE email LIKE %(pattern)s",
)
TOUCHED = (
    "accounts_user, accounts_auditentry, accounts_apitoken, core_notification, "
    "marketplace_order, marketplace_orderextra, marketplace_message, marketplace_conversation, "
    "marketplace_gig, marketplace_ledgerentry, marketplace_balance, "
    "marketplace_pendingclearance, marketplace_sellerstats, marketplace_cardrefund, "
    "marketplace_balancehold, moderation_ban, moderation_review, moderation_statement"
)


def remove_rows(url: str, domain: str, reasons: Sequence[str] = ()) -> int:
    """Every row that refers to the users whose e-mail ends with `@domain`, then the users, in
    one transaction. The ledger, the audit log and the statements of reasons are append-only:
    a trigger refuses UPDATE and DELETE (`core.db.RefuseChanges`). `session_replication_role
    = replica` turns off ordinary triggers for this session only, so just those tables' rows
    are deleted in that mode; everything else is deleted with the foreign-key checks on, so the
    commit fails rather than leave a row pointing at a deleted user. Rebuilding is the only
    honest reset of a run: no UPDATE may put a ledger or audit row back."""
    params = {"pattern": f"%@{domain}", "reasons": list(reasons)}
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        row = cur.execute("SELECT count(*) FROM accounts_user WHERE email LIKE %s", [f"%@{domain}"])
        found = row.fetchone()
        users = int(found[0]) if found else 0
        reviews = cur.execute(
            "SELECT count(*) FROM moderation_review WHERE reason = ANY(%(reasons)s)", params
        ).fetchone()
        if not users and not (reviews and reviews[0]):
            return 0
        for statement in REMOVE_BEFORE:
            cur.execute(statement.format(ours=OURS), params)
        cur.execute("SET session_replication_role = replica")
        for statement in APPEND_ONLY:
            cur.execute(statement.format(ours=OURS), params)
        cur.execute("SET session_replication_role = origin")
        for statement in REMOVE_AFTER:
            cur.execute(statement.format(ours=OURS), params)
        cur.execute("SELECT pg_stat_force_next_flush()")
        conn.commit()
    return users


def vacuum(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {TOUCHED}")


def take_ids(cur: psycopg.Cursor[Any], table: str, count: int) -> list[int]:
    """`count` ids from the table's own sequence, so COPY can name them (and its column check
    leaves nothing to a default) and no later insert of the product collides."""
    rows = cur.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    ).fetchall()
    return [int(row[0]) for row in rows]


def person(
    uid: int, hashed: str, email: str, name: str, *, joined: float, **fields: object
) -> tuple[object, ...]:
    """A user row in USER_COLUMNS' order."""
    return (
        uid,
        hashed,
        None,
        "f",
        email,
        name,
        "UTC",
        fields.get("language", "en"),
        fields.get("level", "new"),
        "standard",
        fields.get("standing", "active"),
        fields.get("changed"),
        "f",
        "t",
        ts(joined),
    )


# ---------------------------------------------------------------- part 1: the data of a ban
@dataclass(frozen=True)
class Cast:
    reviewer: int
    seller: int
    warm_seller: int
    credit_buyer: int
    buyers: tuple[int, ...]
    active: tuple[str, ...]  # the seller's active orders
    available_cents: int  # the seller's, before the ban
    pending_cents: int
    credit_cents: int  # the credit buyer's, before either ban
    credit_buyer_active_cents: int  # what the seller's ban refunds the credit buyer

    @property
    def users(self) -> list[int]:
        return [self.reviewer, self.seller, self.warm_seller, *self.buyers]


# The ledger the orders imply, as the product writes it (like `bench.generate`, for our sellers'
# orders only): each order's card payment, a cancellation's refund to credit, a completed order's
# earning pending for the clearing period, and the clearing pair of each earning that cleared.
LEDGER_OF_ORDERS = (
    into_ledger(
        """SELECT buyer_id, 'external', 'payment', -(base_price_cents + extras_cents), id,
                  payment_reference, NULL, NULL, placed_at
           FROM marketplace_order WHERE seller_id = ANY(%(sellers)s)"""
    ),
    into_ledger(
        """SELECT buyer_id, 'credit', 'refund', base_price_cents + extras_cents + tip_cents, id,
                  '', NULL, NULL, cancelled_at
           FROM marketplace_order WHERE seller_id = ANY(%(sellers)s) AND status = 'cancelled'"""
    ),
    into_ledger(
        """SELECT seller_id, 'pending', 'earning', base_price_cents + extras_cents, id, '',
                  completed_at + %(clearing)s, NULL, completed_at
           FROM marketplace_order WHERE seller_id = ANY(%(sellers)s) AND status = 'completed'"""
    ),
    into_ledger(
        """SELECT user_id, 'pending', 'clearing', -amount_cents, order_id, '', NULL, id,
                  available_at
           FROM marketplace_ledgerentry WHERE user_id = ANY(%(sellers)s) AND bucket = 'pending'
             AND amount_cents > 0 AND available_at <= %(now)s"""
    ),
    into_ledger(
        """SELECT user_id, 'available', 'clearing', amount_cents, order_id, '', NULL, NULL,
                  available_at
           FROM marketplace_ledgerentry WHERE user_id = ANY(%(sellers)s) AND bucket = 'pending'
             AND amount_cents > 0 AND available_at <= %(now)s"""
    ),
    """INSERT INTO marketplace_pendingclearance (entry_id, user_id, due_at)
       SELECT id, user_id, available_at FROM marketplace_ledgerentry
       WHERE user_id = ANY(%(sellers)s) AND bucket = 'pending' AND amount_cents > 0
         AND available_at > %(now)s""",
    """INSERT INTO marketplace_balance (user_id, bucket, cents)
       SELECT user_id, bucket, sum(amount_cents) FROM marketplace_ledgerentry
       WHERE user_id = ANY(%(users)s) AND bucket <> 'external'
       GROUP BY user_id, bucket HAVING sum(amount_cents) <> 0""",
    """INSERT INTO marketplace_sellerstats
           (seller_id, completed_orders, completed_base_cents, completed_gross_cents, last_order_at)
       SELECT seller_id, count(*) FILTER (WHERE status = 'completed'),
              coalesce(sum(base_price_cents) FILTER (WHERE status = 'completed'), 0),
              coalesce(sum(base_price_cents + extras_cents + tip_cents)
                       FILTER (WHERE status = 'completed'), 0),
              max(placed_at) FILTER (WHERE status <> 'cancelled')
       FROM marketplace_order WHERE seller_id = ANY(%(sellers)s) GROUP BY seller_id""",
)


@dataclass
class Plan:
    """The rows of part 1 before they are copied."""

    rng: random.Random
    orders: list[tuple[object, ...]] = field(default_factory=list)
    extras: list[tuple[object, ...]] = field(default_factory=list)
    pairs: dict[tuple[int, int], tuple[str, float]] = field(default_factory=dict)

    def conversation(self, a: int, b: int, placed: float) -> str:
        low, high = min(a, b), max(a, b)
        if (low, high) not in self.pairs:
            self.pairs[(low, high)] = (new_uuid(self.rng), placed - 60)
        conversation_id, created = self.pairs[(low, high)]
        self.pairs[(low, high)] = (conversation_id, min(created, placed - 60))
        return conversation_id

    def order(
        self,
        gig: tuple[int, int, str],
        buyer: int,
        status: str,
        placed: float,
        *,
        delivered: float | None = None,
        completed: float | None = None,
        cancelled: float | None = None,
    ) -> str:
        gig_id, seller, title = gig
        order_id = new_uuid(self.rng)
        extra = 1500 if self.rng.random() < 0.25 else 0
        if extra:
            self.extras.append((order_id, "Express delivery", extra))
        self.orders.append(
            (
                order_id,
                gig_id,
                buyer,
                seller,
                self.conversation(buyer, seller, placed),
                title,
                self.rng.choice(PRICES),
                extra,
                0,
                status,
                0,
                ts(placed),
                opt_ts(delivered),
                None,
                opt_ts(completed),
                opt_ts(cancelled),
                None,
                f"bench-charge-{order_id}",
                "",
            )
        )
        return order_id


def fill_bans(url: str, orders: int, now: datetime, seed: int, hashed: str) -> None:
    from django.conf import settings

    rng = random.Random(seed)  # noqa: S311 - reproducible fake data
    t = now.timestamp()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        reviewer, seller, warm, *buyers = take_ids(cur, "accounts_user", 3 + BUYERS)
        joined = t - 400 * DAY
        users = [
            person(reviewer, hashed, f"reviewer@{BANS_DOMAIN}", "Bench Reviewer", joined=joined),
            person(
                seller, hashed, f"seller@{BANS_DOMAIN}", "Seller", joined=joined, level="level_2"
            ),
            person(warm, hashed, f"warmup-seller@{BANS_DOMAIN}", "Warm-up Seller", joined=joined),
            *(
                person(uid, hashed, f"buyer-{i:02d}@{BANS_DOMAIN}", f"Buyer {i}", joined=joined)
                for i, uid in enumerate(buyers, start=1)
            ),
        ]
        database.copy_rows(cur, "accounts_user", USER_COLUMNS, users)
        gig_id, warm_gig_id = take_ids(cur, "marketplace_gig", 2)
        gig = (gig_id, seller, "I will design a bench logo (sanctions benchmark)")
        warm_gig = (warm_gig_id, warm, "I will warm up the caches (sanctions benchmark)")
        database.copy_rows(
            cur,
            "marketplace_gig",
            GIG_COLUMNS,
            [
                (
                    g,
                    s,
                    title,
                    "A gig of the benchmark.",
                    5000,
                    "active",
                    ts(joined),
                    ts(joined),
                    "",
                    "",
                )
                for g, s, title in (gig, warm_gig)
            ],
        )

        plan = Plan(rng)
        span = 30 * DAY - HOUR
        for i in range(orders):
            plan.order(gig, buyers[i % BUYERS], "active", t - 30 * DAY + (i + 0.5) * span / orders)
        for i in range(CLEARED + CLEARING):
            placed = t - (60 if i < CLEARED else 10) * DAY + i * HOUR
            plan.order(
                gig,
                buyers[i % BUYERS],
                "completed",
                placed,
                delivered=placed + DAY,
                completed=placed + 2 * DAY,
            )
        # The credit buyer's credit: an order the seller's buyer cancelled before.
        placed = t - 40 * DAY
        plan.order(gig, buyers[0], "cancelled", placed, cancelled=placed + HOUR)
        # Not the credit buyer's: their ban then cancels none (the seller's ban did).
        for i in range(WARMUP_ORDERS):
            plan.order(warm_gig, buyers[1 + i], "active", t - 5 * DAY + i * HOUR)

        # One "order placed" notice per order, as `place_order` posts it, ids in time order.
        by_time = sorted(plan.orders, key=lambda row: str(row[11]))
        message_ids = take_ids(cur, "marketplace_message", len(by_time))
        last: dict[object, tuple[int, str]] = {}
        messages = []
        for mid, row in zip(message_ids, by_time, strict=True):
            order_id, conversation_id, title, placed_at = row[0], row[4], row[5], row[11]
            payload = {"event": "order_placed", "order": order_id, "title": title}
            messages.append(
                (
                    mid,
                    conversation_id,
                    None,
                    "system",
                    f"Order placed: {title}",
                    json.dumps(payload),
                    order_id,
                    placed_at,
                )
            )
            last[conversation_id] = (mid, str(placed_at))
        # Each conversation's summary as `post_message` keeps it; read up to date.
        conversations = []
        for (low, high), (conversation_id, created) in plan.pairs.items():
            last_id, last_at = last[conversation_id]
            conversations.append(
                (conversation_id, low, high, ts(created), last_id, last_at, last_at, 0, 0)
            )
        database.copy_rows(cur, "marketplace_conversation", CONVERSATION_COLUMNS, conversations)
        database.copy_rows(cur, "marketplace_message", MESSAGE_COLUMNS, messages)
        database.copy_rows(cur, "marketplace_order", ORDER_COLUMNS, plan.orders)
        extra_ids = take_ids(cur, "marketplace_orderextra", max(1, len(plan.extras)))
        database.copy_rows(
            cur,
            "marketplace_orderextra",
            ORDER_EXTRA_COLUMNS,
            [(i, *extra) for i, extra in zip(extra_ids, plan.extras, strict=False)],
        )
        params = {
            "sellers": [seller, warm],
            "users": [reviewer, seller, warm, *buyers],
            "now": now,
            "clearing": settings.CLEARING_PERIOD,
        }
        for statement in LEDGER_OF_ORDERS:
            cur.execute(statement, params)
        cur.execute("SELECT pg_stat_force_next_flush()")
        conn.commit()


def read_cast(url: str) -> Cast:
    with psycopg.connect(url) as conn:
        emails: dict[str, int] = dict(
            conn.execute(
                "SELECT email, id FROM accounts_user WHERE email LIKE %s", [f"%@{BANS_DOMAIN}"]
            ).fetchall()
        )
        seller = int(emails[f"seller@{BANS_DOMAIN}"])
        buyers = tuple(int(emails[f"buyer-{i:02d}@{BANS_DOMAIN}"]) for i in range(1, BUYERS + 1))
        active = tuple(
            str(row[0])
            for row in conn.execute(
                "SELECT id FROM marketplace_order WHERE seller_id = %s AND status = 'active' "
                "ORDER BY id",
                [seller],
            ).fetchall()
        )
        balances: dict[str, int] = dict(
            conn.execute(
                "SELECT bucket, cents FROM marketplace_balance WHERE user_id = %s", [seller]
            ).fetchall()
        )
        credit = conn.execute(
            "SELECT coalesce(sum(cents), 0) FROM marketplace_balance "
            "WHERE user_id = %s AND bucket = 'credit'",
            [buyers[0]],
        ).fetchone()
        refunds = conn.execute(
            "SELECT coalesce(sum(base_price_cents + extras_cents + tip_cents), 0) "
            "FROM marketplace_order WHERE seller_id = %s AND buyer_id = %s AND status = 'active'",
            [seller, buyers[0]],
        ).fetchone()
    return Cast(
        reviewer=int(emails[f"reviewer@{BANS_DOMAIN}"]),
        seller=seller,
        warm_seller=int(emails[f"warmup-seller@{BANS_DOMAIN}"]),
        credit_buyer=buyers[0],
        buyers=buyers,
        active=active,
        available_cents=int(balances.get("available", 0)),
        pending_cents=int(balances.get("pending", 0)),
        credit_cents=int(credit[0]) if credit else 0,
        credit_buyer_active_cents=int(refunds[0]) if refunds else 0,
    )


def equip(cast: Cast) -> None:
    """What the product's services make: the reviewer's role, the seller's API tokens."""
    from accounts import roles
    from accounts import services as accounts
    from accounts.models import User

    accounts.grant_staff_role(User.objects.get(pk=cast.reviewer), actor=None, role=roles.REVIEWER)
    seller = User.objects.get(pk=cast.seller)
    for device in range(API_TOKENS):
        accounts.create_api_token(seller, actor=seller, name=f"bench device {device + 1}")


@dataclass
class BanTable:
    """Part 1's rows: made, and made again before each run."""

    url: str
    now: datetime
    seed: int
    hashed: str
    orders: int = 0
    cast: Cast | None = None

    def build(self, orders: int) -> float:
        began = time.perf_counter()
        remove_rows(self.url, BANS_DOMAIN)
        fill_bans(self.url, orders, self.now, self.seed, self.hashed)
        self.orders = orders
        self.cast = read_cast(self.url)
        if len(self.cast.active) != orders:
            raise SystemExit(f"made {len(self.cast.active)} active orders, expected {orders}")
        equip(self.cast)
        flush_stats()  # equip's writes belong to the build, not to the next timed run
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f"VACUUM (ANALYZE) {TOUCHED}")
            conn.execute("CHECKPOINT")
        return time.perf_counter() - began

    @property
    def the_cast(self) -> Cast:
        if self.cast is None:
            raise SystemExit("the ban data is not made")
        return self.cast

    def census(self) -> Census:
        return census(self.url, self.the_cast.users)

    def in_force(self, user: int, *, open_orders: int) -> None:
        """The ban took effect before its settlement: banned, no token, its row due, and none of
        the user's open orders touched yet."""
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                "SELECT u.standing, (SELECT count(*) FROM accounts_apitoken t "
                "WHERE t.user_id = u.id), (SELECT count(*) FROM marketplace_order o "
                "WHERE (o.seller_id = u.id OR o.buyer_id = u.id) "
                "AND o.status IN ('active', 'delivered')), (SELECT count(*) FROM moderation_ban b "
                "WHERE b.user_id = u.id AND b.settled_at IS NULL AND b.next_attempt_at IS NOT NULL "
                "AND b.cancelled_orders = 0) FROM accounts_user u WHERE u.id = %s",
                [user],
            ).fetchone()
        if row is None or tuple(row) != ("banned", 0, open_orders, 1):
            raise SystemExit(
                f"user {user} after the ban, before its settlement: (standing, tokens, open "
                f"orders, due bans) = {row}, expected ('banned', 0, {open_orders}, 1)"
            )

    def verify_seller_settled(self) -> None:
        """Every active order cancelled and refunded exactly once with its total; the seller's
        available and pending money held for the hold period; the ban settled."""
        from django.conf import settings

        cast = self.the_cast
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                """SELECT count(*),
                          count(*) FILTER (WHERE o.status = 'cancelled'
                                           AND o.cancelled_at IS NOT NULL
                                           AND o.cancellation_reason = %(reason)s),
                          count(*) FILTER (WHERE r.entries = 1 AND r.user_id = o.buyer_id
                                           AND r.cents = o.base_price_cents + o.extras_cents
                                                         + o.tip_cents)
                   FROM marketplace_order o
                   LEFT JOIN (SELECT order_id, count(*) AS entries, min(user_id) AS user_id,
                                     sum(amount_cents) AS cents
                              FROM marketplace_ledgerentry
                              WHERE bucket = 'credit' AND kind = 'refund'
                                AND user_id = ANY(%(buyers)s)
                              GROUP BY order_id) r ON r.order_id = o.id
                   WHERE o.id = ANY(%(active)s::uuid[])""",
                {"reason": BAN_REASON, "buyers": list(cast.buyers), "active": list(cast.active)},
            ).fetchone()
            money: dict[str, int] = dict(
                conn.execute(
                    "SELECT bucket, cents FROM marketplace_balance WHERE user_id = %s",
                    [cast.seller],
                ).fetchall()
            )
            holds = conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE h.status = 'held' "
                "AND h.releases_at = b.banned_at + %s) "
                "FROM marketplace_balancehold h JOIN moderation_ban b ON b.user_id = h.user_id "
                "WHERE h.user_id = %s",
                [timedelta(days=settings.BAN_HOLD_DAYS), cast.seller],
            ).fetchone()
            ban = conn.execute(
                "SELECT count(*) FILTER (WHERE settled_at IS NOT NULL AND next_attempt_at IS NULL),"
                " max(cancelled_orders), (SELECT count(*) FROM marketplace_pendingclearance "
                "WHERE user_id = %(seller)s) FROM moderation_ban WHERE user_id = %(seller)s",
                {"seller": cast.seller},
            ).fetchone()
        n = len(cast.active)
        held = cast.available_cents + cast.pending_cents
        problems = []
        if row is None or tuple(row) != (n, n, n):
            problems.append(f"(orders, cancelled, refunded once with their total) = {row}")
        got = (money.get("available", 0), money.get("pending", 0), money.get("held", 0))
        if got != (0, 0, held):
            problems.append(f"(available, pending, held) = {got}, expected (0, 0, {held})")
        if holds is None or tuple(holds) != (1, 1):
            problems.append(f"(holds, held 90 days) = {holds}")
        if ban is None or tuple(ban) != (1, n, 0):
            problems.append(f"(settled bans, cancelled orders, clearing queue) = {ban}")
        if problems:
            raise SystemExit("the seller's ban: " + "; ".join(problems))

    def verify_buyer_refunded(self) -> None:
        """The credit buyer's whole credit (what they held, and the refunds of the seller's
        ban) back to their card charges: each part within its charge, on a different charge,
        with its one ledger entry."""
        cast = self.the_cast
        expected = cast.credit_cents + cast.credit_buyer_active_cents
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                """SELECT count(*), count(DISTINCT c.charge_reference),
                          coalesce(sum(c.amount_cents), 0),
                          count(*) FILTER (WHERE c.amount_cents <= (
                              SELECT -sum(p.amount_cents) FROM marketplace_ledgerentry p
                              WHERE p.user_id = c.user_id AND p.bucket = 'external'
                                AND p.kind = 'payment' AND p.reference = c.charge_reference)),
                          count(*) FILTER (WHERE (SELECT count(*) FROM marketplace_ledgerentry e
                                                  WHERE e.card_refund_id = c.id
                                                    AND e.bucket = 'credit'
                                                    AND e.kind = 'card_refund'
                                                    AND e.amount_cents = -c.amount_cents) = 1),
                          (SELECT coalesce(sum(cents), 0) FROM marketplace_balance
                           WHERE user_id = %(user)s AND bucket = 'credit'),
                          (SELECT count(*) FROM moderation_ban WHERE user_id = %(user)s
                           AND settled_at IS NOT NULL AND cancelled_orders = 0)
                   FROM marketplace_cardrefund c WHERE c.user_id = %(user)s
                     AND c.status = 'requested'""",
                {"user": cast.credit_buyer},
            ).fetchone()
        parts = int(row[0]) if row else 0
        want = (parts, parts, expected, parts, parts, 0, 1)
        if row is None or not parts or tuple(row) != want:
            raise SystemExit(
                "the credit buyer's ban: (parts, charges, cents, parts within their charge, "
                f"parts with their entry, credit left, settled bans) = {row}, expected {want}"
            )


def reconciled() -> str:
    """The product's own reconciliations must repair nothing."""
    from marketplace.services.ledger import reconcile_balances
    from marketplace.services.stats import reconcile_seller_stats

    balances = reconcile_balances()
    figures = reconcile_seller_stats()
    if balances.balances_repaired or figures.sellers_repaired:
        raise SystemExit(f"repairs after the run: {balances}, {figures}")
    return f"{balances.users_checked:,} users' balances and {figures.sellers_checked:,} sellers"


CENSUS = """
SELECT 'orders ' || status, count(*), sum(base_price_cents + extras_cents + tip_cents)
FROM marketplace_order WHERE seller_id = ANY(%(users)s) OR buyer_id = ANY(%(users)s)
GROUP BY status
UNION ALL
SELECT 'ledger ' || bucket || ' ' || kind, count(*), sum(amount_cents)
FROM marketplace_ledgerentry WHERE user_id = ANY(%(users)s) GROUP BY bucket, kind
UNION ALL
SELECT 'balance ' || u.email || ' ' || b.bucket, 1, b.cents
FROM marketplace_balance b JOIN accounts_user u ON u.id = b.user_id
WHERE b.user_id = ANY(%(users)s)
UNION ALL
SELECT 'messages ' || m.kind || ' ' || coalesce(m.payload->>'event', ''), count(*), 0
FROM marketplace_message m JOIN marketplace_conversation c ON c.id = m.conversation_id
WHERE c.user_low_id = ANY(%(users)s) OR c.user_high_id = ANY(%(users)s)
GROUP BY m.kind, m.payload->>'event'
UNION ALL
SELECT 'conversations (unread)', count(*), sum(unread_low + unread_high)
FROM marketplace_conversation
WHERE user_low_id = ANY(%(users)s) OR user_high_id = ANY(%(users)s)
UNION ALL
SELECT 'conversations whose last message is ' || coalesce(m.payload->>'event', ''), count(*),
       count(*) FILTER (WHERE m.id = (SELECT max(id) FROM marketplace_message x
                                      WHERE x.conversation_id = c.id))
FROM marketplace_conversation c JOIN marketplace_message m ON m.id = c.last_message_id
WHERE c.user_low_id = ANY(%(users)s) OR c.user_high_id = ANY(%(users)s)
GROUP BY m.payload->>'event'
UNION ALL
SELECT 'notifications ' || kind || ' ' || email_status, count(*), 0
FROM core_notification WHERE user_id = ANY(%(users)s) GROUP BY kind, email_status
UNION ALL
SELECT 'audit ' || action, count(*), 0
FROM accounts_auditentry WHERE actor_id = ANY(%(users)s) OR target_user_id = ANY(%(users)s)
GROUP BY action
UNION ALL
SELECT 'card refunds ' || status, count(*), sum(amount_cents)
FROM marketplace_cardrefund WHERE user_id = ANY(%(users)s) GROUP BY status
UNION ALL
SELECT 'holds ' || status, count(*), 0
FROM marketplace_balancehold WHERE user_id = ANY(%(users)s) GROUP BY status
UNION ALL
SELECT 'bans (settled, orders cancelled)', count(*) FILTER (WHERE settled_at IS NOT NULL),
       sum(cancelled_orders)
FROM moderation_ban WHERE user_id = ANY(%(users)s)
UNION ALL
SELECT 'users ' || standing, count(*), 0 FROM accounts_user WHERE id = ANY(%(users)s)
GROUP BY standing
UNION ALL
SELECT 'api tokens', count(*), 0 FROM accounts_apitoken WHERE user_id = ANY(%(users)s)
UNION ALL
SELECT 'clearing queue', count(*), 0 FROM marketplace_pendingclearance
WHERE user_id = ANY(%(users)s)
UNION ALL
SELECT 'seller figures (last order)', count(*),
       coalesce(sum(extract(epoch FROM last_order_at)), 0)::bigint
FROM marketplace_sellerstats WHERE seller_id = ANY(%(users)s)
"""


def census(url: str, users: Sequence[int]) -> Census:
    """What a run leaves, per table and kind: the product and the bare SQL must leave the same."""
    with psycopg.connect(url) as conn:
        rows = conn.execute(CENSUS, {"users": list(users)}).fetchall()
    return {str(name): (int(count), int(total or 0)) for name, count, total in rows}


# ---------------------------------------------------------------- row writes per table
def flush_stats() -> None:
    """The statistics of the Django connection's writes, into shared memory now (Postgres 15
    flushes them at most once a second otherwise)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")


def table_writes(url: str) -> Writes:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
        ).fetchall()
    return {str(name): (int(ins), int(upd), int(dele)) for name, ins, upd, dele in rows}


def written(before: Writes, after: Writes) -> Writes:
    changes = {}
    for table, counts in after.items():
        old = before.get(table, (0, 0, 0))
        delta = (counts[0] - old[0], counts[1] - old[1], counts[2] - old[2])
        if any(delta):
            changes[table] = delta
    return changes


# ---------------------------------------------------------------- the broker
class Broker:
    """The bench's Redis database is the Celery broker (`bench.settings`), and no worker reads
    it: the tasks a run queues (its e-mails, its refunds to the card) are counted and taken off
    the queues again, so the next run meets the same broker."""

    def __init__(self, url: str) -> None:
        self.enabled = url.startswith(("redis://", "rediss://"))
        self.client = redis.Redis.from_url(url) if self.enabled else None
        self.keys_before = set(self.keys("*"))
        self.at_start = self.lengths()

    def keys(self, pattern: str) -> list[str]:
        if self.client is None:
            return []
        return [key.decode() for key in self.client.scan_iter(match=pattern)]

    def lengths(self) -> dict[str, int]:
        if self.client is None:
            return {}
        return {
            key: int(self.client.llen(key))
            for key in self.keys("celery*")
            if self.client.type(key) == b"list"
        }

    def drop_since(self, before: dict[str, int]) -> int:
        """Take the tasks queued since `before` off their queues (kombu pushes on the left)."""
        if self.client is None:
            return 0
        dropped = 0
        for key, length in self.lengths().items():
            added = length - before.get(key, 0)
            if added > 0:
                self.client.ltrim(key, added, -1)
                dropped += added
        return dropped

    def restore(self) -> None:
        """The broker as the script found it, whatever a failed run left: the tasks queued
        since, and the queues and kombu's bindings it created."""
        if self.client is None:
            return
        self.drop_since(self.at_start)
        for key in set(self.keys("celery*")) | set(self.keys("_kombu.*")):
            if key not in self.keys_before:
                self.client.delete(key)


# ---------------------------------------------------------------- part 1: the timed runs
@dataclass
class Run:
    seconds: dict[str, float]
    writes: Writes = field(default_factory=dict)
    census: Census = field(default_factory=dict)
    load: float = 0.0
    tasks: int = 0

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def no_task(*args: object) -> None:
    """`enqueue_after_commit` of `bans`: the settlement is timed on its own, not run by a
    worker (there is none) nor eagerly inside the ban's commit."""


def run_product_ban(table: BanTable) -> dict[str, float]:
    from accounts.models import User
    from moderation import services
    from moderation.services import bans

    cast = table.the_cast
    seconds: dict[str, float] = {}
    with mock.patch.object(bans, "enqueue_after_commit", no_task):
        for user_id, open_orders, label in (
            (cast.seller, len(cast.active), "seller"),
            (cast.credit_buyer, 0, "buyer"),
        ):
            reviewer = User.objects.get(pk=cast.reviewer)
            user = User.objects.get(pk=user_id)
            began = time.perf_counter()
            ban = services.ban_user(user, actor=reviewer, reason=BAN_REASON)
            seconds[f"{label} ban"] = time.perf_counter() - began
            table.in_force(user_id, open_orders=open_orders)
            began = time.perf_counter()
            services.settle_ban(str(ban.pk))
            seconds[f"{label} settlement"] = time.perf_counter() - began
    return seconds


# The bare SQL of each step: the rows the product writes, in one statement each (a chain of
# data-modifying CTEs: every table written once, all reading one snapshot). Texts and names the
# product takes from its registries are parameters.
BARE_BAN = """
WITH previous AS (
    SELECT id, standing, email, is_active FROM accounts_user WHERE id = %(user)s FOR UPDATE
), ban AS (
    INSERT INTO moderation_ban (id, user_id, banned_by_id, banned_at, reason, review_id,
                                settled_at, cancelled_orders, attempts, next_attempt_at)
    VALUES (gen_random_uuid(), %(user)s, %(actor)s, %(now)s, %(reason)s, NULL, NULL, 0, 0,
            %(now)s + %(grace)s)
    RETURNING id
), banned AS (
    UPDATE accounts_user u SET standing = 'banned', standing_changed_at = %(now)s
    FROM previous p WHERE u.id = p.id AND p.standing <> 'banned'
    RETURNING p.standing AS previous
), revoked AS (
    DELETE FROM accounts_apitoken WHERE user_id = %(user)s RETURNING token_key, name
), audited AS (
    INSERT INTO accounts_auditentry (at, action, actor_id, target_user_id, object_type,
                                     object_id, reason, data)
    SELECT %(now)s, %(banned_action)s, %(actor)s, %(user)s, 'moderation.ban', ban.id::text,
           %(reason)s,
           jsonb_build_object('review', NULL, 'outcome', 'ban', 'from', banned.previous,
                              'to', 'banned')
    FROM ban, banned
    UNION ALL
    SELECT %(now)s, %(revoked_action)s, %(actor)s, %(user)s, '', '', %(reason)s,
           jsonb_build_object('token', token_key, 'name', name)
    FROM revoked
), notified AS (
    INSERT INTO core_notification (id, user_id, kind, context, created_at, email_status,
                                   email_error, attempts, next_attempt_at)
    SELECT gen_random_uuid(), p.id, %(banned_kind)s,
           jsonb_build_object('reason', %(reason)s, 'hold_days', %(hold_days)s), %(now)s,
           CASE WHEN p.email <> '' AND p.is_active THEN 'pending' ELSE 'none' END, '', 0,
           CASE WHEN p.email <> '' AND p.is_active THEN %(now)s + %(grace)s END
    FROM previous p
)
SELECT id FROM ban
"""
BARE_CANCEL = """
WITH ban AS (
    SELECT id, user_id, reason FROM moderation_ban WHERE id = %(ban)s FOR UPDATE
), open_orders AS (
    SELECT o.id, o.status AS previous FROM marketplace_order o, ban
    WHERE (o.seller_id = ban.user_id OR o.buyer_id = ban.user_id)
      AND o.status IN ('active', 'delivered')
    FOR UPDATE OF o
), cancelled AS (
    UPDATE marketplace_order o
    SET status = 'cancelled', cancelled_at = %(now)s, cancellation_reason = ban.reason
    FROM open_orders p, ban WHERE o.id = p.id
    RETURNING o.id, o.buyer_id, o.seller_id, o.conversation_id, o.title, p.previous,
              o.base_price_cents + o.extras_cents + o.tip_cents AS total
), refunds AS (
    INSERT INTO marketplace_ledgerentry (user_id, bucket, kind, amount_cents, order_id,
                                         reference, created_at)
    SELECT buyer_id, 'credit', 'refund', total, id, '', %(now)s FROM cancelled
    RETURNING user_id, amount_cents
), credit AS (
    INSERT INTO marketplace_balance (user_id, bucket, cents)
    SELECT user_id, 'credit', sum(amount_cents) FROM refunds GROUP BY user_id
    ON CONFLICT (user_id, bucket) DO UPDATE SET cents = marketplace_balance.cents + EXCLUDED.cents
), notices AS (
    INSERT INTO marketplace_message (conversation_id, sender_id, kind, body, payload, order_id,
                                     created_at)
    SELECT conversation_id, NULL, %(message_kind)s, %(before)s || title || %(after)s,
           jsonb_build_object('event', %(event)s, 'order', id::text, 'title', title), id,
           %(now)s
    FROM cancelled ORDER BY id
    RETURNING id, conversation_id
), conversations AS (
    UPDATE marketplace_conversation c
    SET last_message_id = n.last, last_message_at = %(now)s, last_activity_at = %(now)s,
        unread_low = c.unread_low + n.added, unread_high = c.unread_high + n.added
    FROM (SELECT conversation_id, max(id) AS last, count(*) AS added FROM notices
          GROUP BY conversation_id) n
    WHERE c.id = n.conversation_id
), notified AS (
    INSERT INTO core_notification (id, user_id, kind, context, created_at, email_status,
                                   email_error, attempts, next_attempt_at)
    SELECT gen_random_uuid(), u.id, %(event)s,
           jsonb_build_object('order', c.id::text, 'title', c.title), %(now)s,
           CASE WHEN u.email <> '' AND u.is_active THEN 'pending' ELSE 'none' END, '', 0,
           CASE WHEN u.email <> '' AND u.is_active THEN %(now)s + %(grace)s END
    FROM cancelled c JOIN accounts_user u ON u.id IN (c.buyer_id, c.seller_id)
    WHERE u.is_active AND u.standing <> 'banned'  -- `may_log_in`: the banned hear of the ban once
), audited AS (
    INSERT INTO accounts_auditentry (at, action, actor_id, target_user_id, object_type,
                                     object_id, reason, data)
    SELECT %(now)s, %(cancelled_action)s, NULL, c.buyer_id, 'marketplace.order', c.id::text,
           ban.reason, jsonb_build_object('from', c.previous, 'to', 'cancelled')
    FROM cancelled c, ban
), figures AS (
    UPDATE marketplace_sellerstats s
    SET last_order_at = (SELECT max(o.placed_at) FROM marketplace_order o
                         WHERE o.seller_id = s.seller_id AND o.status <> 'cancelled'
                           AND o.id NOT IN (SELECT id FROM cancelled))
    WHERE s.seller_id IN (SELECT seller_id FROM cancelled)
), counted AS (
    UPDATE moderation_ban b SET cancelled_orders = b.cancelled_orders + (SELECT count(*)
                                                                           FROM cancelled)
    FROM ban WHERE b.id = ban.id AND EXISTS (SELECT 1 FROM cancelled)
)
SELECT count(*) FROM cancelled
"""
BARE_CARD_REFUND = """
WITH ban AS (
    SELECT user_id, reason FROM moderation_ban WHERE id = %(ban)s
), credit AS (
    SELECT b.cents FROM marketplace_balance b, ban
    WHERE b.user_id = ban.user_id AND b.bucket = 'credit' AND b.cents > 0
    FOR UPDATE OF b
), charged AS (
    SELECT reference, -sum(amount_cents) AS cents, max(e.id) AS last
    FROM marketplace_ledgerentry e, ban
    WHERE e.user_id = ban.user_id AND e.bucket = 'external' AND e.kind = 'payment'
    GROUP BY reference
), refunded AS (
    SELECT charge_reference, sum(amount_cents) AS cents FROM marketplace_cardrefund c, ban
    WHERE c.user_id = ban.user_id AND c.status <> 'failed' GROUP BY charge_reference
), refundable AS (
    SELECT c.reference, c.cents - coalesce(r.cents, 0) AS cents, c.last
    FROM charged c LEFT JOIN refunded r ON r.charge_reference = c.reference
    WHERE c.cents - coalesce(r.cents, 0) > 0
), parts AS (
    SELECT f.reference,
           least(f.cents, credit.cents - sum(f.cents) OVER (ORDER BY f.last DESC) + f.cents)
               AS amount
    FROM refundable f, credit
), created AS (
    INSERT INTO marketplace_cardrefund (id, user_id, charge_reference, amount_cents, status,
                                        reason, refund_reference, failure, created_at, attempts,
                                        next_attempt_at)
    SELECT gen_random_uuid(), ban.user_id, p.reference, p.amount, 'requested', ban.reason, '',
           '', %(now)s, 0, %(now)s + %(grace)s
    FROM parts p, ban WHERE p.amount > 0
    RETURNING id, user_id, charge_reference, amount_cents
), entries AS (
    INSERT INTO marketplace_ledgerentry (user_id, bucket, kind, amount_cents, card_refund_id,
                                         reference, created_at)
    SELECT user_id, 'credit', 'card_refund', -amount_cents, id, charge_reference, %(now)s
    FROM created
), total AS (
    SELECT coalesce(sum(amount_cents), 0) AS cents, count(*) AS parts FROM created
), spent AS (
    UPDATE marketplace_balance b SET cents = b.cents - total.cents FROM total, ban
    WHERE b.user_id = ban.user_id AND b.bucket = 'credit' AND total.cents > 0
), audited AS (
    INSERT INTO accounts_auditentry (at, action, actor_id, target_user_id, object_type,
                                     object_id, reason, data)
    SELECT %(now)s, %(refund_action)s, NULL, ban.user_id, '', '', ban.reason,
           jsonb_build_object('cents', total.cents, 'parts', total.parts,
                              'left', credit.cents - total.cents)
    FROM credit, total, ban
)
SELECT cents FROM total
"""
BARE_HOLD_AND_SETTLE = """
WITH ban AS (
    SELECT id, user_id, reason, banned_at, cancelled_orders FROM moderation_ban
    WHERE id = %(ban)s FOR UPDATE
), money AS (
    SELECT coalesce(sum(b.cents) FILTER (WHERE b.bucket = 'available'), 0) AS available,
           coalesce(sum(b.cents) FILTER (WHERE b.bucket = 'pending'), 0) AS pending
    FROM marketplace_balance b, ban WHERE b.user_id = ban.user_id
), hold AS (
    INSERT INTO marketplace_balancehold (id, user_id, status, reason, held_at, releases_at)
    SELECT gen_random_uuid(), ban.user_id, 'held', ban.reason, %(now)s,
           ban.banned_at + %(hold)s
    FROM ban, money WHERE money.available + money.pending > 0
    RETURNING id, user_id
), queued AS (
    DELETE FROM marketplace_pendingclearance p USING marketplace_ledgerentry e, hold
    WHERE p.user_id = hold.user_id AND e.id = p.entry_id
    RETURNING e.id, e.amount_cents, e.order_id
), moves AS (
    SELECT 'pending' AS source, amount_cents, order_id, id AS clears FROM queued
    UNION ALL
    SELECT 'available', money.available, NULL, NULL FROM money, hold WHERE money.available > 0
), entries AS (
    INSERT INTO marketplace_ledgerentry (user_id, bucket, kind, amount_cents, order_id, hold_id,
                                         reference, clears_id, created_at)
    SELECT hold.user_id, m.source, 'hold', -m.amount_cents, m.order_id, hold.id, '', m.clears,
           %(now)s
    FROM moves m, hold
    UNION ALL
    SELECT hold.user_id, 'held', 'hold', m.amount_cents, m.order_id, hold.id, '', NULL, %(now)s
    FROM moves m, hold
    RETURNING user_id, bucket, amount_cents
), deltas AS (
    SELECT user_id, bucket, sum(amount_cents) AS cents FROM entries GROUP BY user_id, bucket
), changed AS (
    UPDATE marketplace_balance b SET cents = b.cents + d.cents FROM deltas d
    WHERE b.user_id = d.user_id AND b.bucket = d.bucket
), opened AS (
    INSERT INTO marketplace_balance (user_id, bucket, cents)
    SELECT d.user_id, d.bucket, d.cents FROM deltas d
    WHERE NOT EXISTS (SELECT 1 FROM marketplace_balance b
                      WHERE b.user_id = d.user_id AND b.bucket = d.bucket)
), settled AS (
    UPDATE moderation_ban b SET settled_at = %(now)s, next_attempt_at = NULL FROM ban
    WHERE b.id = ban.id
), audited AS (
    INSERT INTO accounts_auditentry (at, action, actor_id, target_user_id, object_type,
                                     object_id, reason, data)
    SELECT %(now)s, %(held_action)s, NULL::bigint, hold.user_id, 'marketplace.balancehold',
           hold.id::text, ban.reason,
           jsonb_build_object('cents', (SELECT coalesce(sum(amount_cents), 0) FROM moves))
    FROM hold, ban
    UNION ALL
    SELECT %(now)s, %(settled_action)s, NULL::bigint, ban.user_id, 'moderation.ban',
           ban.id::text, '',
           jsonb_build_object('orders_cancelled', ban.cancelled_orders,
                              'credit_refunded_cents', %(refunded)s,
                              'hold', (SELECT id::text FROM hold))
    FROM ban
)
SELECT count(*) FROM entries
"""


def bare_names() -> dict[str, Any]:
    """The product's texts and names that the bare SQL writes, from the product's registries."""
    from django.conf import settings
    from django.utils import translation

    from accounts import audit as accounts_audit
    from core.retry import first_attempt_at
    from marketplace import message_kinds
    from marketplace.audit import BALANCE_HELD, CARD_REFUND_REQUESTED, ORDER_ACTIONS
    from marketplace.order_states import rows_for
    from moderation import audit, notices

    row = next(r for r in rows_for("cancel") if r.happened == "cancelled_by_platform")
    with translation.override("en"):
        before, after = str(row.notice).split("%(title)s")
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    return {
        "grace": first_attempt_at(epoch) - epoch,
        "hold": timedelta(days=settings.BAN_HOLD_DAYS),
        "hold_days": settings.BAN_HOLD_DAYS,
        "banned_action": audit.BANNED.name,
        "revoked_action": accounts_audit.API_TOKEN_REVOKED.name,
        "banned_kind": notices.BANNED.name,
        "message_kind": message_kinds.NOTICE.name,
        "event": row.notice_key,
        "before": before,
        "after": after,
        "cancelled_action": ORDER_ACTIONS[row.happened].name,
        "refund_action": CARD_REFUND_REQUESTED.name,
        "held_action": BALANCE_HELD.name,
        "settled_action": audit.BAN_SETTLED.name,
    }


def run_bare_ban(table: BanTable, names: dict[str, Any]) -> dict[str, float]:
    from django.db import connection, transaction

    cast = table.the_cast
    seconds: dict[str, float] = {}
    for user_id, open_orders, label in (
        (cast.seller, len(cast.active), "seller"),
        (cast.credit_buyer, 0, "buyer"),
    ):
        params: dict[str, Any] = {
            **names,
            "user": user_id,
            "actor": cast.reviewer,
            "reason": BAN_REASON,
        }
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            params["now"] = datetime.now(UTC)
            cursor.execute(BARE_BAN, params)
            row = cursor.fetchone()
        seconds[f"{label} ban"] = time.perf_counter() - began
        if row is None:
            raise SystemExit("the bare ban wrote no row")
        params["ban"] = row[0]
        table.in_force(user_id, open_orders=open_orders)
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            params["now"] = datetime.now(UTC)
            cursor.execute(BARE_CANCEL, params)
            cursor.execute(BARE_CARD_REFUND, params)
            refunded = cursor.fetchone()
            params["refunded"] = int(refunded[0]) if refunded else 0
            cursor.execute(BARE_HOLD_AND_SETTLE, params)
        seconds[f"{label} settlement"] = time.perf_counter() - began
    return seconds


def bans_once(
    table: BanTable, runner: Callable[[], dict[str, float]], other: common.OtherLoad, broker: Broker
) -> Run:
    """One timed run from freshly made data, checked and counted."""
    queued = broker.lengths()
    before = table_writes(table.url)
    other.start()
    run = Run(seconds=runner())
    run.load = other.stop()
    flush_stats()
    run.writes = written(before, table_writes(table.url))
    run.tasks = broker.drop_since(queued)
    table.verify_seller_settled()
    table.verify_buyer_refunded()
    reconciled()
    run.census = table.census()
    return run


# ---------------------------------------------------------------- part 1: memory
def ban_both(table: BanTable) -> tuple[str, str]:
    """The warm-up seller's ban and the seller's, in force, their settlements not started."""
    from accounts.models import User
    from moderation import services
    from moderation.services import bans

    cast = table.the_cast
    reviewer = User.objects.get(pk=cast.reviewer)
    ids = []
    with mock.patch.object(bans, "enqueue_after_commit", no_task):
        for user_id in (cast.warm_seller, cast.seller):
            user = User.objects.get(pk=user_id)
            ids.append(str(services.ban_user(user, actor=reviewer, reason=BAN_REASON).pk))
    return ids[0], ids[1]


def ban_child(ban_id: str, warm_ban_id: str, traced: bool) -> None:
    """One `settle_ban` in a fresh process, after settling the warm-up seller's small ban (the
    imports, the connection, the query compiler, the translations): its time and memory."""
    common.setup_django()
    from moderation.services import settle_ban

    settle_ban(warm_ban_id)
    before_kib = peak_rss_kib()
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    ban = settle_ban(ban_id)
    took = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    report(ban.cancelled_orders, took, before_kib, peak)


def review_child(now: datetime, warm_now: datetime, traced: bool) -> None:
    """One `end_overdue_reviews` in a fresh process, after a run that ends only the few
    earliest reviews (the warm-up): its time and memory."""
    common.setup_django()
    from moderation.services import end_overdue_reviews

    warmed = end_overdue_reviews(now=warm_now)
    if warmed != WARMUP_REVIEWS:
        raise SystemExit(f"the warm-up ended {warmed} reviews, expected {WARMUP_REVIEWS}")
    before_kib = peak_rss_kib()
    if traced:
        tracemalloc.start()
    began = time.perf_counter()
    handled = end_overdue_reviews(now=now)
    took = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    report(handled + warmed, took, before_kib, peak)


def report(handled: int, took: float, before_kib: int, peak: int) -> None:
    print(
        "RESULT "
        + json.dumps(
            {
                "handled": handled,
                "seconds": took,
                "peak_rss_before_kib": before_kib,
                "peak_rss_after_kib": peak_rss_kib(),
                "tracemalloc_peak": peak,
            }
        )
    )


def in_child(args: list[str], traced: bool) -> dict[str, Any]:
    command = [sys.executable, "-m", "bench.sanctions", "--child", *args]
    if traced:
        command.append("--traced")
    done = subprocess.run(  # noqa: S603 - this script, fixed arguments
        command, cwd=common.BASE_DIR, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("RESULT "))
            return result
    raise SystemExit(f"the child run failed:\n{done.stdout}\n{done.stderr}")


def ban_memory_at(table: BanTable, orders: int, broker: Broker) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for traced in (False, True):
        table.build(orders)
        queued = broker.lengths()  # before the bans: they queue their e-mails too
        warm_ban, ban = ban_both(table)
        result = in_child(["bans", "--ban", ban, "--warm-ban", warm_ban], traced)
        broker.drop_since(queued)
        if result["handled"] != orders:
            raise SystemExit(f"the child cancelled {result['handled']} of {orders} orders")
        table.verify_seller_settled()
        reconciled()
        results["traced" if traced else "plain"] = result
    return results


# ---------------------------------------------------------------- part 2: reviews
def fill_reviews(url: str, rows: int, now: datetime, seed: int, hashed: str) -> int:
    """`rows` reviews, a tenth open and overdue (one per new restricted user, the first few far
    earlier than the rest: the children's warm-up), the rest decided, over those users and the
    generated ones. Returns the number due."""
    rng = random.Random(seed + 1)  # noqa: S311 - reproducible fake data
    due = max(rows // 10, WARMUP_REVIEWS + 1)
    t = now.timestamp()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        generated = [
            int(row[0])
            for row in cur.execute(
                "SELECT id FROM accounts_user WHERE email LIKE %s ORDER BY id", ["%@bench.test"]
            ).fetchall()
        ]
        opener, *members = take_ids(cur, "accounts_user", due + 1)
        # Foreign-key triggers off while copying (checked below), as the generator does.
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        deadlines = [t - 60 * DAY + i * 60 for i in range(WARMUP_REVIEWS)]
        rest = due - WARMUP_REVIEWS
        deadlines += [t - 30 * DAY + (i + 1) * (30 * DAY - 60) / rest for i in range(rest)]
        review_days = 90 * DAY

        def users() -> Iterator[tuple[object, ...]]:
            yield person(
                opener, hashed, f"opener@{REVIEWS_DOMAIN}", "Review Opener", joined=t - 800 * DAY
            )
            for i, (uid, deadline) in enumerate(zip(members, deadlines, strict=True)):
                yield person(
                    uid,
                    hashed,
                    f"review-{i:06d}@{REVIEWS_DOMAIN}",
                    f"Restricted {i}",
                    joined=t - 800 * DAY,
                    language="de" if rng.random() < 0.2 else "en",
                    standing="restricted",
                    changed=ts(deadline - review_days),
                )

        def reviews() -> Iterator[tuple[object, ...]]:
            for uid, deadline in zip(members, deadlines, strict=True):
                yield (
                    new_uuid(rng),
                    "direct",
                    ts(deadline - review_days),
                    DUE_REASON,
                    "f",
                    ts(deadline),
                    "open",
                    "",
                    None,
                    "",
                    None,
                    opener,
                    uid,
                )
            everyone = generated + members
            for _ in range(rows - due):
                opened = t - rng.uniform(100 * DAY, 730 * DAY)
                outcome = "restore" if rng.random() < 0.8 else "ban"
                yield (
                    new_uuid(rng),
                    rng.choice(("direct", "warnings")),
                    ts(opened),
                    DECIDED_REASON,
                    "f",
                    ts(opened + review_days),
                    "decided",
                    outcome,
                    ts(opened + rng.uniform(DAY, review_days)),
                    "Decided by a reviewer.",
                    opener,
                    opener,
                    rng.choice(everyone),
                )

        database.copy_rows(cur, "accounts_user", USER_COLUMNS, users())
        database.copy_rows(cur, "moderation_review", REVIEW_COLUMNS, reviews())
        database.check_foreign_keys(cur, REVIEW_FOREIGN_KEYS)
        cur.execute("SELECT pg_stat_force_next_flush()")
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE) accounts_user, moderation_review")
    return due


REVIEW_USERS = "SELECT id FROM accounts_user WHERE email LIKE %(pattern)s AND NOT is_staff"
REOPEN = (
    "UPDATE moderation_review SET status = 'open', outcome = '', decided_at = NULL, "
    "decided_by_id = NULL, decision_reason = '' WHERE reason = %(due)s AND status <> 'open'",
    "UPDATE accounts_user u SET standing = 'restricted', standing_changed_at = r.opened_at "
    "FROM moderation_review r WHERE r.reason = %(due)s AND r.user_id = u.id "
    "AND (u.standing <> 'restricted' OR u.standing_changed_at <> r.opened_at)",
    f"DELETE FROM core_notification WHERE user_id IN ({REVIEW_USERS})",  # noqa: S608
)
REVIEWS_FINGERPRINT = (
    "SELECT count(*), coalesce(sum(hashtext(r::text || ' ' || r.xmin::text)::bigint), 0) "
    "FROM moderation_review r WHERE reason = %s"
)
BARE_REVIEWS_UPDATE = (
    "UPDATE moderation_review SET status = 'decided', outcome = 'restore', decided_at = now() "
    "WHERE status = 'open' AND deadline <= %s"
)
BARE_REVIEWS_WRITES = """
WITH ended AS (
    UPDATE moderation_review
    SET status = 'decided', outcome = %(outcome)s, decided_by_id = NULL, decided_at = %(now)s,
        decision_reason = %(reason)s
    WHERE status = 'open' AND deadline <= %(due)s
    RETURNING id, user_id
), restored AS (
    UPDATE accounts_user u SET standing = 'active', standing_changed_at = %(now)s
    FROM ended e JOIN accounts_user p ON p.id = e.user_id
    WHERE u.id = e.user_id AND p.standing <> 'active'
    RETURNING u.id, p.standing AS previous, u.email, u.is_active
), audited AS (
    INSERT INTO accounts_auditentry (at, action, actor_id, target_user_id, object_type,
                                     object_id, reason, data)
    SELECT %(now)s, %(action)s, NULL, e.user_id, 'moderation.review', e.id::text, %(reason)s,
           jsonb_build_object('outcome', %(outcome)s, 'from', r.previous, 'to', 'active')
    FROM ended e JOIN restored r ON r.id = e.user_id
), notified AS (
    INSERT INTO core_notification (id, user_id, kind, context, created_at, email_status,
                                   email_error, attempts, next_attempt_at)
    SELECT gen_random_uuid(), e.user_id, %(kind)s, jsonb_build_object('review', e.id::text),
           %(now)s, CASE WHEN u.email <> '' AND u.is_active THEN 'pending' ELSE 'none' END, '',
           0, CASE WHEN u.email <> '' AND u.is_active THEN %(now)s + %(grace)s END
    FROM ended e JOIN accounts_user u ON u.id = e.user_id
)
SELECT count(*) FROM ended
"""
REVIEWS_CENSUS = """
SELECT 'reviews ' || status || ' ' || outcome || ' ' || (decided_by_id IS NULL)::text, count(*), 0
FROM moderation_review WHERE reason = %(due)s GROUP BY status, outcome, decided_by_id IS NULL
UNION ALL
SELECT 'users ' || standing, count(*), 0 FROM accounts_user WHERE email LIKE %(pattern)s
GROUP BY standing
UNION ALL
SELECT 'audit ' || action, count(*), 0 FROM accounts_auditentry
WHERE target_user_id IN (SELECT id FROM accounts_user WHERE email LIKE %(pattern)s)
GROUP BY action
UNION ALL
SELECT 'notifications ' || kind || ' ' || email_status, count(*), 0 FROM core_notification
WHERE user_id IN (SELECT id FROM accounts_user WHERE email LIKE %(pattern)s)
GROUP BY kind, email_status
"""


@dataclass
class ReviewTable:
    """Part 2's reviews: where they are and what a reset restores."""

    url: str
    now: datetime
    seed: int
    hashed: str
    rows: int = 0
    due: int = 0

    @property
    def params(self) -> dict[str, object]:
        return {"due": DUE_REASON, "pattern": f"%@{REVIEWS_DOMAIN}"}

    @property
    def warm_now(self) -> datetime:
        return self.now - timedelta(days=45)

    def build(self, rows: int) -> float:
        began = time.perf_counter()
        remove_rows(self.url, REVIEWS_DOMAIN, REVIEW_REASONS)
        self.due = fill_reviews(self.url, rows, self.now, self.seed, self.hashed)
        self.rows = rows
        return time.perf_counter() - began

    def reset(self) -> None:
        """The due reviews open again, their users restricted, the audit entries and notices
        of the last run gone (see `remove_rows` for the audit log), vacuumed and checkpointed."""
        with psycopg.connect(self.url) as conn, conn.cursor() as cur:
            for statement in REOPEN:
                cur.execute(statement, self.params)
            cur.execute("SET session_replication_role = replica")
            cur.execute(
                f"DELETE FROM accounts_auditentry WHERE target_user_id IN ({REVIEW_USERS})",  # noqa: S608
                self.params,
            )
            cur.execute("SET session_replication_role = origin")
            row = cur.execute(
                "SELECT count(*) FROM moderation_review WHERE reason = %s AND status = 'open' "
                "AND deadline <= %s",
                [DUE_REASON, self.now],
            ).fetchone()
            if row is None or row[0] != self.due:
                raise SystemExit(f"{row} reviews open after the reset, expected {self.due}")
            cur.execute("SELECT pg_stat_force_next_flush()")
            conn.commit()
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(
                "VACUUM (ANALYZE) moderation_review, accounts_user, accounts_auditentry, "
                "core_notification"
            )
            conn.execute("CHECKPOINT")

    def fingerprint(self) -> tuple[int, int]:
        with psycopg.connect(self.url) as conn:
            row = conn.execute(REVIEWS_FINGERPRINT, [DECIDED_REASON]).fetchone()
        if row is None:
            raise SystemExit("no fingerprint")
        return int(row[0]), int(row[1])

    def census(self) -> Census:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(REVIEWS_CENSUS, self.params).fetchall()
        return {str(name): (int(count), int(total)) for name, count, total in rows}

    def verify(self, untouched: tuple[int, int], *, full: bool) -> None:
        """Every due review decided; with `full` (the product, the bare writes) as the
        product's default outcome — restored by the system, the user active again, one audit
        entry and one notice each. The decided reviews exactly as before."""
        with psycopg.connect(self.url) as conn:
            row = conn.execute(
                "SELECT count(*) FILTER (WHERE status = 'decided' AND outcome = 'restore' "
                "AND decided_at IS NOT NULL AND decided_by_id IS NULL), "
                "count(*) FILTER (WHERE status = 'open') FROM moderation_review "
                "WHERE reason = %s",
                [DUE_REASON],
            ).fetchone()
            people = conn.execute(
                f"SELECT count(*) FILTER (WHERE standing = 'restricted'), "  # noqa: S608
                f"(SELECT count(*) FROM accounts_auditentry WHERE action = 'moderation."
                f"review_ended' AND target_user_id IN ({REVIEW_USERS})), "
                f"(SELECT count(*) FROM core_notification WHERE kind = 'moderation.restored' "
                f"AND user_id IN ({REVIEW_USERS})) "
                f"FROM accounts_user WHERE id IN ({REVIEW_USERS})",
                self.params,
            ).fetchone()
        problems = []
        if row is None or tuple(row) != (self.due, 0):
            problems.append(f"(decided as expected, still open) = {row}, due {self.due}")
        want = (0, self.due, self.due) if full else (self.due, 0, 0)
        if people is None or tuple(people) != want:
            problems.append(f"(users restricted, audit entries, notices) = {people}, want {want}")
        if self.fingerprint() != untouched:
            problems.append("decided reviews changed")
        if problems:
            raise SystemExit("end_overdue_reviews: " + "; ".join(problems))


def run_reviews_product(now: datetime) -> int:
    from moderation.services import end_overdue_reviews

    return end_overdue_reviews(now=now)


def run_reviews_bare(now: datetime) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(BARE_REVIEWS_UPDATE, [now])  # autocommit: the statement and its commit
        return int(cursor.rowcount)


def run_reviews_writes(now: datetime) -> int:
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import translation
    from django.utils.translation import gettext

    from core.retry import first_attempt_at
    from moderation import audit, notices

    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    with translation.override(settings.LANGUAGE_CODE):  # as the product words it
        reason = gettext("The review period ended without a decision; the default outcome applies.")
    params: dict[str, Any] = {
        "due": now,
        "now": datetime.now(UTC),
        "outcome": settings.REVIEW_DEFAULT_OUTCOME,
        "reason": reason,
        "action": audit.REVIEW_ENDED.name,
        "kind": notices.RESTORED.name,
        "grace": first_attempt_at(epoch) - epoch,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(BARE_REVIEWS_WRITES, params)
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def review_memory_at(table: ReviewTable, broker: Broker) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for traced in (False, True):
        table.reset()
        untouched = table.fingerprint()
        queued = broker.lengths()
        result = in_child(
            ["reviews", "--now", table.now.isoformat(), "--warm-now", table.warm_now.isoformat()],
            traced,
        )
        broker.drop_since(queued)
        if result["handled"] != table.due:
            raise SystemExit(f"the child ended {result['handled']} of {table.due} reviews")
        table.verify(untouched, full=True)
        results["traced" if traced else "plain"] = result
    return results


# ---------------------------------------------------------------- output
def print_writes(runs: dict[str, Run], per: int, what: str, labels: dict[str, str]) -> None:
    """Rows inserted / updated / deleted per table, and per item of work: where the product
    writes the same row again and again, its updates outnumber the bare SQL's."""
    print()
    print(f"Row writes per table in the last round (`pg_stat_user_tables`), and per {what}:")
    heads = " | ".join(f"{labels[label]}: ins / upd / del | per {what}" for label in runs)
    print(f"| Table | {heads} |")
    print("|---|" + "---:|---:|" * len(runs))
    for table in sorted({table for run in runs.values() for table in run.writes}):
        cells = []
        for run in runs.values():
            ins, upd, dele = run.writes.get(table, (0, 0, 0))
            cells.append(f"{ins:,} / {upd:,} / {dele:,}")
            cells.append(f"{ins / per:.2f} / {upd / per:.2f} / {dele / per:.2f}")
        print(f"| {table} | {' | '.join(cells)} |")


def shown(rows: Census) -> Census:
    """The census with the balances summed per bucket (40 buyers' lines say little more)."""
    summed: Census = {}
    for key, (count, total) in rows.items():
        if key.startswith("balance "):
            key = "balances " + key.rsplit(" ", 1)[1]
        old = summed.get(key, (0, 0))
        summed[key] = (old[0] + count, old[1] + total)
    return summed


def compare_census(first: Census, second: Census, what: str) -> None:
    if first != second:
        keys = sorted(set(first) | set(second))
        diff = [
            f"{k}: {first.get(k)} vs {second.get(k)}" for k in keys if first.get(k) != second.get(k)
        ]
        raise SystemExit(f"{what} left different rows:\n  " + "\n  ".join(diff))


# ---------------------------------------------------------------- main
BAN_LABELS = {"product": "product", "bare": "bare SQL"}
REVIEW_LABELS = {
    "product": "`end_overdue_reviews`",
    "bare": "bare `UPDATE … WHERE status = 'open' AND deadline <= now`",
    "writes": "bare SQL, the product's row writes (reviews, users, audit, notifications)",
}


def measure_bans(args: argparse.Namespace, url: str, hashed: str, broker: Broker) -> bool:
    from django.db import connection

    now = datetime.now(UTC).replace(microsecond=0)
    table = BanTable(url=url, now=now, seed=args.seed, hashed=hashed)
    print(
        f"\n## Part 1: a ban of a seller with {args.orders:,} active orders and of a buyer with "
        "credit",
        flush=True,
    )
    memory: dict[int, dict[str, Any]] = {}
    for orders in (args.small_orders, args.orders):
        took = table.build(orders)
        print(f"{orders:,} active orders made in {took:.1f} s", flush=True)
        memory[orders] = ban_memory_at(table, orders, broker)
        print(f"  memory measured: {json.dumps(memory[orders])}", flush=True)

    names = bare_names()
    busy_before = common.settle(args.wait_quiet)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    other = common.OtherLoad(ours({int(row[0])} if row else set()))
    labels = ["product", "bare"]
    runners: dict[str, Callable[[], dict[str, float]]] = {
        "product": lambda: run_product_ban(table),
        "bare": lambda: run_bare_ban(table, names),
    }
    runs: dict[str, list[Run]] = {label: [] for label in labels}
    resets = 0.0
    for index in range(args.rounds):
        last: dict[str, Run] = {}
        for label in labels if index % 2 == 0 else reversed(labels):
            resets += table.build(args.orders)
            common.settle(min(60.0, args.wait_quiet))
            run = bans_once(table, runners[label], other, broker)
            runs[label].append(run)
            last[label] = run
            parts = ", ".join(f"{phase} {run.seconds[phase]:.3f}" for phase in BAN_PHASES)
            print(f"  round {index + 1}: {label} {run.total:.2f} s ({parts})", flush=True)
        compare_census(last["product"].census, last["bare"].census, "the product and bare SQL")
    print(f"  (making the data again before each run: {resets:.0f} s in all)")
    if args.keep:
        table.build(args.orders)

    n = args.orders
    common.print_report_header(busy_before)
    print(
        f"| Ban: {n:,} orders + a buyer with credit | Rounds | seller ban (ms) "
        "| seller settlement (s) | buyer ban (ms) | buyer settlement (s) | total (s) "
        "| orders/s | tasks queued | Other load (% of a core, max) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label in labels:
        done = runs[label]

        def med(phase: str, done: list[Run] = done) -> float:
            return common.median([run.seconds[phase] for run in done])

        totals = [run.total for run in done]
        print(
            f"| {BAN_LABELS[label]} | {len(done)} | {1e3 * med('seller ban'):.1f} | "
            f"{med('seller settlement'):.2f} | {1e3 * med('buyer ban'):.1f} | "
            f"{med('buyer settlement'):.3f} | {common.median(totals):.2f} "
            f"({min(totals):.2f}-{max(totals):.2f}) | {n / common.median(totals):,.0f} | "
            f"{done[-1].tasks:,} | {max(run.load for run in done):.0f} |"
        )
    product, bare = runs["product"][-1], runs["bare"][-1]
    print_writes({"product": product, "bare": bare}, n, "cancelled order", BAN_LABELS)
    print()
    print(
        "The bench users' rows after a run (the census: equal for the product and the bare SQL, "
        "balances user by user, checked every round):"
    )
    print("| Rows | Count | Sum (cents; seconds for the figures) |")
    print("|---|---:|---:|")
    for key, (count, total) in sorted(shown(product.census).items()):
        print(f"| {key} | {count:,} | {total:,} |")
    print(f"Reconciled after every run: {reconciled()}; nothing repaired.")

    def ratios(phases: Sequence[str]) -> list[float]:
        """Per round: the bare SQL's time over the product's for these steps."""
        return [
            sum(lean.seconds[p] for p in phases) / sum(made.seconds[p] for p in phases)
            for made, lean in zip(runs["product"], runs["bare"], strict=True)
        ]

    whole = ratios(BAN_PHASES)
    print()
    print(
        f"bare SQL time / product time (the product's rate against bare SQL's), "
        f"the whole ban: {summary(whole)} (target ≥ 0.25)"
    )
    print(f"  the seller's settlement alone: {summary(ratios(['seller settlement']))}")
    print(f"  the bans alone (standing, tokens): {summary(ratios(['seller ban', 'buyer ban']))}")
    sizes = {orders: orders for orders in memory}
    peak = common.print_memory_table("Active orders", "Cancelled", memory, sizes)
    flat = peak <= 1.5
    print(
        f"tracemalloc peak of settle_ban at {args.orders:,} orders / at {args.small_orders:,}: "
        f"{peak:.2f} (flat: ≤ 1.5)"
    )
    return common.median(whole) >= 0.25 and flat


def measure_reviews(args: argparse.Namespace, url: str, hashed: str, broker: Broker) -> bool:
    from django.db import connection

    now = datetime.now(UTC).replace(microsecond=0)
    table = ReviewTable(url=url, now=now, seed=args.seed, hashed=hashed)
    print(f"\n## Part 2: end_overdue_reviews, a tenth of {args.reviews:,} reviews due", flush=True)
    memory: dict[int, dict[str, Any]] = {}
    sizes: dict[int, int] = {}
    for rows in (args.small_reviews, args.reviews):
        took = table.build(rows)
        print(f"{rows:,} reviews ({table.due:,} due) made in {took:.1f} s", flush=True)
        sizes[rows] = table.due
        memory[rows] = review_memory_at(table, broker)
        print(f"  memory measured: {json.dumps(memory[rows])}", flush=True)

    busy_before = common.settle(args.wait_quiet)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    other = common.OtherLoad(ours({int(row[0])} if row else set()))
    labels = ["product", "bare", "writes"]
    runners: dict[str, Callable[[], int]] = {
        "product": lambda: run_reviews_product(now),
        "bare": lambda: run_reviews_bare(now),
        "writes": lambda: run_reviews_writes(now),
    }
    runs: dict[str, list[Run]] = {label: [] for label in labels}
    resets = 0.0
    for index in range(args.rounds):
        last: dict[str, Run] = {}
        for label in labels if index % 2 == 0 else reversed(labels):
            began = time.perf_counter()
            table.reset()
            untouched = table.fingerprint()
            resets += time.perf_counter() - began
            common.settle(min(60.0, args.wait_quiet))
            queued = broker.lengths()
            before = table_writes(url)
            other.start()
            began = time.perf_counter()
            handled = runners[label]()
            run = Run(seconds={"run": time.perf_counter() - began}, load=other.stop())
            flush_stats()
            run.writes = written(before, table_writes(url))
            run.tasks = broker.drop_since(queued)
            if handled != table.due:
                raise SystemExit(f"{label} handled {handled:,} of {table.due:,}")
            table.verify(untouched, full=label != "bare")
            run.census = table.census()
            runs[label].append(run)
            last[label] = run
            print(f"  round {index + 1}: {label} {run.total:.2f} s", flush=True)
        compare_census(
            last["product"].census, last["writes"].census, "the product and the bare writes"
        )
    print(f"  (resets between runs: {resets:.0f} s in all)")
    table.reset()  # the rows as made, for --keep

    due = table.due
    rates = {label: [due / run.total for run in done] for label, done in runs.items()}
    ratios = functools.partial(common.rate_ratios, rates)

    common.print_report_header(busy_before)
    print(
        f"| Ending {due:,} due among {table.rows:,} | Rounds | Median (s) | min-max (s) "
        "| rows/s (median) | tasks queued | Other load (% of a core, max) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for label in labels:
        times = [run.total for run in runs[label]]
        print(
            f"| {REVIEW_LABELS[label]} | {len(times)} | {common.median(times):.2f} | "
            f"{min(times):.2f}-{max(times):.2f} | {common.median(rates[label]):,.0f} | "
            f"{runs[label][-1].tasks:,} | {max(run.load for run in runs[label]):.0f} |"
        )
    short = {"product": "product", "bare": "bare UPDATE", "writes": "bare writes"}
    print_writes({label: runs[label][-1] for label in labels}, due, "review", short)
    print()
    print(
        f"product rate / bare UPDATE rate: {summary(ratios('product', 'bare'))} "
        "(the issue names no number; J-1's is ≥ 0.25)"
    )
    print(f"product rate / bare writes rate: {summary(ratios('product', 'writes'))}")
    print(f"bare writes rate / bare UPDATE rate: {summary(ratios('writes', 'bare'))}")
    peak = common.print_memory_table("Reviews", "Due", memory, sizes)
    print(
        f"tracemalloc peak at {args.reviews:,} rows / at {args.small_reviews:,}: {peak:.2f} "
        "(flat: ≤ 1.5)"
    )
    return peak <= 1.5


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Sanctions benchmark (M-7 bans, J-2 reviews).")
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--small-orders", type=int, default=None, help="default: a tenth")
    parser.add_argument(
        "--reviews",
        type=int,
        default=1_000_000,
        help="reviews in the table, a tenth of them due (the issue's size; about 6 minutes for "
        "part 2 on the bench machine)",
    )
    parser.add_argument("--small-reviews", type=int, default=None, help="default: a tenth")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-bans", action="store_true")
    parser.add_argument("--skip-reviews", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the data in the database")
    parser.add_argument("--child", choices=("bans", "reviews"), help=argparse.SUPPRESS)
    parser.add_argument("--ban", help=argparse.SUPPRESS)
    parser.add_argument("--warm-ban", help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    parser.add_argument("--warm-now", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)
    if args.child == "bans":
        ban_child(args.ban, args.warm_ban, args.traced)
        return
    if args.child == "reviews":
        review_child(
            datetime.fromisoformat(args.now), datetime.fromisoformat(args.warm_now), args.traced
        )
        return
    args.small_orders = args.small_orders or max(WARMUP_ORDERS, args.orders // 10)
    args.small_reviews = args.small_reviews or max(10 * (WARMUP_REVIEWS + 1), args.reviews // 10)

    if database.migrations_pending():
        raise SystemExit(
            "The bench database misses migrations: `python -m bench.generate --reuse` "
            "regenerates it (or migrate it with DJANGO_SETTINGS_MODULE=bench.settings)."
        )
    began = time.perf_counter()
    url = common.database_url()
    common.setup_django()
    from django.conf import settings

    broker = Broker(settings.CELERY_BROKER_URL)
    for domain, reasons in ((BANS_DOMAIN, ()), (REVIEWS_DOMAIN, REVIEW_REASONS)):
        removed = remove_rows(url, domain, reasons)
        if removed:
            print(f"Removed {removed:,} users @{domain} an earlier run left, and their rows.")
            vacuum(url)
    hashed = password_hash()
    met = True
    try:
        if not args.skip_bans:
            met = measure_bans(args, url, hashed, broker) and met
        if not args.skip_reviews:
            met = measure_reviews(args, url, hashed, broker) and met
        print()
        print("Targets met." if met else "TARGETS NOT MET.")
    finally:
        if not args.keep:
            for domain, reasons in ((BANS_DOMAIN, ()), (REVIEWS_DOMAIN, REVIEW_REASONS)):
                removed = remove_rows(url, domain, reasons)
                print(f"Removed the {removed:,} bench users @{domain} and their rows.")
            vacuum(url)
        broker.restore()
        print(f"Whole run: {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
