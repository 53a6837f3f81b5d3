"""Moderation's demo (README), through the real services as support and reviewers would act:

- Wanda has one warning (a reminder; her account is not limited).
- Rex, a Level 1 seller, had two warnings of different types: restricted, review open. He still
  has an active order from Noah to finish.
- Ray was restricted, restored, warned for the same thing again — restricted as a repeat
  offender — and restored again.
- Bruno, a seller, was banned: his active order from Wanda was cancelled and refunded to her,
  and his earnings (from an order of Noah's) are held for 90 days.

The trust-and-safety queue (M-10) has an open case of each kind, and an appeal waits:

- Bea sent Lena her card number: stored masked, flagged — a sensitive case, first in the queue.
- Noah asked Lena to move to WhatsApp with his phone number: flagged, and Lena reported it —
  one case with a report and a flag.
- Paul reported Noah as a member, and reported his call with Lena.
- Wanda appealed her warning; a reviewer other than the agent who warned her decides it.
"""

from __future__ import annotations

from accounts.models import User
from calls.models import Call
from marketplace import services as marketplace
from marketplace.services.gigs import ExtraInput
from marketplace.services.inbox import conversation_between
from moderation import services
from moderation.models import Case, Review, ReviewStatus, Statement, UserWarning, WarningType
from moderation.selectors import Target


def _warn(user: User, agent: User, code: str, note: str) -> UserWarning:
    return services.issue_warning(
        user, actor=agent, warning_type=WarningType.objects.get(code=code), note=note
    )


def _restore(user: User, reviewer: User, reason: str) -> None:
    review = Review.objects.get(user=user, status=ReviewStatus.OPEN)
    services.decide_review(review, actor=reviewer, outcome="restore", reason=reason)


def _selling(seller: User, buyer: User, *, title: str, completed: bool) -> None:
    gig = marketplace.create_gig(
        actor=seller,
        title=title,
        description="A demo gig.",
        base_price_cents=4500,
        extras=[ExtraInput("Express delivery", 1500)],
    )
    order = marketplace.place_order(gig, actor=buyer, extra_ids=[])
    if completed:
        marketplace.accept_order(marketplace.deliver_order(order, actor=seller), actor=buyer)


def seed(cast: dict[str, User]) -> bool:
    sanctioned = _sanctions(cast)
    queued = _queue(cast)
    return sanctioned or queued


def _queue(cast: dict[str, User]) -> bool:
    if Case.objects.exists():
        return False
    lena, bea = cast["seller@demo.test"], cast["buyer@demo.test"]
    paul, noah = cast["pro@demo.test"], cast["newseller@demo.test"]
    marketplace.send_message(
        conversation_between(bea, lena),
        actor=bea,
        body="Can I just pay you directly? My card is 4242 4242 4242 4242, expiry 12/28.",
    )
    whatsapp = marketplace.send_message(
        conversation_between(noah, lena),
        actor=noah,
        body="Let's move this to WhatsApp, it's easier: +49 151 23456789. I'll pay you cash.",
    )
    services.file_report(
        Target("message", message=whatsapp, subject=noah),
        actor=lena,
        reason="off_platform",
        details="He wants to be paid in cash outside the marketplace.",
    )
    services.file_report(
        Target("user", subject=noah),
        actor=paul,
        reason="personal_data",
        details="Keeps asking for my private e-mail address and phone number.",
    )
    call = Call.objects.filter(host=lena, topic="Walking through the style guide").first()
    if call is not None:
        services.report_call(
            call,
            actor=paul,
            reason="offensive_comments",
            details="Made fun of my accent halfway through the call.",
        )
    wanda = cast["warned@demo.test"]
    statement = Statement.objects.filter(user=wanda, kind="warning").first()
    if statement is not None:
        services.file_appeal(
            statement,
            user=wanda,
            text="I never asked for a bank transfer; the seller suggested it and I said no.",
        )
    return True


def _sanctions(cast: dict[str, User]) -> bool:
    agent, reviewer = cast["support@demo.test"], cast["reviewer@demo.test"]
    # Noah and Wanda buy from the sanctioned sellers: they hold no credit that the orders would
    # use up (Bea's and Paul's is part of the marketplace's demo).
    noah = cast["newseller@demo.test"]
    wanda, rex = cast["warned@demo.test"], cast["restricted@demo.test"]
    ray, bruno = cast["repeat@demo.test"], cast["banned@demo.test"]
    if UserWarning.objects.filter(user=wanda).exists():
        return False

    _warn(wanda, agent, "off_platform", "Asked a seller to pay by bank transfer instead.")

    _selling(rex, noah, title="Product photos on white", completed=False)
    _warn(rex, agent, "personal_data", "Asked a buyer for her home address in chat.")
    _warn(rex, agent, "off_platform", "Offered a discount for payment outside the platform.")

    _warn(ray, agent, "inappropriate_language", "Swore at a seller in a call.")
    _warn(ray, agent, "inappropriate_language", "Swore at a seller in chat.")
    _restore(ray, reviewer, "First time; he apologised.")
    _warn(ray, agent, "inappropriate_language", "Swore again after the restore.")
    _restore(ray, reviewer, "Apologised again; a last chance.")

    _selling(bruno, noah, title="Logo in a day", completed=True)
    _selling(bruno, wanda, title="Banner in a day", completed=False)
    ban = services.ban_user(bruno, actor=reviewer, reason="Sold counterfeit fonts.")
    services.settle_ban(str(ban.pk))  # at once, instead of waiting for the worker
    return True
