from __future__ import annotations

import factory
from factory.declarations import Sequence

from accounts.models import User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = Sequence(lambda n: f"user{n}@example.test")
    display_name = Sequence(lambda n: f"User {n}")
    password = factory.django.Password(PASSWORD)


def make_gig(
    seller: User,
    *,
    price: str = "50.00",
    extras: dict[str, str] | None = None,
    title: str = "Logo design",
):
    """A gig through the real service (prices in dollars for readability)."""
    from decimal import Decimal

    from marketplace import money, services
    from marketplace.services.gigs import ExtraInput

    return services.create_gig(
        actor=seller,
        title=title,
        description="I design logos.",
        base_price_cents=money.to_cents(Decimal(price)),
        extras=[ExtraInput(n, money.to_cents(Decimal(p))) for n, p in (extras or {}).items()],
    )


def grow_marketplace(*, buyer: User, seller: User, conversation, times: int = 5) -> None:
    """More of everything a list shows, for query-count tests: gigs (other sellers' and the
    seller's own), orders with extras, conversations and messages."""
    from marketplace import services

    for i in range(times):
        other_seller = UserFactory.create()
        gig = make_gig(other_seller, extras={"A": "1.00", "B": "2.00"}, title=f"Gig {i}")
        make_gig(seller, title=f"Mine {i}")
        order = services.place_order(gig, actor=buyer, extra_ids=[e.id for e in gig.extras.all()])
        services.send_message(order.conversation, actor=other_seller, body="hi")
        services.send_message(conversation, actor=seller, body=f"msg {i}")


def make_available_funds(seller: User, cents: int) -> None:
    """Cleared funds the way the product makes them: a completed order, cleared (with the
    rest of what the seller had pending, all of which is due after the clearing period)."""
    from datetime import timedelta

    from core import clock
    from marketplace import selectors, services

    gig = make_gig(seller, price=f"{cents / 100:.2f}", title="Funds")
    buyer = UserFactory.create()
    order = services.place_order(gig, actor=buyer, extra_ids=[])
    services.accept_order(services.deliver_order(order, actor=seller), actor=buyer)
    before = selectors.balances(seller)
    assert before.pending_cents >= cents
    services.clear_pending_earnings(now=clock.now() + timedelta(days=15))
    after = selectors.balances(seller)
    assert (after.pending_cents, after.available_cents) == (
        0,
        before.available_cents + before.pending_cents,
    )
