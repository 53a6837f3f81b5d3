"""Moderation's demo (README), through the real services as support and reviewers would act:

- Wanda has one warning (a reminder; her account is not limited).
- Rex, a Level 1 seller, had two warnings of different types: restricted, review open. He still
  has an active order from Noah to finish.
- Ray was restricted, restored, warned for the same thing again — restricted as a repeat
  offender — and restored again.
- Bruno, a seller, was banned: his active order from Wanda was cancelled and refunded to her,
  and his earnings (from an order of Noah's) are held for 90 days.
"""

from __future__ import annotations

from accounts.models import User
from marketplace import services as marketplace
from marketplace.services.gigs import ExtraInput
from moderation import services
from moderation.models import Review, ReviewStatus, UserWarning, WarningType


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
