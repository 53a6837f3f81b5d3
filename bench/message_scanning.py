"""Sending a 2 KB message with C-15's scanning against the same send with scanning switched off,
in one run (issue: trust and safety, benchmark 1):

    .venv/bin/python -m bench.message_scanning [--calls 600] [--rounds 6] [--warmup 50]

`marketplace.services.send_message` in the bench database (a buyer and a seller of the
generated data and their conversation), once with the product's filter
(`moderation.filters.DetectingMessageFilter`: scan, mask, flag) and once with the no-op one
(`marketplace.message_filters.MessageFilter`) — the only difference. The message is 2 KB of
ordinary chat in English and German with what the detectors must leave alone (a date, an order
number, a price, a size, a version), so the scan runs in full and finds nothing: the common case
and the one the issue times. Rounds alternate which variant goes first; the ratio is taken per
round (median send time without scanning / with it). The per-user message limit is lifted for
the run, and the script deletes the messages it sent (and their notifications) at the end.

Target (the issue): with scanning ≥ 0.8 x the rate without (the detectors cost at most a fifth).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bench import common

MARKER = "[bench:message_scanning]"
BASE = (
    "Hi Lena, thanks for the first draft of the logo. The colours look great, but could you make "
    "the font a bit bolder and try the icon at 1920x1080 as well? Delivery on 02.03.2026 would "
    "be perfect, version v2.10.3 of the brief is attached. Ich würde gern noch eine Revision "
    "anfragen, Bestellung Nr. 58123467, Preis 1.234,56 €, bitte bis 14:30 Uhr. "
)


def message() -> str:
    text = MARKER + " " + BASE * 12
    return text[:2048]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Message scanning cost (C-15).")
    parser.add_argument("--calls", type=int, default=600, help="sends per variant and round")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=50)
    common.add_wait_quiet(parser)
    args = parser.parse_args(argv)

    common.setup_django()
    from django.conf import settings
    from django.db.models import Q
    from django.test.utils import override_settings

    from core.backends import load_backend
    from core.models import Notification
    from marketplace.models import Conversation, Message
    from marketplace.services.inbox import send_message
    from moderation import detection
    from moderation.models import Flag

    body = message()
    if len(body) != 2048 or detection.scan(body):
        raise SystemExit("The bench message must be 2 KB that the detectors leave alone.")
    conversation = (
        Conversation.objects.select_related("user_low", "user_high")
        .filter(user_low__standing="active", user_high__standing="active")
        .order_by("pk")
        .first()
    )
    if conversation is None:
        raise SystemExit("No conversation in the bench database: run python -m bench.generate.")
    sender = conversation.user_low
    product = "moderation.filters.DetectingMessageFilter"
    plain = "marketplace.message_filters.MessageFilter"

    def cleanup() -> int:
        sent = Message.objects.filter(conversation=conversation, body__startswith=MARKER)
        ids = list(sent.values_list("pk", flat=True))
        Flag.objects.filter(message_id__in=ids).delete()
        Notification.objects.filter(
            Q(context__message__in=[str(i) for i in ids]) | Q(context__message__in=ids)
        ).delete()
        # The conversation's summary points at the last message: put it back on an older one.
        Conversation.objects.filter(pk=conversation.pk).update(last_message=None)
        deleted, _ = sent.delete()
        last = Message.objects.filter(conversation=conversation).order_by("-pk").first()
        Conversation.objects.filter(pk=conversation.pk).update(last_message=last)
        return deleted

    cleanup()
    busy = common.settle(args.wait_quiet)
    with override_settings(MESSAGE_RATE_LIMIT=10**9):
        variants = {}
        for label, path in (("scanning", product), ("no scanning", plain)):

            def send(path: str = path) -> None:
                with override_settings(MESSAGE_FILTER=path):
                    send_message(conversation, actor=sender, body=body)

            variants[label] = send
        load_backend("MESSAGE_FILTER")  # built once per path, like in production
        samples = common.interleaved(
            variants, rounds=args.rounds, calls=args.calls, warmup=args.warmup
        )
    removed = cleanup()
    ratios = common.round_ratios(samples, "no scanning", "scanning")
    scan_ms = []
    import time

    for _ in range(2000):
        began = time.perf_counter_ns()
        detection.scan(body)
        scan_ms.append((time.perf_counter_ns() - began) / 1e6)

    print(f"Machine: {common.machine()}; revision {common.git_revision()}")
    print(f"CPU busy before the rounds: {busy:.0f} %; {settings.DATABASES['default']['NAME']}")
    print(f"{args.rounds} rounds x {args.calls} sends per variant; {removed:,} messages removed")
    print()
    print("| Sending a 2 KB message | median (ms) | p99 (ms) | sends |")
    print("|---|---:|---:|---:|")
    for label in variants:
        flat = common.flat(samples[label])
        print(
            f"| {label} | {common.median(flat):.2f} | {common.percentile(flat, 99):.2f} "
            f"| {len(flat):,} |"
        )
    print(
        f"| `detection.scan` alone | {common.median(scan_ms):.2f} "
        f"| {common.percentile(scan_ms, 99):.2f} | 2,000 |"
    )
    print()
    ratio = common.median(ratios)
    print(
        f"rate with scanning / without, median of per-round ratios: "
        f"{common.ratio_summary(ratios, 3)} (target ≥ 0.8: {'met' if ratio >= 0.8 else 'NOT MET'})"
    )


if __name__ == "__main__":
    main()
