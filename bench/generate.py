"""Generate the bench database: a marketplace of realistic size, filled with COPY.

    .venv/bin/python -m bench.generate            # drop, recreate, migrate, fill (a few minutes)
    .venv/bin/python -m bench.generate --reuse    # keep an already complete database
    .venv/bin/python -m bench.generate --scale 0.01   # a small one, to try the scripts quickly

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/marketplace_bench);
it is created with the project's own migrations (`manage.py migrate`), so the columns,
constraints and indexes are the product's. What goes in (scale 1):

- 10,000 users (2,000 of them sellers, a few restricted or banned), one password hash for all;
- 100,000 gigs (10 % paused), extras on about 30 % of them;
- 1,000,000 orders: statuses mixed by age (old ones completed or cancelled, recent ones in every
  state) with their timestamps, extras on about 25 %, tips on about 15 % of delivered/completed;
  the big seller has exactly 100,000 orders, the small seller exactly 100;
- 1,000,000 messages over about 84,000 conversations (one per buyer/seller pair that has
  orders; the pair stored low id first), system notices linked to an order, ids in time order
  across conversations; the big seller and the chat buyer have 5,000 messages; every
  conversation's `last_message`, `last_message_at` and unread counters are consistent with
  its messages;
- `SellerStats` from one aggregate INSERT … SELECT over the orders, then checked with the
  product's own `reconcile_seller_stats` (it must repair nothing).

Rows are written with psycopg 3 `COPY … FROM STDIN` in one transaction with foreign-key triggers
off (`session_replication_role = replica`); every foreign key is then checked with one anti-join
each, sequences are moved past the copied ids, and the database is vacuumed and analysed. Ledger
entries, withdrawals and tokens are not generated (the benchmarks create the one token they use).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from bench import common, database

MARKER_PREFIX = "marketplace bench data"
DAY = 86_400.0
HOUR = 3_600.0

_WORDS = (
    "logo design brand identity website wordpress shopify landing page mobile app android ios "
    "flutter react python django script automation data analysis excel dashboard report seo "
    "audit keyword research article blog post copywriting translation german english spanish "
    "french proofreading editing video editing animation motion graphics explainer whiteboard "
    "voice over podcast mixing mastering music jingle illustration portrait cartoon character "
    "children book cover ebook formatting resume cover letter linkedin profile social media "
    "instagram tiktok youtube thumbnail banner flyer poster brochure business card packaging "
    "label product photo retouching background removal 3d model render architecture floor plan "
    "interior game unity unreal bot discord telegram chatbot api integration scraping database "
    "sql cloud aws docker kubernetes devops security pentest email marketing newsletter "
    "campaign ads google facebook lead generation virtual assistant transcription subtitles "
    "customer support sales funnel course tutoring coaching consulting strategy business plan "
    "pitch deck presentation infographic icon set ui ux figma prototype wireframe font"
)
_VERBS = (
    "design create build write edit translate fix develop optimize record produce draw "
    "animate set up manage audit improve convert"
)
_ADJECTIVES = (
    "professional modern minimalist unique creative responsive fast premium custom clean "
    "stunning elegant simple complete detailed"
)
# Split at import: a list literal of 150 words would be 150 lines once formatted.
WORDS, VERBS, ADJECTIVES = _WORDS.split(), _VERBS.split(), _ADJECTIVES.split()
GIG_EXTRAS = (
    ("Express delivery", 1000, 5000),
    ("Source files", 500, 3000),
    ("Extra revision", 500, 2000),
    ("Commercial use", 1000, 8000),
    ("Additional page", 1500, 6000),
)
# Gig search benchmark terms: one in roughly 1 gig in 10,000, one in none.
RARE_TERM = "zanzibar"
TIMEZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Europe/London")


@dataclass(frozen=True)
class Plan:
    users: int
    sellers: int
    gigs: int
    orders: int
    messages: int
    big_seller_orders: int
    small_seller_orders: int
    chat_messages: int
    seed: int

    @classmethod
    def at_scale(cls, scale: float, seed: int) -> Plan:
        def n(value: int) -> int:
            return max(1, round(value * scale))

        return cls(
            users=max(n(10_000), 50),
            sellers=max(n(2_000), 10),
            gigs=max(n(100_000), 100),
            orders=max(n(1_000_000), 1_000),
            messages=max(n(1_000_000), 1_000),
            big_seller_orders=max(n(100_000), 200),
            small_seller_orders=100,
            chat_messages=max(n(5_000), 200),
            seed=seed,
        )

    def marker(self) -> str:
        return (
            f"{MARKER_PREFIX}: users={self.users} sellers={self.sellers} gigs={self.gigs} "
            f"orders={self.orders} messages={self.messages} "
            f"big={self.big_seller_orders} small={self.small_seller_orders} "
            f"chat={self.chat_messages} seed={self.seed} complete"
        )


# ---------------------------------------------------------------- small helpers
def ts(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def opt_ts(epoch: float | None) -> str:
    return r"\N" if epoch is None else ts(epoch)


def new_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


class Timer:
    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.steps: list[tuple[str, float]] = []

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        print(f"  {name} …", end="", flush=True)
        yield
        took = time.perf_counter() - began
        self.steps.append((name, took))
        print(f" {took:6.1f} s", flush=True)

    def total(self) -> float:
        return time.perf_counter() - self.start


def distribute(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    short = total - sum(counts)
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


def password_hash() -> str:
    common.setup_django()
    from django.contrib.auth.hashers import make_password

    return make_password(common.PASSWORD)


# ---------------------------------------------------------------- the generator
@dataclass
class Pair:
    """One conversation: a pair of users with orders between them."""

    id: str
    low: int
    high: int
    created: float
    first_order: str
    first_title: str


@dataclass
class State:
    plan: Plan
    rng: random.Random
    now: float
    start: float
    gigs_of: dict[int, list[tuple[int, str, int]]] = field(default_factory=dict)
    extras_of: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    pairs: dict[tuple[int, int], Pair] = field(default_factory=dict)
    order_extras: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def big_seller(self) -> int:
        return 1

    @property
    def small_seller(self) -> int:
        return 2

    @property
    def chat_buyer(self) -> int:
        return self.plan.sellers + 1

    def words(self, pool: Sequence[str], k: int) -> str:
        return " ".join(self.rng.choices(pool, k=k))


def user_rows(state: State, hashed: str) -> Iterator[tuple[object, ...]]:
    rng, plan = state.rng, state.plan
    levels = ("new", "level_1", "level_2", "top_rated")
    for uid in range(1, plan.users + 1):
        is_seller = uid <= plan.sellers
        special = uid in (state.big_seller, state.small_seller, state.chat_buyer)
        if uid == state.big_seller:
            email, name, level = common.BIG_SELLER_EMAIL, "Big Seller", "top_rated"
        elif uid == state.small_seller:
            email, name, level = common.SMALL_SELLER_EMAIL, "Small Seller", "level_1"
        elif uid == state.chat_buyer:
            email, name, level = common.CHAT_BUYER_EMAIL, "Chat Buyer", "new"
        else:
            email, name = f"user{uid}@bench.test", f"User {uid}"
            level = rng.choices(levels, weights=(30, 35, 25, 10))[0] if is_seller else "new"
        tier = (
            "pro"
            if uid == state.chat_buyer
            else rng.choices(("standard", "pro", "select"), weights=(85, 12, 3))[0]
        )
        standing, changed = "active", None
        if not special:
            roll = rng.random()
            if roll < 0.005:
                standing = "banned"
            elif roll < 0.015:
                standing = "restricted"
        joined = state.start - 400 * DAY - rng.uniform(0, 365 * DAY)
        if standing != "active":
            changed = rng.uniform(joined, state.now)
        yield (
            uid,
            hashed,
            None,  # last_login
            "f",  # is_superuser
            email,
            name,
            rng.choice(TIMEZONES),
            "de" if rng.random() < 0.2 else "en",
            level,
            tier,
            standing,
            opt_ts(changed),
            "f",  # is_staff
            "t",  # is_active
            ts(joined),
        )


USER_COLUMNS = (
    "id password last_login is_superuser email display_name timezone language seller_level "
    "buyer_tier standing standing_changed_at is_staff is_active date_joined"
)


def gig_seller(state: State, gig_id: int) -> int:
    # The big seller has 20 gigs, the small seller 2, the other sellers share the rest.
    if gig_id <= 20:
        return state.big_seller
    if gig_id <= 22:
        return state.small_seller
    return 3 + (gig_id % (state.plan.sellers - 2))


def gig_rows(state: State) -> Iterator[tuple[object, ...]]:
    rng, plan = state.rng, state.plan
    for gid in range(1, plan.gigs + 1):
        seller = gig_seller(state, gid)
        title = (f"I will {rng.choice(VERBS)} a {rng.choice(ADJECTIVES)} {state.words(WORDS, 3)}")[
            :120
        ]
        description = state.words(WORDS, rng.randint(30, 70))
        if gid % 10_000 == 5_000:
            description += f" made in {RARE_TERM}"
        price = rng.choice((500, 1000, 1500, 2000, 2500, 5000, 7500, 10000, 15000, 25000, 50000))
        # Newer gigs have higher ids; all exist before the first order of the window.
        created = state.start - 365 * DAY * (1 - gid / plan.gigs) - HOUR
        status = "paused" if rng.random() < 0.1 else "active"
        state.gigs_of.setdefault(seller, []).append((gid, title, price))
        # No cover picture (migration 0011): the FileFields' empty name.
        yield (gid, seller, title, description, price, status, ts(created), ts(created), "", "")


GIG_COLUMNS = (
    "id seller_id title description base_price_cents status created_at updated_at cover "
    "cover_thumbnail"
)


def gig_extra_rows(state: State) -> Iterator[tuple[object, ...]]:
    rng = state.rng
    ids = itertools.count(1)
    for gid in range(1, state.plan.gigs + 1):
        if gid > 22 and rng.random() >= 0.3:
            continue  # the special sellers' gigs always have extras
        for name, low, high in rng.sample(GIG_EXTRAS, rng.randint(1, 3)):
            price = rng.randrange(low, high + 1, 100)
            state.extras_of.setdefault(gid, []).append((name, price))
            yield (next(ids), gid, name, price)


GIG_EXTRA_COLUMNS = "id gig_id name price_cents"


def buyer_pools(state: State) -> dict[int, list[int]]:
    """Each seller sells to a fixed pool of buyers (a few of them other sellers), so orders
    concentrate on about 40 conversations per seller, as repeat business does."""
    rng, plan = state.rng, state.plan
    buyers = range(plan.sellers + 1, plan.users + 1)
    pools: dict[int, list[int]] = {}
    for seller in range(1, plan.sellers + 1):
        if seller == state.big_seller:
            size = min(4_000, len(buyers))
            pool = rng.sample(buyers, size)
            if state.chat_buyer not in pool:
                pool[0] = state.chat_buyer
        elif seller == state.small_seller:
            pool = rng.sample(buyers, min(20, len(buyers)))
        else:
            others = [s for s in rng.sample(range(3, plan.sellers + 1), 3) if s != seller][:2]
            pool = rng.sample(buyers, min(38, len(buyers))) + others
        pools[seller] = pool
    return pools


def orders_per_seller(state: State) -> dict[int, int]:
    plan = state.plan
    rest = plan.orders - plan.big_seller_orders - plan.small_seller_orders
    others = list(range(3, plan.sellers + 1))
    weights = [state.rng.uniform(0.5, 1.5) for _ in others]
    counts = dict(zip(others, distribute(rest, weights), strict=True))
    counts[state.big_seller] = plan.big_seller_orders
    counts[state.small_seller] = plan.small_seller_orders
    return counts


def order_rows(state: State) -> Iterator[tuple[object, ...]]:
    rng = state.rng
    now, start = state.now, state.start
    pools = buyer_pools(state)
    for seller, count in sorted(orders_per_seller(state).items()):
        gigs = state.gigs_of[seller]
        pool = pools[seller]
        for n in range(count):
            # The big seller's first order is the chat buyer's: their conversation must exist.
            buyer = state.chat_buyer if seller == state.big_seller and n == 0 else rng.choice(pool)
            gig_id, title, price = rng.choice(gigs)
            order_id = new_uuid(rng)
            placed = rng.uniform(start, now - HOUR)
            low, high = (seller, buyer) if seller < buyer else (buyer, seller)
            pair = state.pairs.get((low, high))
            if pair is None:
                pair = Pair(new_uuid(rng), low, high, placed - 60, order_id, title)
                state.pairs[(low, high)] = pair
            elif placed - 60 < pair.created:
                pair.created, pair.first_order, pair.first_title = placed - 60, order_id, title

            age = now - placed
            if age > 30 * DAY:
                status = "completed" if rng.random() < 0.85 else "cancelled"
            else:
                status = rng.choices(
                    ("active", "delivered", "completed", "cancelled"), weights=(35, 25, 30, 10)
                )[0]
            delivered = revision = completed = cancelled = tipped = None
            revisions = 0
            if status == "cancelled":
                cancelled = placed + rng.uniform(0, min(age, 2 * DAY))
            elif status == "active":
                if rng.random() < 0.1 and age > 2 * HOUR:
                    revisions = 1
                    delivered = placed + rng.uniform(0, age / 2)
                    revision = delivered + rng.uniform(0, (now - delivered) / 2)
            else:
                delivered = placed + rng.uniform(HOUR, min(age, 7 * DAY))
                if status == "completed":
                    completed = delivered + rng.uniform(0, min(now - delivered, 3 * DAY))
            tip = 0
            if delivered is not None and status != "active" and rng.random() < 0.15:
                tip = rng.choice((200, 500, 1000, 2000, 5000))
                tipped = delivered + rng.uniform(0, min(now - delivered, DAY))
            extras_cents = 0
            gig_extras = state.extras_of.get(gig_id)
            if gig_extras and rng.random() < 0.25:
                for name, extra_price in rng.sample(gig_extras, min(len(gig_extras), 2)):
                    state.order_extras.append((order_id, name, extra_price))
                    extras_cents += extra_price
            yield (
                order_id,
                gig_id,
                buyer,
                seller,
                pair.id,
                title,
                price,
                extras_cents,
                tip,
                status,
                revisions,
                ts(placed),
                opt_ts(delivered),
                opt_ts(revision),
                opt_ts(completed),
                opt_ts(cancelled),
                opt_ts(tipped),
                f"bench_{order_id[:8]}",
                "",  # cancellation_reason: only the platform's cancellations give one
            )


ORDER_COLUMNS = (
    "id gig_id buyer_id seller_id conversation_id title base_price_cents extras_cents tip_cents "
    "status revisions placed_at delivered_at revision_requested_at completed_at cancelled_at "
    "tipped_at payment_reference cancellation_reason"
)


def order_extra_rows(state: State) -> Iterator[tuple[object, ...]]:
    for i, (order_id, name, price) in enumerate(state.order_extras, start=1):
        yield (i, order_id, name, price)


ORDER_EXTRA_COLUMNS = "id order_id name price_cents"


@dataclass
class Summary:
    """What a conversation row needs to know about its messages."""

    last_id: int = 0
    last_at: float = 0.0
    unread_low: int = 0
    unread_high: int = 0


# A message before ids are given: (time, conversation index, sender or 0, system?, body index).
Draft = tuple[float, int, int, bool, int]


def message_drafts(state: State, pairs: list[Pair]) -> tuple[list[Draft], list[Summary]]:
    """Messages of every conversation, then sorted by time so ids follow time across
    conversations, as they do in production."""
    rng, plan = state.rng, state.plan
    chat = state.pairs[(state.big_seller, state.chat_buyer)]
    rest = plan.messages - plan.chat_messages - (len(pairs) - 1)
    weights = [rng.expovariate(1.0) for _ in pairs]
    counts = [1 + n for n in distribute(rest, weights)]
    chat_index = pairs.index(chat)
    counts[chat_index] = plan.chat_messages
    counts[-1 if chat_index != len(pairs) - 1 else 0] += plan.messages - sum(counts)

    drafts: list[Draft] = []
    summaries: list[Summary] = []
    for index, (pair, count) in enumerate(zip(pairs, counts, strict=True)):
        times = sorted(rng.uniform(pair.created, state.now) for _ in range(count))
        senders: list[int] = []
        for i, when in enumerate(times):
            # The first message of a conversation is the order notice; then ~3 % system notices.
            system = i == 0 or rng.random() < 0.03
            sender = 0 if system else (pair.low if rng.random() < 0.5 else pair.high)
            senders.append(sender)
            drafts.append((when, index, sender, system, rng.randrange(len(BODIES))))
        # Each side last read the conversation a few messages ago (most have read everything).
        summary = Summary()
        for side in ("low", "high"):
            user = pair.low if side == "low" else pair.high
            behind = 0 if rng.random() < 0.7 else rng.randint(1, 3)
            unread = sum(1 for s in senders[-behind:] if s != user) if behind else 0
            setattr(summary, f"unread_{side}", unread)
        summaries.append(summary)
    drafts.sort()
    return drafts, summaries


BODIES: list[str] = []


def make_bodies(rng: random.Random) -> None:
    BODIES.clear()
    for _ in range(5_000):
        BODIES.append(" ".join(rng.choices(WORDS, k=rng.randint(3, 30))).capitalize() + ".")


def message_rows(
    drafts: list[Draft], pairs: list[Pair], summaries: list[Summary]
) -> Iterator[tuple[object, ...]]:
    for mid, (when, index, sender, system, body) in enumerate(drafts, start=1):
        pair = pairs[index]
        summary = summaries[index]
        summary.last_id, summary.last_at = mid, when
        if system:
            # As `services.orders` writes them: a notice about the pair's first order.
            payload = {
                "event": "order_placed",
                "order": pair.first_order,
                "title": pair.first_title,
            }
            yield (
                mid,
                pair.id,
                r"\N",
                "system",
                f"Order placed: {pair.first_title}",
                json.dumps(payload),
                pair.first_order,
                ts(when),
            )
        else:
            yield (mid, pair.id, sender, "text", BODIES[body], "{}", r"\N", ts(when))


MESSAGE_COLUMNS = "id conversation_id sender_id kind body payload order_id created_at"


def conversation_rows(pairs: list[Pair], summaries: list[Summary]) -> Iterator[tuple[object, ...]]:
    for pair, summary in zip(pairs, summaries, strict=True):
        yield (
            pair.id,
            pair.low,
            pair.high,
            ts(pair.created),
            summary.last_id,
            ts(summary.last_at),
            ts(summary.last_at),  # last_activity_at: the last message (every pair has one)
            summary.unread_low,
            summary.unread_high,
        )


CONVERSATION_COLUMNS = (
    "id user_low_id user_high_id created_at last_message_id last_message_at last_activity_at "
    "unread_low unread_high"
)

SELLER_STATS = """
INSERT INTO marketplace_sellerstats
    (seller_id, completed_orders, completed_base_cents, completed_gross_cents, last_order_at)
SELECT seller_id,
       count(*) FILTER (WHERE status = 'completed'),
       coalesce(sum(base_price_cents) FILTER (WHERE status = 'completed'), 0),
       coalesce(sum(base_price_cents + extras_cents + tip_cents)
                FILTER (WHERE status = 'completed'), 0),
       max(placed_at) FILTER (WHERE status <> 'cancelled')
FROM marketplace_order
GROUP BY seller_id
"""

# The ledger the orders imply, as the product's services write it (K-5, J-5): each order's card
# payment (and a tip's), a cancellation's refund to credit, a completed order's earning (and tip)
# pending for 14 days, the clearing pair of every earning whose 14 days are over, the clearing
# queue of those still waiting, and the running balances — in SQL over the copied orders.
LEDGER_COLUMNS = (
    "user_id, bucket, kind, amount_cents, order_id, reference, available_at, clears_id, created_at"
)


def into_ledger(select: str) -> str:
    """An INSERT of ledger entries from a SELECT of their columns (all constants here)."""
    return f"INSERT INTO marketplace_ledgerentry ({LEDGER_COLUMNS}) {select}"


LEDGER_FROM_ORDERS = (
    # The order's card payment.
    into_ledger(
        """SELECT buyer_id, 'external', 'payment', -(base_price_cents + extras_cents), id,
                  payment_reference, NULL, NULL, placed_at
           FROM marketplace_order"""
    ),
    # A tip's card payment.
    into_ledger(
        """SELECT buyer_id, 'external', 'payment', -tip_cents, id, '', NULL, NULL, tipped_at
           FROM marketplace_order WHERE tip_cents > 0"""
    ),
    # A cancellation refunds the buyer as credit.
    into_ledger(
        """SELECT buyer_id, 'credit', 'refund', base_price_cents + extras_cents + tip_cents,
                  id, '', NULL, NULL, cancelled_at
           FROM marketplace_order WHERE status = 'cancelled'"""
    ),
    # Completion books the seller's earning, pending for the clearing period.
    into_ledger(
        """SELECT seller_id, 'pending', 'earning', base_price_cents + extras_cents, id, '',
                  completed_at + interval '14 days', NULL, completed_at
           FROM marketplace_order WHERE status = 'completed'"""
    ),
    # A tip is earned at completion, or when it comes after it.
    into_ledger(
        """SELECT seller_id, 'pending', 'tip', tip_cents, id, '',
                  greatest(completed_at, tipped_at) + interval '14 days', NULL,
                  greatest(completed_at, tipped_at)
           FROM marketplace_order WHERE status = 'completed' AND tip_cents > 0"""
    ),
    # Every earning whose clearing date is past has been cleared: out of pending …
    into_ledger(
        """SELECT user_id, 'pending', 'clearing', -amount_cents, order_id, '', NULL, id,
                  available_at
           FROM marketplace_ledgerentry
           WHERE bucket = 'pending' AND amount_cents > 0 AND available_at <= now()"""
    ),
    # … and into available.
    into_ledger(
        """SELECT user_id, 'available', 'clearing', amount_cents, order_id, '', NULL, NULL,
                  available_at
           FROM marketplace_ledgerentry
           WHERE bucket = 'pending' AND amount_cents > 0 AND available_at <= now()"""
    ),
    # What still waits is the clearing sweep's queue.
    """INSERT INTO marketplace_pendingclearance (entry_id, user_id, due_at)
       SELECT id, user_id, available_at FROM marketplace_ledgerentry
       WHERE bucket = 'pending' AND amount_cents > 0 AND available_at > now()""",
    # The running balances are the sums.
    """INSERT INTO marketplace_balance (user_id, bucket, cents)
       SELECT user_id, bucket, sum(amount_cents) FROM marketplace_ledgerentry
       WHERE bucket <> 'external' GROUP BY user_id, bucket HAVING sum(amount_cents) <> 0""",
)

# (child table, column, parent table, parent column): every foreign key the COPY filled.
FOREIGN_KEYS = (
    ("marketplace_gig", "seller_id", "accounts_user", "id"),
    ("marketplace_gigextra", "gig_id", "marketplace_gig", "id"),
    ("marketplace_order", "gig_id", "marketplace_gig", "id"),
    ("marketplace_order", "buyer_id", "accounts_user", "id"),
    ("marketplace_order", "seller_id", "accounts_user", "id"),
    ("marketplace_order", "conversation_id", "marketplace_conversation", "id"),
    ("marketplace_orderextra", "order_id", "marketplace_order", "id"),
    ("marketplace_conversation", "user_low_id", "accounts_user", "id"),
    ("marketplace_conversation", "user_high_id", "accounts_user", "id"),
    ("marketplace_conversation", "last_message_id", "marketplace_message", "id"),
    ("marketplace_message", "conversation_id", "marketplace_conversation", "id"),
    ("marketplace_message", "sender_id", "accounts_user", "id"),
    ("marketplace_message", "order_id", "marketplace_order", "id"),
    ("marketplace_sellerstats", "seller_id", "accounts_user", "id"),
    ("marketplace_ledgerentry", "user_id", "accounts_user", "id"),
    ("marketplace_ledgerentry", "order_id", "marketplace_order", "id"),
    ("marketplace_ledgerentry", "clears_id", "marketplace_ledgerentry", "id"),
    ("marketplace_pendingclearance", "entry_id", "marketplace_ledgerentry", "id"),
    ("marketplace_balance", "user_id", "accounts_user", "id"),
)
SEQUENCE_TABLES = (
    "accounts_user",
    "marketplace_gig",
    "marketplace_gigextra",
    "marketplace_orderextra",
    "marketplace_message",
)


def fill(url: str, plan: Plan, timer: Timer) -> dict[str, int]:
    rng = random.Random(plan.seed)  # noqa: S311 - reproducible fake data, not secrets
    now = time.time()
    state = State(plan=plan, rng=rng, now=now, start=now - 730 * DAY)
    make_bodies(rng)
    with timer.step("hash the shared password"):
        hashed = password_hash()
    counts: dict[str, int] = {}
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        # Foreign-key triggers off while copying (checked afterwards); no fsync wait per commit.
        cur.execute("SET session_replication_role = replica")
        cur.execute("SET synchronous_commit = off")
        steps: list[tuple[str, str, str, Callable[[], Iterable[Sequence[object]]]]] = [
            ("users", "accounts_user", USER_COLUMNS, lambda: user_rows(state, hashed)),
            ("gigs", "marketplace_gig", GIG_COLUMNS, lambda: gig_rows(state)),
            (
                "gig extras",
                "marketplace_gigextra",
                GIG_EXTRA_COLUMNS,
                lambda: gig_extra_rows(state),
            ),
            ("orders", "marketplace_order", ORDER_COLUMNS, lambda: order_rows(state)),
            (
                "order extras",
                "marketplace_orderextra",
                ORDER_EXTRA_COLUMNS,
                lambda: order_extra_rows(state),
            ),
        ]
        for label, table, columns, rows in steps:
            with timer.step(f"copy {label}"):
                counts[table] = database.copy_rows(cur, table, columns, rows())
        pairs = list(state.pairs.values())
        with timer.step("plan messages"):
            drafts, summaries = message_drafts(state, pairs)
        with timer.step("copy messages"):
            counts["marketplace_message"] = database.copy_rows(
                cur, "marketplace_message", MESSAGE_COLUMNS, message_rows(drafts, pairs, summaries)
            )
        del drafts
        with timer.step("copy conversations"):
            counts["marketplace_conversation"] = database.copy_rows(
                cur,
                "marketplace_conversation",
                CONVERSATION_COLUMNS,
                conversation_rows(pairs, summaries),
            )
        with timer.step("seller figures (one INSERT … SELECT)"):
            cur.execute(SELLER_STATS)
            counts["marketplace_sellerstats"] = cur.rowcount
        with timer.step("the ledger the orders imply (INSERT … SELECT)"):
            for statement in LEDGER_FROM_ORDERS:
                cur.execute(statement)
            for table in ("ledgerentry", "pendingclearance", "balance"):
                row = cur.execute(f"SELECT count(*) FROM marketplace_{table}").fetchone()  # noqa: S608
                counts[f"marketplace_{table}"] = row[0] if row else 0
        with timer.step("check every foreign key"):
            database.check_foreign_keys(cur, FOREIGN_KEYS)
        database.reset_sequences(cur, SEQUENCE_TABLES)
        with timer.step("commit"):
            conn.commit()
    return counts


def verify_with_reconcile() -> str:
    """The product's own reconciliations must find nothing to repair."""
    common.setup_django()
    from marketplace.services.ledger import reconcile_balances
    from marketplace.services.stats import reconcile_seller_stats

    result = reconcile_seller_stats()
    if result.sellers_repaired:
        raise SystemExit(f"SellerStats inconsistent with the orders: {result}")
    balances = reconcile_balances()
    if balances.balances_repaired:
        raise SystemExit(f"Balances inconsistent with the ledger: {balances}")
    return (
        f"reconcile_seller_stats: {result.sellers_checked} sellers checked, 0 repaired; "
        f"reconcile_balances: {balances.users_checked} users checked, 0 repaired"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--reuse", action="store_true", help="keep a complete database as is")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--force", action="store_true", help="drop a database without 'bench'")
    parser.add_argument("--no-verify", action="store_true", help="skip reconcile_seller_stats")
    args = parser.parse_args(argv)

    url = common.database_url()
    plan = Plan.at_scale(args.scale, args.seed)
    if args.reuse and database.database_marker(url) == plan.marker():
        if not database.migrations_pending():
            print(f"Reusing {database.admin_url(url)[1]}: {plan.marker()}")
            return
        print("The bench database misses migrations added since it was made: regenerating.")
    print(f"Generating {database.admin_url(url)[1]}: {plan}")
    timer = Timer()
    with timer.step("drop and create the database"):
        database.recreate_database(url, force=args.force)
    with timer.step("migrate"):
        database.migrate()
    counts = fill(url, plan, timer)
    with timer.step("vacuum and analyse"):
        database.vacuum(url)
    if not args.no_verify:
        with timer.step("verify seller figures with reconcile_seller_stats"):
            verified = verify_with_reconcile()
        print(f"    {verified}")
    database.mark_complete(url, plan.marker())
    for table, count in counts.items():
        print(f"    {table:28} {count:>10,}")
    print(f"Done in {timer.total():.1f} s")


if __name__ == "__main__":
    main()
