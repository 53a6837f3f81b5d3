"""The trust-and-safety queue at 1M reports and flags (issue: trust and safety, benchmark 2):

    .venv/bin/python -m bench.moderation_queue [--items 1000000] [--unresolved 100000]
                                               [--calls 200] [--rounds 5]

Fills the bench database's moderation tables (once; `--refill` to start over) with `--items`
reports and flags on messages, members and calls of the generated marketplace, gathered into
cases the way the services gather them (several reports and flags on one target are one case):
most cases decided long ago, `--unresolved` of them open or in review — the backlog a busy
team carries. Priorities, ranks and times follow `moderation.triage`, so the order is the
product's.

Then, rounds interleaved, it times `GET /api/moderation/queue/` in-process as a support agent
(the view, its selector, the keyset paginator, the serializer — everything but the network):
the first page and the 1,000th (the cursor of row 19,980), unfiltered and filtered by target
type; and, as the lean baseline, the same page's one indexed SQL query through psycopg alone.
It also times "review next" (claim the top case nobody holds, SKIP LOCKED; rolled back so every
call meets the same queue), and prints the plans of the 1,000th pages.

Target (the issue): p50 ≤ 10 ms for the first and the 1,000th page.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from typing import Any

import psycopg

from bench import common
from moderation import triage

TAG = "bench-queue"  # in every generated report's details, to find (and refill) them
PAGE = 20
DEEP_PAGE = 1000


def fill(url: str, *, items: int, unresolved: int, staff_id: int) -> None:
    """Reports and flags, and their cases, in a few statements of generated SQL. Targets:
    messages (70 %) and members of the generated marketplace; among unresolved cases every
    target is distinct (the one-case-per-target constraints hold), one in fifty a member. A
    case holds one item or, for one in five, two to four (several reports on one message, a
    report and a flag): about 1.4 items a case."""
    from moderation.models import ConductRule  # after Django's set-up

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.cursor()
        started = time.perf_counter()

        def step(label: str) -> None:
            print(f"    {label}: {time.perf_counter() - started:.0f} s", flush=True)

        cur.execute(
            "CREATE TEMP TABLE m AS SELECT id, sender_id, row_number() OVER (ORDER BY id) AS n "
            "FROM marketplace_message WHERE sender_id IS NOT NULL"
        )
        cur.execute(
            "CREATE TEMP TABLE u AS SELECT id, row_number() OVER (ORDER BY id) AS n "
            "FROM accounts_user WHERE NOT is_staff"
        )
        cur.execute("CREATE INDEX ON m (n); CREATE INDEX ON u (n); ANALYZE m; ANALYZE u")
        messages = cur.execute("SELECT count(*) FROM m").fetchone()[0]  # type: ignore[index]
        members = cur.execute("SELECT count(*) FROM u").fetchone()[0]  # type: ignore[index]
        if messages < 2 * unresolved or members < unresolved // 50 + 10:
            raise SystemExit("Generate the bench database first: python -m bench.generate")
        cases = int(items / 1.4)
        print(f"  {cases:,} cases for about {items:,} reports and flags …", flush=True)
        cur.execute(
            """
            CREATE TEMP TABLE planned_case AS
            SELECT g AS n, gen_random_uuid() AS id, p.target_type, p.status, p.created_at,
                   p.sensitive, p.repeat_target, p.items,
                   (%(reasons)s::text[])[1 + g %% 8] AS reason,
                   LEAST(%(cap)s, (CASE WHEN p.sensitive THEN %(sensitive)s ELSE 0 END)
                              + (CASE WHEN p.repeat_target THEN %(repeat)s ELSE 0 END)
                              + p.items) AS priority,
                   CASE WHEN p.target_type = 'message' THEN m.id END AS message_id,
                   CASE WHEN p.target_type = 'message' THEN m.sender_id ELSE u.id END AS user_id
            FROM generate_series(1, %(cases)s) AS g
            CROSS JOIN LATERAL (SELECT
                CASE WHEN (g <= %(unresolved)s AND g %% 50 = 0)
                       OR (g > %(unresolved)s AND g %% 10 >= 7) THEN 'user'
                     ELSE 'message' END AS target_type,
                CASE WHEN g <= %(unresolved)s THEN
                       CASE WHEN g %% 9 = 0 THEN 'in_review' ELSE 'open' END
                     ELSE 'resolved' END AS status,
                now() - interval '1 second' * (random() * 365 * 86400) AS created_at,
                (g %% 20 = 0) AS sensitive,
                (g %% 7 = 0) AS repeat_target,
                1 + CASE WHEN g %% 5 = 0 THEN 1 + g %% 3 ELSE 0 END AS items
            ) AS p
            JOIN m ON m.n = 1 + (g::bigint * 7919) %% %(messages)s
            JOIN u ON u.n = 1 + CASE WHEN g <= %(unresolved)s THEN g / 50
                                     ELSE g END %% %(members)s
            """,
            {
                "reasons": list(ConductRule.values),
                # moderation.triage's order, so the bench pages what the product would.
                "cap": triage.PRIORITY_CAP,
                "sensitive": triage.SENSITIVE_WEIGHT,
                "repeat": triage.REPEAT_WEIGHT,
                "cases": cases,
                "unresolved": unresolved,
                "messages": messages,
                "members": members,
            },
        )
        step("planned")
        cur.execute(
            """
            INSERT INTO moderation_case (
                id, target_type, message_id, call_id, subject_id, reason, sensitive,
                repeat_target, reports_count, flags_count, priority, rank, status, assignee_id,
                claim_expires_at, created_at, first_action_at, decided_at, decided_by_id,
                outcome, decision_note, warning_id, review_id, ban_id)
            SELECT id, target_type, message_id, NULL, user_id, reason, sensitive,
                   repeat_target,
                   CASE WHEN target_type = 'user' THEN items ELSE items - items / 2 END,
                   CASE WHEN target_type = 'user' THEN 0 ELSE items / 2 END,
                   priority,
                   ((%(cap)s - priority)::bigint << %(bits)s)
                     | (extract(epoch FROM created_at) * 1000)::bigint,
                   status,
                   CASE WHEN status <> 'open' THEN %(staff)s END,
                   CASE WHEN status = 'in_review' THEN now() + interval '30 minutes' END,
                   created_at,
                   CASE WHEN status <> 'open' THEN created_at + interval '2 hours' END,
                   CASE WHEN status = 'resolved' THEN created_at + interval '1 day' END,
                   CASE WHEN status = 'resolved' THEN %(staff)s END,
                   CASE WHEN status = 'resolved' THEN 'dismiss' ELSE '' END,
                   %(tag)s, NULL, NULL, NULL
            FROM planned_case
            """,
            {"staff": staff_id, "tag": TAG, "cap": triage.PRIORITY_CAP, "bits": triage.TIME_BITS},
        )
        step("cases")
        cur.execute(
            """
            INSERT INTO moderation_report (
                id, target_type, call_id, message_id, case_id, reporter_id, reported_user_id,
                reason, details, status, created_at, updated_at)
            SELECT gen_random_uuid(), c.target_type, NULL, c.message_id, c.id, r.id,
                   c.user_id, c.reason, %(tag)s,
                   CASE WHEN c.status = 'resolved' THEN 'dismissed' ELSE 'open' END,
                   c.created_at + interval '1 minute' * k,
                   c.created_at + interval '1 minute' * k
            FROM planned_case c
            CROSS JOIN LATERAL generate_series(
                1, CASE WHEN c.target_type = 'user' THEN c.items ELSE c.items - c.items / 2 END
            ) AS k
            JOIN u AS r ON r.n = 1 + (c.n * 31 + k) %% %(members)s
            """,
            {"tag": TAG, "members": members},
        )
        step("reports")
        cur.execute(
            """
            INSERT INTO moderation_flag (
                id, call_id, message_id, flagged_user_id, case_id, detector, finding, details,
                status, created_at, updated_at)
            SELECT gen_random_uuid(), NULL, c.message_id, c.user_id, c.id, 'message_scan',
                   CASE WHEN c.sensitive THEN 'card_number' ELSE 'email' END, %(tag)s,
                   CASE WHEN c.status = 'resolved' THEN 'dismissed' ELSE 'open' END,
                   c.created_at, c.created_at
            FROM planned_case c CROSS JOIN LATERAL generate_series(1, c.items / 2) AS k
            WHERE c.target_type = 'message'
            """,
            {"tag": TAG},
        )
        step("flags")
        for table in ("moderation_case", "moderation_report", "moderation_flag"):
            cur.execute(f"VACUUM ANALYZE {table}")
        step("vacuumed")


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        cur = conn.cursor()
        found = {}
        for name, sql in (
            ("reports", "SELECT count(*) FROM moderation_report"),
            ("flags", "SELECT count(*) FROM moderation_flag"),
            ("cases", "SELECT count(*) FROM moderation_case"),
            ("unresolved", "SELECT count(*) FROM moderation_case WHERE status <> 'resolved'"),
        ):
            cur.execute(sql)
            found[name] = cur.fetchone()[0]  # type: ignore[index]
        return found


def empty(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("moderation_flag", "moderation_report"):
            conn.execute(
                f"DELETE FROM {table} WHERE case_id IN "  # noqa: S608 - fixed names
                "(SELECT id FROM moderation_case WHERE decision_note = %s)",
                [TAG],
            )
        conn.execute("DELETE FROM moderation_case WHERE decision_note = %s", [TAG])


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="The trust-and-safety queue's pages (M-10).")
    parser.add_argument("--items", type=int, default=1_000_000, help="reports and flags")
    parser.add_argument("--unresolved", type=int, default=100_000, help="open or in review")
    parser.add_argument("--calls", type=int, default=200, help="requests per variant and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--refill", action="store_true", help="remove and regenerate the data")
    parser.add_argument("--fill-only", action="store_true", help="fill the queue, measure nothing")
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    url = common.database_url()
    common.setup_django()
    from django.db import connection, transaction
    from rest_framework.test import APIRequestFactory, force_authenticate

    from accounts import roles
    from accounts import services as accounts
    from accounts.models import User
    from core.pagination import AscendingByKey
    from moderation import services
    from moderation.api import QueueView
    from moderation.models import UNRESOLVED, Case

    agent, _created = User.objects.get_or_create(
        email="queue-agent@bench.test", defaults={"display_name": "Queue Agent"}
    )
    accounts.grant_staff_role(agent, role=roles.SUPPORT_AGENT, actor=None)
    agent = User.objects.get(pk=agent.pk)
    # Another staff member holds the in-review cases and decided the old ones: "review next"
    # as the agent then searches the queue, as it does for someone starting a shift.
    holder, _created = User.objects.get_or_create(
        email="queue-holder@bench.test", defaults={"display_name": "Queue Holder"}
    )
    accounts.grant_staff_role(holder, role=roles.REVIEWER, actor=None)

    if args.refill:
        empty(url)
    found = counts(url)
    if found["reports"] + found["flags"] < args.items * 0.9:
        empty(url)
        print(f"Filling the queue of {url.rsplit('/', 1)[-1]} …", flush=True)
        fill(url, items=args.items, unresolved=args.unresolved, staff_id=holder.pk)
        found = counts(url)
    if args.fill_only:
        print(found)
        return
    factory = APIRequestFactory()
    view = QueueView.as_view()
    paginator = AscendingByKey("rank")

    def deep_edge(**filters: Any) -> Case:
        """The last row of page 999: the 1,000th page starts after it."""
        return (
            Case.objects.filter(status__in=UNRESOLVED, **filters)
            .order_by("rank", "id")
            .only("rank", "id")[PAGE * (DEEP_PAGE - 1) - 1]
        )

    edges = {"all": deep_edge(), "message": deep_edge(target_type="message")}
    cursors = {name: paginator.cursor_for(edge) for name, edge in edges.items()}

    def api(query: str) -> Callable[[], None]:
        def call() -> None:
            request = factory.get("/api/moderation/queue/" + query)
            force_authenticate(request, user=agent)
            response = view(request)
            response.render()
            if response.status_code != 200 or len(response.data["results"]) != PAGE:
                raise RuntimeError(f"{query}: {response.status_code} {response.content[:200]!r}")

        return call

    bare_conn = psycopg.connect(url)

    def bare(deep: bool) -> Callable[[], None]:
        """The page's one query on the queue's index, nothing else (the lean baseline)."""
        if deep:
            sql = (
                "SELECT * FROM moderation_case WHERE status IN ('open', 'in_review') "
                "AND rank >= %s AND (rank > %s OR id > %s) ORDER BY rank, id LIMIT 21"
            )
            edge = edges["all"]
            params: list[Any] = [edge.rank, edge.rank, edge.id]
        else:
            sql = (
                "SELECT * FROM moderation_case WHERE status IN ('open', 'in_review') "
                "ORDER BY rank, id LIMIT 21"
            )
            params = []

        def call() -> None:
            if len(bare_conn.execute(sql, params).fetchall()) != PAGE + 1:
                raise RuntimeError("the bare query found less than a page")

        return call

    def review_next() -> None:
        with transaction.atomic():
            if services.review_next(agent) is None:
                raise RuntimeError("the queue is empty")
            transaction.set_rollback(True)

    variants: dict[str, Callable[[], None]] = {
        "first page": api(""),
        "1,000th page": api("?cursor=" + cursors["all"]),
        "first page, messages": api("?target_type=message"),
        "1,000th page, messages": api("?target_type=message&cursor=" + cursors["message"]),
        "bare SQL, first page": bare(False),
        "bare SQL, 1,000th page": bare(True),
        "review next": review_next,
    }
    for call in variants.values():  # warm up
        for _ in range(20):
            call()

    busy = common.settle(args.wait_quiet) if args.wait_quiet else common.cpu_busy()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for round_no in range(args.rounds):
        order = list(variants.items())
        if round_no % 2:
            order.reverse()
        for name, call in order:
            for _ in range(args.calls):
                started = time.perf_counter()
                call()
                samples[name].append((time.perf_counter() - started) * 1000)

    common.print_report_header(busy)
    print(
        f"Queue: {found['reports']:,} reports and {found['flags']:,} flags in "
        f"{found['cases']:,} cases, {found['unresolved']:,} open or in review; "
        f"{args.rounds} rounds x {args.calls} requests per variant, interleaved."
    )
    print()
    print("| Request | p50 (ms) | p95 (ms) | p99 (ms) |")
    print("|---|---:|---:|---:|")
    for name, values in samples.items():
        print(
            f"| {name} | {common.median(values):.2f} | {common.percentile(values, 95):.2f} | "
            f"{common.percentile(values, 99):.2f} |"
        )
    with connection.cursor() as cur:
        for label, name, extra in (
            ("1,000th page", "all", ""),
            ("1,000th page, messages", "message", "AND target_type = 'message'"),
        ):
            edge = edges[name]
            cur.execute(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT * FROM moderation_case "  # noqa: S608
                f"WHERE status IN ('open', 'in_review') {extra} AND rank >= %s "
                "AND (rank > %s OR id > %s) ORDER BY rank, id LIMIT 21",
                [edge.rank, edge.rank, edge.id],
            )
            print()
            print(f"Plan of the {label}:")
            print("```")
            for (line,) in cur.fetchall():
                print(line)
            print("```")
    bare_conn.close()


if __name__ == "__main__":
    main()
